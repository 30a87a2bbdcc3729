#!/usr/bin/env bash
# Builds local stand-ins for the registry images docker-compose.yml uses, for machines that cannot pull
# from a container registry (air-gapped, or behind a proxy that only lets package registries through):
#   microdemo-local/debian     Debian bookworm, minimal (debootstrap), with the libraries .NET needs and wget
#   microdemo-local/aspnet     + this machine's .NET and ASP.NET Core runtimes, user 'app' (as the official image)
#   microdemo-local/dotnet-sdk + this machine's .NET SDK, trusting this machine's CA certificates (NuGet restore)
#   microdemo-local/consul     + the Consul that scripts/install-consul.sh provides
#   microdemo-local/redis      + Debian's redis-server, for docker-compose.scale.yml
#   microdemo-local/nginx      + Debian's nginx-light and curl, the edge of docker-compose.scale.yml
# then writes their names into .env (git-ignored), which `docker compose` reads: plain `docker compose up`
# uses them from then on. Idempotent: images that exist are reused, so a second run takes seconds.
# `scripts/local-images.sh --remove` deletes the images and the .env entries again.
set -euo pipefail

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
work="$repo_root/.tools/local-images"
env_file="$repo_root/.env"
say() { echo "local-images: $*" >&2; }
fail() { say "$*"; exit 1; }

dotnet_root="$(dirname "$(readlink -f "$(command -v dotnet)")")"
runtime_version="$(ls "$dotnet_root/shared/Microsoft.AspNetCore.App" | sort -V | tail -n 1)"
sdk_version="$(dotnet --version)"

base_image="microdemo-local/debian:bookworm"
runtime_image="microdemo-local/aspnet:$runtime_version"
sdk_image="microdemo-local/dotnet-sdk:$sdk_version"
consul_image="microdemo-local/consul:latest"
redis_image="microdemo-local/redis:7.0"
nginx_image="microdemo-local/nginx:1.22"
env_keys=(MICRODEMO_DOTNET_SDK_IMAGE MICRODEMO_DOTNET_RUNTIME_IMAGE MICRODEMO_CONSUL_IMAGE MICRODEMO_REDIS_IMAGE MICRODEMO_NGINX_IMAGE)

# Sets KEY=VALUE in .env, keeping every other line of a user's own .env as it is.
set_env() {
  touch "$env_file"
  grep -v "^$1=" "$env_file" > "$env_file.tmp" || true
  [ -n "$2" ] && echo "$1=$2" >> "$env_file.tmp"
  mv "$env_file.tmp" "$env_file"
}

if [ "${1:-}" = --remove ]; then
  docker image rm "$nginx_image" "$redis_image" "$consul_image" "$sdk_image" "$runtime_image" "$base_image" 2>/dev/null || true
  for key in "${env_keys[@]}"; do set_env "$key" ""; done
  say "removed the local images and their .env entries; docker compose uses the official images again"
  exit 0
fi

command -v docker >/dev/null 2>&1 || fail "no docker command: run scripts/install-docker.sh first."
docker info >/dev/null 2>&1 || fail "the Docker daemon does not answer: run scripts/install-docker.sh (it starts one)."
[ -n "$runtime_version" ] || fail "no ASP.NET Core runtime under $dotnet_root/shared: install the .NET 10 SDK."

exists() { docker image inspect "$1" >/dev/null 2>&1; }

# shellcheck source=lib/debian-archive.sh
. "$repo_root/scripts/lib/debian-archive.sh"
mirror="$(debian_mirror)" || fail "no Debian mirror in this machine's apt sources."

# docker build, quiet unless it fails (the CLI without buildx also warns that its builder is deprecated).
build_image() {
  local image="$1" base="$2" dockerfile="$3" context="$4"; shift 4
  if ! docker build -q -t "$image" --build-arg "BASE=$base" "$@" -f "$repo_root/deploy/local-images/$dockerfile" "$context" \
       >"$work/build.log" 2>&1; then
    cat "$work/build.log" >&2
    fail "building $image failed (see above)."
  fi
  rm -rf "$context"
  say "built $image"
}

