#!/usr/bin/env bash
# Inspects the .rpm's contents and dependencies (this Debian machine cannot install it).
set -euo pipefail
cd "$(dirname "$0")/.."
rpm_file=$(ls -t target/generate-rpm/certlens-*.rpm | head -1)
rpm -qpi "$rpm_file"
echo "== files"
rpm -qpl "$rpm_file"
echo "== requires"
rpm -qpR "$rpm_file"
rpm -qpl "$rpm_file" | grep -q '^/usr/bin/certlens$'
rpm -qpl "$rpm_file" | grep -q '^/usr/share/bash-completion/completions/certlens$'
rpm -qpl "$rpm_file" | grep -q '^/usr/share/zsh/site-functions/_certlens$'
rpm -qpl "$rpm_file" | grep -q '^/usr/share/fish/vendor_completions.d/certlens.fish$'
rpm -qpl "$rpm_file" | grep -q '^/usr/share/man/man1/certlens-test.1.gz$'
rpm -qpl "$rpm_file" | grep -q 'applications/dev.certlens.Certlens.desktop$'
