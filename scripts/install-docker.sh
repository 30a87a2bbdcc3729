#!/usr/bin/env bash
# Makes a Docker engine with the Compose v2 plugin available and running, for `docker compose up`.
#   1. an engine, a compose v2 plugin and a daemon that answers are used as they are (Docker Desktop,
#      a distribution's docker-ce, a running systemd service);
#   2. else, on Debian/Ubuntu as root: the engine from the distribution (`docker.io`), and the compose v2
#      plugin from Debian trixie's `docker-compose` package (a static binary; bookworm ships only the old
#      Python compose 1.x), fetched with private apt state into .tools;
#   3. a daemon that does not answer is started here (`dockerd` in the background, log and pid under
#      .tools/dockerd/) when there is no init system to do it, and the script says how to stop it.
# Idempotent: a second run with everything in place takes a second.
set -euo pipefail

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
state="$repo_root/.tools/dockerd"
say() { echo "install-docker: $*" >&2; }
fail() { say "$*"; exit 1; }

is_root() { [ "$(id -u)" = 0 ]; }

need_root() {
  is_root || fail "$1 needs root: run 'sudo $0', or install Docker yourself (https://docs.docker.com/engine/install/)."
}

# The engine: dockerd (the client alone cannot run anything).
if ! command -v dockerd >/dev/null 2>&1 && ! docker info >/dev/null 2>&1; then
  need_root "installing the Docker engine"
  command -v apt-get >/dev/null 2>&1 || fail "no apt-get here: install Docker from https://docs.docker.com/engine/install/."
  say "installing Debian's docker.io (engine, containerd, runc)"
  export DEBIAN_FRONTEND=noninteractive
  apt-get -qq update >&2
  apt-get -qq install -y --no-install-recommends docker.io iptables >&2
fi

# The compose v2 plugin: `docker compose` (with --wait and --scale), not the old `docker-compose` 1.x.
if ! docker compose version >/dev/null 2>&1; then
  if is_root; then plugins=/usr/local/lib/docker/cli-plugins; else plugins="$HOME/.docker/cli-plugins"; fi
  # shellcheck source=lib/debian-archive.sh
  . "$repo_root/scripts/lib/debian-archive.sh"
  extract="$repo_root/.tools/apt/docker-compose-extract"
  debian_fetch trixie docker-compose "$extract" || fail "could not fetch the compose v2 plugin (see above)."
  mkdir -p "$plugins"
  install -m 0755 "$extract/usr/libexec/docker/cli-plugins/docker-compose" "$plugins/docker-compose"
  rm -rf "$extract"
  say "installed $(docker compose version) at $plugins/docker-compose"
fi

# The daemon.
if ! docker info >/dev/null 2>&1; then
  if [ -S /var/run/docker.sock ] && ! is_root; then
    fail "a Docker daemon runs but does not answer you: add yourself to the 'docker' group (sudo usermod -aG docker $USER) and log in again."
  fi
  need_root "starting the Docker daemon"
  if command -v systemctl >/dev/null 2>&1 && [ -d /run/systemd/system ]; then
    say "starting the docker service (systemctl)"
    systemctl start docker
  else
    mkdir -p "$state"
    say "no init system runs the daemon: starting dockerd (log: $state/dockerd.log)"
    setsid dockerd >"$state/dockerd.log" 2>&1 < /dev/null &
    echo $! > "$state/dockerd.pid"
  fi
  for _ in $(seq 60); do
    docker info >/dev/null 2>&1 && break
    sleep 0.5
  done
  if ! docker info >/dev/null 2>&1; then
    [ -f "$state/dockerd.log" ] && tail -n 20 "$state/dockerd.log" >&2
    fail "the Docker daemon did not answer within 30 s."
  fi
  if [ -f "$state/dockerd.pid" ]; then
    say "dockerd runs as pid $(cat "$state/dockerd.pid"); stop it with: kill \$(cat $state/dockerd.pid)"
  fi
fi

say "ready: $(docker version --format 'engine {{.Server.Version}}, client {{.Client.Version}}'), $(docker compose version --short 2>/dev/null | sed 's/^/compose /')"
