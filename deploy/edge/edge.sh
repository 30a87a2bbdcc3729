#!/bin/sh
# The edge container's main process: nginx, with its upstream list kept equal to the gateway replicas.
# Docker's DNS answers "gateway" with every replica's address, but nginx (before 1.27.3) reads an upstream's
# addresses once, at start: after `docker compose up --scale gateway=3` it would never send to the third.
# So this loop asks the DNS every 2 seconds and, when the answer changes, rewrites the list and reloads nginx
# (a graceful reload: requests in flight finish on the old workers).
set -eu
config=/etc/microdemo/nginx.conf
replicas=/tmp/edge/replicas.conf
mkdir -p /tmp/edge

replica_lines() {
  getent ahostsv4 gateway | awk '{ print $1 }' | sort -u \
    | sed 's/.*/server &:8080 max_fails=1 fail_timeout=5s;/'
}

# The gateways are healthy before the edge starts (depends_on), so the first answer lists them all.
replica_lines > "$replicas"
[ -s "$replicas" ] || { echo "edge: Docker's DNS knows no 'gateway' container" >&2; exit 1; }
echo "edge: balancing over $(wc -l < "$replicas") gateway replica(s)" >&2

nginx -c "$config" &
nginx_pid=$!
trap 'kill -QUIT "$nginx_pid" 2>/dev/null; wait "$nginx_pid"; exit 0' TERM INT

while kill -0 "$nginx_pid" 2>/dev/null; do
  sleep 2
  latest="$(replica_lines || true)"
  if [ -n "$latest" ] && [ "$latest" != "$(cat "$replicas")" ]; then
    echo "$latest" > "$replicas"
    echo "edge: the gateway replicas changed; now $(wc -l < "$replicas"), reloading" >&2
    nginx -c "$config" -s reload
  fi
done
wait "$nginx_pid"