# A build context holding only what one image needs: hard links where the file system allows (no copy,
# no space), copies elsewhere. The daemon never sees the rest of the machine.
stage() {
  local name="$1"; shift
  rm -rf "${work:?}/$name" && mkdir -p "$work/$name"
  echo "$work/$name"
}
link_tree() { cp -al "$1" "$2" 2>/dev/null || cp -a "$1" "$2"; }

if ! exists "$base_image"; then
  [ "$(id -u)" = 0 ] || fail "building the base image runs debootstrap, which needs root: run 'sudo $0'."
  if ! command -v debootstrap >/dev/null 2>&1; then
    command -v apt-get >/dev/null 2>&1 || fail "debootstrap is missing and there is no apt-get to install it."
    say "installing debootstrap"
    DEBIAN_FRONTEND=noninteractive apt-get -qq install -y debootstrap >/dev/null 2>&1 \
      || { apt-get -qq update >&2 && DEBIAN_FRONTEND=noninteractive apt-get -qq install -y debootstrap >&2; } \
      || fail "could not install debootstrap."
  fi
  mkdir -p "$work"
  rootfs="$work/rootfs"
  rm -rf "$rootfs"
  say "debootstrap bookworm from $mirror (about 2 minutes, once)"
  # .NET needs libstdc++, libssl and (unless invariant) libicu; wget is what the compose healthchecks call.
  debootstrap --variant=minbase --include=ca-certificates,libssl3,libicu72,wget bookworm "$rootfs" "$mirror" \
    > "$work/debootstrap.log" 2>&1 || { tail -n 20 "$work/debootstrap.log" >&2; fail "debootstrap failed (log: $work/debootstrap.log)."; }
  rm -rf "$rootfs"/var/lib/apt/lists/* "$rootfs"/var/cache/apt/archives/*.deb
  tar -C "$rootfs" -c . | docker import -c 'CMD ["/bin/bash"]' - "$base_image" >/dev/null
  rm -rf "$rootfs"
  say "built $base_image"
fi

if ! exists "$runtime_image"; then
  context="$(stage runtime)"
  mkdir -p "$context/dotnet/shared"
  cp -a "$dotnet_root/dotnet" "$dotnet_root/LICENSE.txt" "$context/dotnet/"
  link_tree "$dotnet_root/host" "$context/dotnet/host"
  link_tree "$dotnet_root/shared/Microsoft.NETCore.App" "$context/dotnet/shared/Microsoft.NETCore.App"
  link_tree "$dotnet_root/shared/Microsoft.AspNetCore.App" "$context/dotnet/shared/Microsoft.AspNetCore.App"
  build_image "$runtime_image" "$base_image" aspnet.Dockerfile "$context"
fi

if ! exists "$sdk_image"; then
  context="$(stage sdk)"
  link_tree "$dotnet_root" "$context/dotnet"
  # NuGet restores over TLS: the image must trust what this machine trusts (a company proxy's CA included).
  cp /etc/ssl/certs/ca-certificates.crt "$context/ca-certificates.crt"
  build_image "$sdk_image" "$runtime_image" sdk.Dockerfile "$context"
fi

if ! exists "$consul_image"; then
  consul="$("$repo_root/scripts/install-consul.sh")"
  context="$(stage consul)"
  cp "$consul" "$context/consul"
  build_image "$consul_image" "$base_image" consul.Dockerfile "$context"
fi

# Debian's own packages, installed inside the build from the mirror this machine's apt uses.
for pair in "$redis_image redis.Dockerfile" "$nginx_image nginx.Dockerfile"; do
  read -r image dockerfile <<< "$pair"
  exists "$image" || build_image "$image" "$base_image" "$dockerfile" "$(stage packages)" --build-arg "MIRROR=$mirror"
done

images=("$sdk_image" "$runtime_image" "$consul_image" "$redis_image" "$nginx_image")
for i in "${!env_keys[@]}"; do set_env "${env_keys[$i]}" "${images[$i]}"; done
say "ready: .env points docker compose at ${images[*]}"
