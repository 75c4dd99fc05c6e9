#!/usr/bin/env bash
# Window start-up and memory, side by side under one Xvfb: Certlens (drawn on the CPU, as on a
# machine without a GPU driver, and with OpenGL, i.e. Mesa's llvmpipe), XCA and gcr-viewer
# (Debian packages `xca` and `gcr`), five alternating runs each. For each run: the time from exec to the
# program's first mapped window, and its resident memory 3 s later. Prints the medians.
#
#   scripts/bench-window.sh [path/to/certlens]      (default: target/release/certlens)
set -euo pipefail
cd "$(dirname "$0")/.."

certlens=${1:-target/release/certlens}
sample=assets/samples/alice.pem
runs=${RUNS:-5}
for tool in Xvfb xdotool xca gcr-viewer; do
  command -v "$tool" >/dev/null || { echo "bench-window: $tool is missing (apt-get install xvfb xdotool xca gcr)" >&2; exit 1; }
done
[ -x "$certlens" ] || { echo "bench-window: build it first: cargo build --release" >&2; exit 1; }

display=:$(( 90 + RANDOM % 9 ))
Xvfb "$display" -screen 0 1280x860x24 >/dev/null 2>&1 &
xvfb=$!
home=$(mktemp -d)
trap 'kill $xvfb 2>/dev/null; rm -rf "$home"' EXIT
export DISPLAY=$display HOME=$home XDG_CONFIG_HOME=$home/.config
sleep 1

# One run of "$@": prints "<milliseconds to the first mapped window> <resident KiB 3 s later>".
measure() {
  local start pid window=""
  start=$(date +%s%N)
  "$@" >/dev/null 2>&1 &
  pid=$!
  for _ in $(seq 1 2000); do
    window=$(xdotool search --onlyvisible --pid "$pid" 2>/dev/null | head -1 || true)
    [ -n "$window" ] && break
    sleep 0.002
  done
  local elapsed=$(( ($(date +%s%N) - start) / 1000000 ))
  sleep 3
  local rss
  rss=$(awk '/^VmRSS/ {print $2}' "/proc/$pid/status" 2>/dev/null || echo 0)
  kill "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  [ -n "$window" ] || elapsed=-1
  echo "$elapsed $rss"
}

median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

declare -A times mems
names=(certlens-cpu certlens-gl xca gcr-viewer)
for _ in $(seq 1 "$runs"); do
  for name in "${names[@]}"; do
    case $name in
      certlens-cpu) result=$(measure env CERTLENS_RENDERER=cpu "$certlens" gui "$sample") ;;
      certlens-gl) result=$(measure env CERTLENS_RENDERER=gl "$certlens" gui "$sample") ;;
      xca) result=$(measure xca) ;;
      gcr-viewer) result=$(measure gcr-viewer "$sample") ;;
    esac
    times[$name]+="${result% *}"$'\n'
    mems[$name]+="${result#* }"$'\n'
  done
done

echo "window start-up under Xvfb, median of $runs alternating runs (exec to first mapped window; RSS 3 s later):"
for name in "${names[@]}"; do
  t=$(printf '%s' "${times[$name]}" | median)
  m=$(printf '%s' "${mems[$name]}" | median)
  printf '  %-12s %6s ms  %6s MiB\n' "$name" "$t" "$(( m / 1024 ))"
done
