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

if ! command -v apt-get >/dev/null 2>&1 || [ ! -f /usr/share/keyrings/debian-archive-keyring.gpg ]; then
  say "Consul is not installed and this is not a Debian-like system with apt."
  say "Install Consul from https://developer.hashicorp.com/consul/install (or use 'docker compose up')."
  exit 1
fi

# The mirror comes from this machine's own apt configuration: no host is hard-coded here.
mirror=""
if [ -f /etc/apt/sources.list.d/debian.sources ]; then
  mirror="$(awk '/^URIs:/ { print $2; exit }' /etc/apt/sources.list.d/debian.sources)"
fi
if [ -z "$mirror" ] && [ -f /etc/apt/sources.list ]; then
  mirror="$(awk '$1 == "deb" { for (i = 2; i <= NF; i++) if ($i ~ /^[a-z]+:\/\//) { print $i; exit } }' /etc/apt/sources.list)"
fi
if [ -z "$mirror" ]; then
  say "could not find a Debian mirror in /etc/apt/sources.list.d/debian.sources or /etc/apt/sources.list."
  say "Install Consul from https://developer.hashicorp.com/consul/install."
  exit 1
fi

apt_dir="$tools/apt"
mkdir -p "$apt_dir/lists/partial" "$apt_dir/cache/archives/partial" "$tools/bin"
echo "deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] $mirror bullseye main" > "$apt_dir/sources.list"
apt_opts=(
  -o "Dir::Etc::SourceList=$apt_dir/sources.list"
  -o "Dir::Etc::SourceParts=/dev/null"
  -o "Dir::State::Lists=$apt_dir/lists"
  -o "Dir::Cache=$apt_dir/cache"
  -o "Debug::NoLocking=1"
  -o "APT::Sandbox::User=root"
)
say "fetching Debian's consul package (bullseye) from $mirror"
apt-get "${apt_opts[@]}" -qq update >&2
(cd "$apt_dir" && apt-get "${apt_opts[@]}" -qq download consul >&2)

extract="$apt_dir/extract"
rm -rf "$extract"
dpkg -x "$(ls "$apt_dir"/consul_*.deb | head -n 1)" "$extract"
install -m 0755 "$extract/usr/bin/consul" "$target"
rm -rf "$extract"
say "installed $("$target" version | head -n 1) at $target"
echo "$target"
