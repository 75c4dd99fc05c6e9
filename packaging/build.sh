#!/usr/bin/env bash
# Builds the Linux packages from a stripped, LTO release build (profile `dist`).
#   packaging/build.sh deb|rpm|all
# Output: target/debian/certlens_*.deb, target/generate-rpm/certlens-*.rpm
set -euo pipefail
cd "$(dirname "$0")/.."

what=${1:-all}
case "$what" in deb|rpm|all) ;; *) echo "usage: $0 deb|rpm|all" >&2; exit 2 ;; esac

need() { command -v "$1" >/dev/null 2>&1 || cargo install --locked "$2"; }
cargo build --profile dist --locked
size=$(stat -c %s target/dist/certlens)
echo "certlens binary (dist, stripped): $size bytes"

# Shell completions and manual pages, made by the binary itself.
generated=target/generated
rm -rf "$generated"
mkdir -p "$generated/completions" "$generated/man"
target/dist/certlens completions bash > "$generated/completions/certlens.bash"
target/dist/certlens completions zsh > "$generated/completions/_certlens"
target/dist/certlens completions fish > "$generated/completions/certlens.fish"
target/dist/certlens manpages "$generated/man"
gzip -9n "$generated"/man/*.1

if [ "$what" = deb ] || [ "$what" = all ]; then
  need cargo-deb cargo-deb
  cargo deb --profile dist --no-build --locked
  ls -l target/debian/*.deb
fi
if [ "$what" = rpm ] || [ "$what" = all ]; then
  need cargo-generate-rpm cargo-generate-rpm
  # cargo-generate-rpm reads target/release; point it at the dist binary.
  mkdir -p target/release
  cp target/dist/certlens target/release/certlens
  cargo generate-rpm
  ls -l target/generate-rpm/*.rpm
fi
