#!/usr/bin/env bash
# Makes nginx available to MicroDemo's edge (MICRODEMO_GATEWAY_REPLICAS > 1) and prints its path on stdout.
#   1. an `nginx` already on PATH (or Debian's /usr/sbin/nginx) wins (a user's own install);
#   2. else one this script fetched earlier into .tools/bin;
#   3. else, on Debian/Ubuntu with apt, Debian bookworm's nginx binary is downloaded into the ignored .tools
#      folder with private apt state: the `nginx` package is what `nginx-light` installs (the light flavour
#      only adds the echo module). Nothing is installed system-wide, so no system nginx starts on port 80
#      and no root is needed; the launcher runs it with a config of its own (see tools/Launcher/Edge);
#   4. else it says how to install nginx and exits non-zero.
set -euo pipefail

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
tools="$repo_root/.tools"
target="$tools/bin/nginx"

say() { echo "install-nginx: $*" >&2; }

for candidate in "$(command -v nginx 2>/dev/null || true)" /usr/sbin/nginx "$target"; do
  if [ -n "$candidate" ] && [ -x "$candidate" ]; then
    echo "$candidate"
    exit 0
  fi
done

# shellcheck source=lib/debian-archive.sh
. "$repo_root/scripts/lib/debian-archive.sh"
extract="$tools/apt/nginx-extract"
mkdir -p "$tools/bin"
if ! debian_fetch bookworm nginx "$extract" || ! "$extract/usr/sbin/nginx" -v 2>/dev/null; then
  say "could not fetch or run Debian's nginx package (see above)."
  say "Install nginx yourself (as root on Debian/Ubuntu: apt-get install nginx-light), or run one gateway (unset MICRODEMO_GATEWAY_REPLICAS)."
  exit 1
fi
install -m 0755 "$extract/usr/sbin/nginx" "$target"
rm -rf "$extract"
say "installed $("$target" -v 2>&1) at $target"
echo "$target"
