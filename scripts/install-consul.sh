#!/usr/bin/env bash
# Makes a real Consul agent available to MicroDemo and prints its path on stdout.
#   1. a `consul` already on PATH wins (a user's own install);
#   2. else one this script fetched earlier into .tools/bin;
#   3. else, on Debian/Ubuntu with apt, Debian's bullseye `consul` package is downloaded into the
#      ignored .tools folder with private apt state (the system's apt configuration is not touched);
#   4. else it says how to install Consul and exits non-zero.
set -euo pipefail

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
tools="$repo_root/.tools"
target="$tools/bin/consul"

say() { echo "install-consul: $*" >&2; }

if command -v consul >/dev/null 2>&1; then
  command -v consul
  exit 0
fi
if [ -x "$target" ]; then
  echo "$target"
  exit 0
fi

# shellcheck source=lib/debian-archive.sh
. "$repo_root/scripts/lib/debian-archive.sh"
extract="$tools/apt/consul-extract"
mkdir -p "$tools/bin"
if ! debian_fetch bullseye consul "$extract"; then
  say "could not fetch Debian's consul package (see above)."
  say "Install Consul from https://developer.hashicorp.com/consul/install (or use 'docker compose up')."
  exit 1
fi
install -m 0755 "$extract/usr/bin/consul" "$target"
rm -rf "$extract"
say "installed $("$target" version | head -n 1) at $target"
echo "$target"
