#!/usr/bin/env bash
# Installs Chromium and ChromeDriver (Debian packages) for the browser test,
# when they are missing and this runs as root with apt-get. Never fails: the
# browser test skips itself, with a notice, where no browser can be had.
set -u
if command -v chromium >/dev/null 2>&1 && command -v chromedriver >/dev/null 2>&1; then
  exit 0
fi
if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null 2>&1; then
  echo "notice: Chromium is not installed and cannot be installed here; the browser test will be skipped"
  exit 0
fi
echo "Installing chromium and chromium-driver for the browser test..."
if ! { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver >/dev/null; }; then
  echo "notice: installing Chromium failed; the browser test will be skipped"
fi
exit 0
