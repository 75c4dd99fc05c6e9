#!/usr/bin/env bash
# One-time set-up on Debian/Ubuntu: what building, running and testing Certlens needs beyond a
# Rust toolchain. Safe to run again; runs as root or through sudo.
set -euo pipefail

packages=(
  build-essential ca-certificates pkg-config  # the build (aws-lc-sys compiles C with cc)
  openssl curl                                # test fixtures and the oracle's client
  python3 python3-pip python3-cryptography                # PKCS#12 files as Python's cryptography (on OpenSSL 3) writes them
  strace                                      # the network-hygiene test traces what the binary connects to
  nginx libnginx-mod-http-js                   # the oracles: nginx's $ssl_client_* variables, and nginx (njs) as the edge
  cmake clang libclang-dev                     # the BoringSSL oracle: boring-sys builds BoringSSL from source
  libssl-dev                                  # the OpenSSL oracle links the system's libcrypto
  nodejs                                      # the shipped echo Worker runs under Node in the tests
  tinyproxy microsocks mitmproxy stunnel4     # real proxies for the live test: CONNECT, SOCKS5, TLS inspection, TLS to the proxy
  haproxy caddy                               # the edge oracles: HAProxy's ssl_c_* fetches and Caddy's placeholders, forwarded as headers
  softhsm2 opensc p11-kit                     # a real PKCS#11 token (SoftHSM), pkcs11-tool and pkcs11-spy, p11-kit's module registry
  default-jre-headless                        # keytool writes the JKS, JCEKS and PKCS12 keystores the tests read
  # the window (loaded at run time): X11/Wayland, OpenGL, fonts, the file dialog's portal
  libx11-6 libx11-xcb1 libxcb1 libxcursor1 libxi6 libxrender1 libxkbcommon0 libxkbcommon-x11-0
  libgl1 libegl1 libgl1-mesa-dri libfontconfig1 libdbus-1-3
  libegl-mesa0 mesa-vulkan-drivers            # a software GPU (llvmpipe, lavapipe): the test that holds the CPU window to egui's wgpu renderer
)

if ! command -v cargo >/dev/null 2>&1; then
  echo "setup: cargo is missing; install Rust 1.95 or newer (https://rustup.rs) and run this again" >&2
  exit 1
fi

missing=()
for package in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
# The older BoringSSL (API version 42) that the cloudflare profile's verdict oracle builds: its
# source ships inside grpcio's source distribution on PyPI (oracles/boringssl/build.rs).
older_boringssl() {
  local version=grpcio-1.85.1
  local sha256=5f530287d5de5f7f66089ead81de44f6787162944dab3922efa65dfdff108a1d
  local cache="${XDG_CACHE_HOME:-$HOME/.cache}/certlens"
  [ -f "$cache/$version/src/python/grpcio/grpc_core_dependencies.py" ] && return 0
  local download
  download=$(mktemp -d)
  python3 -m pip download --quiet --no-deps --no-binary grpcio "${version/-/==}" -d "$download"
  echo "$sha256  $download/$version.tar.gz" | sha256sum --check --quiet
  mkdir -p "$cache"
  tar -xzf "$download/$version.tar.gz" -C "$cache" \
    "$version/third_party/boringssl-with-bazel" "$version/src/python/grpcio/grpc_core_dependencies.py"
  rm -rf "$download"
  echo "setup: unpacked the older BoringSSL source to $cache/$version"
}

if [ ${#missing[@]} -eq 0 ]; then
  echo "setup: all packages present"
  older_boringssl
  exit 0
fi

sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
# Keep the nginx package from starting a system-wide server on port 80: tests start their own.
no_start=/usr/sbin/policy-rc.d
created_policy=0
if [ ! -e "$no_start" ]; then
  printf '#!/bin/sh\nexit 101\n' | $sudo tee "$no_start" >/dev/null
  $sudo chmod +x "$no_start"
  created_policy=1
fi
# Whatever happens below, the policy file created above goes again.
restore() { [ "$created_policy" -eq 1 ] && $sudo rm -f "$no_start"; true; }
trap restore EXIT
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
echo "setup: installed ${missing[*]}"
older_boringssl
