#!/usr/bin/env bash
# Makes a headless-capable Chromium and its chromedriver available to the dashboard's browser test and prints the
# two paths on stdout, browser first, one a line.
#   1. a `chromium` and `chromedriver` already on PATH (or Debian's /usr/bin ones) win (a user's own install);
#   2. else, on Debian/Ubuntu as root, `apt-get install -y chromium chromium-driver` (bookworm's security updates
#      ship a current Chromium); the driver package matches the browser's version, which Selenium needs;
#   3. else it says how to install them and exits non-zero.
# Selenium's own driver download (Selenium Manager) cannot work on these machines: the test passes these paths.
set -euo pipefail

say() { echo "install-chromium: $*" >&2; }

find_pair() {
  browser="$(command -v chromium 2>/dev/null || true)"
  driver="$(command -v chromedriver 2>/dev/null || true)"
  [ -n "$browser" ] && [ -n "$driver" ]
}

if find_pair; then
  echo "$browser"
  echo "$driver"
  exit 0
fi

if command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
  say "installing Debian's chromium and chromium-driver packages..."
  export DEBIAN_FRONTEND=noninteractive
  if ! apt-get install -y -q --no-install-recommends chromium chromium-driver >&2; then
    apt-get update -q >&2 && apt-get install -y -q --no-install-recommends chromium chromium-driver >&2
  fi
  if find_pair; then
    say "installed $("$browser" --version 2>/dev/null | head -n 1) and $("$driver" --version | head -n 1)"
    echo "$browser"
    echo "$driver"
    exit 0
  fi
fi

say "no chromium and chromedriver found, and they cannot be installed here (needs apt-get and root)."
say "Install them (Debian/Ubuntu: 'sudo apt-get install chromium chromium-driver'); the dashboard's browser test is skipped without them."
exit 1
