#!/usr/bin/env bash
# Makes a real redis-server available to MicroDemo (the gateway's shared state, its tests) and prints its path on stdout.
#   1. a `redis-server` already on PATH wins (a user's own install);
#   2. else, on Debian/Ubuntu as root, `apt-get install -y redis-server` (bookworm ships Redis 7.0);
#   3. else it says how to install Redis and exits non-zero.
# Debian's package would start a system-wide Redis under systemd; MicroDemo never uses that one: tests start their
# own redis-server on a free port.
set -euo pipefail

say() { echo "install-redis: $*" >&2; }

if command -v redis-server >/dev/null 2>&1; then
  command -v redis-server
  exit 0
fi

if command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
  say "installing Debian's redis-server package..."
  export DEBIAN_FRONTEND=noninteractive
  if ! apt-get install -y -q redis-server >&2; then
    apt-get update -q >&2 && apt-get install -y -q redis-server >&2
  fi
  if command -v redis-server >/dev/null 2>&1; then
    say "installed $(redis-server --version | head -n 1)"
    command -v redis-server
    exit 0
  fi
fi

say "no redis-server found, and it cannot be installed here (needs apt-get and root)."
say "Install Redis 7 (e.g. 'sudo apt-get install redis-server', or https://redis.io/docs/latest/operate/oss_and_stack/install/),"
say "or use 'docker compose up'."
exit 1
