#!/usr/bin/env bash
# macOS app bundle and disk image; run on macOS (Xcode command line tools for iconutil/hdiutil).
set -euo pipefail
cd "$(dirname "$0")/../.."
cargo build --profile dist --locked
app=target/Certlens.app
rm -rf "$app" target/certlens.iconset
mkdir -p "$app/Contents/MacOS" "$app/Contents/Resources" target/certlens.iconset
cp packaging/macos/Info.plist "$app/Contents/Info.plist"
cp target/dist/certlens "$app/Contents/MacOS/certlens"
# Finder starts the bundle without arguments: open the window.
printf '#!/bin/sh\nexec "$(dirname "$0")/certlens" gui "$@"\n' > "$app/Contents/MacOS/certlens-app"
chmod +x "$app/Contents/MacOS/certlens-app"
for s in 16 32 128 256 512; do
  cp "assets/icons/certlens-$s.png" "target/certlens.iconset/icon_${s}x${s}.png"
done
cp assets/icons/certlens-32.png target/certlens.iconset/icon_16x16@2x.png
cp assets/icons/certlens-64.png target/certlens.iconset/icon_32x32@2x.png
cp assets/icons/certlens-256.png target/certlens.iconset/icon_128x128@2x.png
cp assets/icons/certlens-512.png target/certlens.iconset/icon_256x256@2x.png
iconutil -c icns target/certlens.iconset -o "$app/Contents/Resources/certlens.icns"
hdiutil create -volname Certlens -srcfolder "$app" -ov -format UDZO target/Certlens.dmg
