#!/usr/bin/env bash
# Installs the .deb on this machine, checks it like a user would, and removes it again.
# Run as root (or with sudo) after packaging/build.sh deb.
set -euo pipefail
cd "$(dirname "$0")/.."
deb=$(ls -t target/debian/certlens_*.deb | head -1)
sudo=""; [ "$(id -u)" -eq 0 ] || sudo=sudo

echo "== validating the desktop entry and the AppStream metadata"
desktop-file-validate assets/dev.certlens.Certlens.desktop
appstreamcli validate --no-net assets/dev.certlens.Certlens.metainfo.xml

echo "== installing $deb"
$sudo apt-get install -y -qq "./$deb" >/dev/null
trap '$sudo dpkg -r certlens >/dev/null 2>&1 || true' EXIT

echo "== what it installed"
dpkg -L certlens | grep -E 'bin/certlens|applications/|metainfo/|mime/packages/|hicolor/(scalable|256x256)/' 
test -x /usr/bin/certlens
certlens --version
certlens fields /usr/share/certlens/samples/alice-legacy.p12 --password-file /usr/share/certlens/samples/alice.p12.password --format headers | head -3
grep -q '^MimeType=application/x-pkcs12;' /usr/share/applications/dev.certlens.Certlens.desktop
test -f /usr/share/icons/hicolor/256x256/apps/dev.certlens.Certlens.png

echo "== completions and manual pages"
test -f /usr/share/bash-completion/completions/certlens
test -f /usr/share/zsh/vendor-completions/_certlens
test -f /usr/share/fish/vendor_completions.d/certlens.fish
bash -c 'source /usr/share/bash-completion/completions/certlens && complete -p certlens' | grep -q _certlens
for page in certlens certlens-fields certlens-verify certlens-test certlens-report certlens-completions; do
  test -f "/usr/share/man/man1/$page.1.gz"
done
zcat /usr/share/man/man1/certlens-test.1.gz | grep -q -- 'follow\\-any\\-host'
echo "completions for bash, zsh and fish; manual pages for every command"

echo "== the menu entry opens the window (under Xvfb when there is no display)"
if command -v xvfb-run >/dev/null; then
  timeout 5 xvfb-run -a certlens gui /usr/share/certlens/samples/alice.pem >/dev/null 2>&1 && status=0 || status=$?
  # 124: still running after 5 s, i.e. the window came up and stayed up.
  [ "$status" = 124 ] && echo "window stayed up for 5 s" || { echo "window exited with $status"; exit 1; }
fi

echo "== removing"
$sudo dpkg -r certlens >/dev/null
trap - EXIT
! test -e /usr/bin/certlens && echo "removed cleanly"
