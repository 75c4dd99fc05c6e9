#!/usr/bin/env bash
# Remakes what the README and the window show of themselves: the screenshots in
# assets/screenshots/ (the real window under Xvfb, drawn on the CPU, driven with xdotool) and
# the window icon's raw RGBA (assets/icons/certlens-64.rgba, from certlens-64.png).
#
#   scripts/screenshots.sh          # needs xvfb, xdotool, imagemagick and openssl
set -euo pipefail
cd "$(dirname "$0")/.."

for tool in Xvfb xdotool import convert openssl; do
  if ! command -v "$tool" >/dev/null 2>&1; then
    echo "screenshots: $tool is missing (apt-get install xvfb xdotool imagemagick openssl)" >&2
    exit 1
  fi
done

convert assets/icons/certlens-64.png -depth 8 rgba:assets/icons/certlens-64.rgba

cargo build --locked --quiet
cargo build --locked --quiet -p certlens-test-support --bin cloudflare-stand-in
bin="$PWD/target/debug/certlens"
work="$(mktemp -d)"
display=":$((90 + RANDOM % 9))"
Xvfb "$display" -screen 0 1200x800x24 >/dev/null 2>&1 &
xvfb=$!
app=""
cleanup() {
  [ -n "$app" ] && kill "$app" 2>/dev/null || true
  kill "$xvfb" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
export DISPLAY="$display" CERTLENS_RENDERER=cpu
sleep 1

# The window's tabs, and the Live test tab's button, where a 1200 x 800 window draws them.
declare -A tab=([Fields]=377 [Verify]=436 [Live test]=501 [Cloudflare setup]=597 [Every edge]=701 [Details]=777 [Audit]=836)
tab_y=43

# Starts the window with HOME=$work/home-$1 (its settings: the CAs in $2, comma-separated);
# the rest of the arguments are certlens's.
start() {
  local home="$work/home-$1" cas="$2"
  shift 2
  mkdir -p "$home/.config/certlens"
  printf '{"lastCas": [%s], "lastUrl": "%s"}\n' "$cas" "${LAST_URL:-}" >"$home/.config/certlens/settings.json"
  HOME="$home" "$bin" "$@" >"$work/app.log" 2>&1 &
  app=$!
  xdotool search --sync --classname '^dev.certlens.Certlens$' >/dev/null
  sleep 3
}

click() {
  xdotool mousemove --sync "$1" "$2" click 1
  sleep "${3:-1}"
}

capture() {
  import -window "$(xdotool search --classname '^dev.certlens.Certlens$' | head -1)" "assets/screenshots/$1.png"
  kill "$app"
  wait "$app" 2>/dev/null || true
  app=""
  echo "screenshots: assets/screenshots/$1.png"
}

# The Live test tab after a test against the demo's echo server.
start demo "" demo
click "${tab[Live test]}" "$tab_y"
click 424 252 4
capture test-pane

# The Audit tab after an audit of the demo's echo server (which answers everyone).
start audit "" demo
click "${tab[Audit]}" "$tab_y"
click 597 132 5
capture audit-pane

# The Cloudflare setup tab, against the API stand-in (tests/support): the sample identity on a
# hostname associated with its CA, with a rule the engine cannot read and the template rule.
samples="$PWD/assets/samples"
"$PWD/target/debug/cloudflare-stand-in" cfut_screenshot "$samples/sample-ca.pem" >"$work/api-base" &
stand_in=$!
sleep 1
LAST_URL="https://api.example.test/orders" CLOUDFLARE_API_TOKEN=cfut_screenshot \
  CLOUDFLARE_API_BASE_URL="$(cat "$work/api-base")" start cloudflare "" gui "$samples/alice.pem"
click "${tab[Cloudflare setup]}" "$tab_y"
click 428 276 3
xdotool mousemove 800 500
for _ in 1 2 3 4 5 6; do xdotool click 5; done
sleep 1
capture cloudflare-pane
kill "$stand_in"

# Every edge, for the bundled sample and its CA.
start edges "\"$samples/sample-ca.pem\"" gui "$samples/alice.pem"
click "${tab[Every edge]}" "$tab_y" 2
capture every-edge

# Verify: a leaf with a negative serial sent without its intermediate, the root chosen — the
# documented wording, the newer one beside it, and the warning.
pki="$work/pki"
mkdir -p "$pki"
(
  cd "$pki"
  ossl() { openssl "$@" >/dev/null 2>&1; }
  ossl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout root.key \
    -out root.pem -days 3650 -subj "/O=Example, Inc./CN=Example Root CA" \
    -addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,keyCertSign,cRLSign
  ossl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout issuing.key \
    -out issuing.csr -subj "/O=Example, Inc./CN=Example Issuing CA"
  printf 'basicConstraints=critical,CA:TRUE,pathlen:0\nkeyUsage=critical,keyCertSign,cRLSign\n' >ca.ext
  ossl x509 -req -in issuing.csr -CA root.pem -CAkey root.key -set_serial 2 -days 3650 \
    -extfile ca.ext -out issuing.pem
  ossl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout leaf.key \
    -out leaf.csr -subj "/O=Example, Inc./CN=api-client-7"
  printf 'extendedKeyUsage=clientAuth\n' >leaf.ext
  ossl x509 -req -in leaf.csr -CA issuing.pem -CAkey issuing.key -set_serial -0x1234567 \
    -days 365 -extfile leaf.ext -out leaf.pem
)
start verify "\"$pki/root.pem\"" gui "$pki/leaf.pem"
click "${tab[Verify]}" "$tab_y" 2
capture verify-pane
