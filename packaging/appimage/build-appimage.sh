#!/usr/bin/env bash
# AppImage recipe. Needs appimagetool (https://github.com/AppImage/appimagetool), which is not
# packaged for Debian 12: run it on a build machine that has it (the release workflow does).
set -euo pipefail
cd "$(dirname "$0")/../.."
cargo build --profile dist --locked
app=target/Certlens.AppDir
rm -rf "$app"
install -Dm755 target/dist/certlens "$app/usr/bin/certlens"
install -Dm644 assets/dev.certlens.Certlens.desktop "$app/usr/share/applications/dev.certlens.Certlens.desktop"
install -Dm644 assets/dev.certlens.Certlens.metainfo.xml "$app/usr/share/metainfo/dev.certlens.Certlens.appdata.xml"
install -Dm644 assets/icons/certlens-256.png "$app/usr/share/icons/hicolor/256x256/apps/dev.certlens.Certlens.png"
cp assets/dev.certlens.Certlens.desktop "$app/"
cp assets/icons/certlens-256.png "$app/dev.certlens.Certlens.png"
cat > "$app/AppRun" <<'RUN'
#!/bin/sh
here="$(dirname "$(readlink -f "$0")")"
exec "$here/usr/bin/certlens" "$@"
RUN
chmod +x "$app/AppRun"
# The binary loads X11/Wayland/GL at run time from the host, as every desktop has them.
ARCH=x86_64 appimagetool "$app" "target/Certlens-$(cargo metadata --no-deps --format-version 1 | python3 -c 'import json,sys; print(json.load(sys.stdin)["packages"][0]["version"])')-x86_64.AppImage"
