#!/usr/bin/env bash
# Installs what the browser tests use, where it can:
#  - Chromium and ChromeDriver (Debian packages), when they are missing and
#    this runs as root with apt-get;
#  - axe-core, the accessibility checker, from the npm registry into
#    target/axe/axe.min.js (target/ is not tracked), at a pinned version
#    whose checksum is checked;
#  - the W3C Nu HTML checker (the vnu-jar package of the npm registry) into
#    target/vnu/vnu.jar, pinned and checked the same way; it runs on Java,
#    which is installed (Debian: default-jre-headless) when it is missing
#    and this runs as root with apt-get.
# Never fails: the browser tests skip themselves, and the accessibility
# and HTML checks skip themselves, with a notice, where these cannot be had.
set -u
cd "$(dirname "$0")/.." || exit 0

AXE_VERSION=4.14.1
# sha512 of axe-core-4.14.1.tgz: the registry's dist.integrity, in hex.
AXE_SHA512=1477dafa598d8d065f273d6af302aa203c02e83131707b7fa648cd41bd3d6b734f8c22a0dab86ee6a6f64b8afbe804b214d36db85a2826965edfb3a0b9d546b5
AXE_DIR=target/axe

VNU_VERSION=26.9.27
# sha512 of vnu-jar-26.9.27.tgz: the registry's dist.integrity, in hex.
VNU_SHA512=4e441de4315f39a582f5e6edbe8cd3b2b1f655aa1dde3620faface791133217c417b12f3f7ead2d8336d8e7efe44f5226618258b44a0860057e9125135e6b428
VNU_DIR=target/vnu

install_chromium() {
  if command -v chromium >/dev/null 2>&1 && command -v chromedriver >/dev/null 2>&1; then
    return 0
  fi
  if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null 2>&1; then
    echo "notice: Chromium is not installed and cannot be installed here; the browser test will be skipped"
    return 0
  fi
  echo "Installing chromium and chromium-driver for the browser test..."
  if ! { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver >/dev/null; }; then
    echo "notice: installing Chromium failed; the browser test will be skipped"
  fi
}

# Fetches npm package $1 at version $2 into the working directory and
# checks its tarball against sha512 $3; prints why not on failure.
fetch_npm() {
  tarball="$1-$2.tgz"
  registry=${NPM_CONFIG_REGISTRY:-${npm_config_registry:-}}
  if command -v npm >/dev/null 2>&1; then
    npm pack --silent --no-update-notifier --no-fund --no-audit "$1@$2" >/dev/null 2>&1 \
      || { echo "npm pack failed"; return 1; }
  elif command -v curl >/dev/null 2>&1 && [ -n "$registry" ]; then
    curl -fsSL --retry 2 --max-time 600 -o "$tarball" "${registry%/}/$1/-/$tarball" \
      || { echo "download failed"; return 1; }
  else
    echo "neither npm nor curl with NPM_CONFIG_REGISTRY is available"
    return 1
  fi
  [ -f "$tarball" ] || { echo "no $tarball"; return 1; }
  echo "$3  $tarball" | sha512sum -c --status 2>/dev/null || { echo "checksum mismatch"; return 1; }
}

# Runs in a subshell: its own working directory and clean-up.
install_axe() (
  if [ -f "$AXE_DIR/axe.min.js" ] && [ "$(cat "$AXE_DIR/VERSION" 2>/dev/null)" = "$AXE_VERSION" ]; then
    exit 0
  fi
  skip() {
    echo "notice: cannot fetch axe-core $AXE_VERSION ($1); the accessibility checks will be skipped"
    exit 0
  }
  dest=$(pwd)/$AXE_DIR
  tmp=$(mktemp -d) || skip "no temporary directory"
  trap 'rm -rf "$tmp"' EXIT
  cd "$tmp" || skip "no temporary directory"
  if ! command -v npm >/dev/null 2>&1 && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "Installing npm (Debian package) to fetch axe-core..."
    { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq npm >/dev/null; } \
      || echo "notice: installing npm failed"
  fi
  why=$(fetch_npm axe-core "$AXE_VERSION" "$AXE_SHA512") || skip "$why"
  tarball="axe-core-$AXE_VERSION.tgz"
  tar -xzf "$tarball" package/axe.min.js 2>/dev/null || skip "cannot unpack $tarball"
  mkdir -p "$dest" && mv package/axe.min.js "$dest/axe.min.js" && echo "$AXE_VERSION" >"$dest/VERSION" \
    || skip "cannot write $AXE_DIR"
  echo "Installed axe-core $AXE_VERSION in $AXE_DIR/ for the accessibility checks."
)

install_java() {
  if command -v java >/dev/null 2>&1; then
    return 0
  fi
  if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null 2>&1; then
    echo "notice: Java is not installed and cannot be installed here; the W3C Nu checker test will be skipped"
    return 0
  fi
  echo "Installing Java (default-jre-headless) for the W3C Nu checker..."
  if ! { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq default-jre-headless >/dev/null; }; then
    echo "notice: installing Java failed; the W3C Nu checker test will be skipped"
  fi
}

install_vnu() (
  if [ -f "$VNU_DIR/vnu.jar" ] && [ "$(cat "$VNU_DIR/VERSION" 2>/dev/null)" = "$VNU_VERSION" ]; then
    exit 0
  fi
  skip() {
    echo "notice: cannot fetch vnu-jar $VNU_VERSION ($1); the W3C Nu checker test will be skipped"
    exit 0
  }
  dest=$(pwd)/$VNU_DIR
  tmp=$(mktemp -d) || skip "no temporary directory"
  trap 'rm -rf "$tmp"' EXIT
  cd "$tmp" || skip "no temporary directory"
  why=$(fetch_npm vnu-jar "$VNU_VERSION" "$VNU_SHA512") || skip "$why"
  tar -xzf "vnu-jar-$VNU_VERSION.tgz" package/build/dist/vnu.jar 2>/dev/null || skip "cannot unpack the tarball"
  mkdir -p "$dest" && mv package/build/dist/vnu.jar "$dest/vnu.jar" && echo "$VNU_VERSION" >"$dest/VERSION" \
    || skip "cannot write $VNU_DIR"
  echo "Installed the W3C Nu checker (vnu-jar $VNU_VERSION) in $VNU_DIR/."
)

install_chromium
install_axe
install_java
install_vnu
exit 0
