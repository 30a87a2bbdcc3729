#!/usr/bin/env bash
# Throughput, latency and memory of the gateway against direct calls, nginx, YARP and a minimal ASP.NET Core forwarder
# (bench/MinimalProxy: the most any forwarder on the gateway's stack can do here), and of the gateway with its features
# on, all in one run on the same machine. docs/benchmarks.md explains the arms and the method.
# Usage: bench/run.sh            (env: ROUNDS=10 DURATION=5 WARMUP=10 CONNS=32 SIZE=100)
#        bench/run.sh --quick    3 rounds x 3 s, 3 s warm-up, one -c1000 round: every arm and section, in about 5 minutes
#        Arms with the features on (all routes of one gateway process unless said otherwise):
#          secure      JWT (RS256, bench/Backend as issuer) + scope + a rate limit never reached
#          token-plain the plain route with the same token header (forwarded, not checked)
#          cached      a cached route answering hits
#          routes1000  a second gateway process with 1,000 routes, the request matching the last one
#          limited, limited-redis   a rate-limited route, counters in memory / in a local redis-server (LIMITED=0: left out)
#        Sections after the rounds: wrk -c1000 p99 (gateway, YARP, nginx), a new Consul instance's time to its first
#        request (CONSUL=0: left out), a 100 MB upload's peak RSS, and idle / peak RSS per process.
#        Two more measure telemetry's cost on the plain route (the gateway arm has everything on, as shipped): "metrics-only"
#        (OpenTelemetry metrics and the dashboard, no tracing) and "telemetry-off" (neither); TELEMETRY=0 leaves them out.
#        GATEWAY_ENV="DOTNET_X=1 ..." bench/run.sh   gives the gateway arm extra environment (experiments)
#        COMPARE=<git ref> bench/run.sh             adds a "compare" arm: the gateway built from that commit, measured in
#                                                   the same rounds as this one (an A/B of two builds)
#        COMPARE_ENV="DOTNET_X=1 ..." bench/run.sh  adds a "compare" arm: this build (or COMPARE's) with extra environment
#        TOKENS=1 (default) ends with a block of its own: an authenticated route with a JWT and with a reference token
#        (introspection cache warm), against services/identity; TOKENS=0 leaves it out.
# Method: interleaved arms (order reversed every other round), wrk -t1, medians over rounds, CPU µs per request from
# /proc. Results are printed and kept in bench/results/ (git-ignored).
set -euo pipefail

if [ "${1:-}" = "--quick" ]; then
  ROUNDS=${ROUNDS:-3} DURATION=${DURATION:-3} WARMUP=${WARMUP:-3} C1000_ROUNDS=${C1000_ROUNDS:-1}
fi
ROUNDS=${ROUNDS:-10}
DURATION=${DURATION:-5}
WARMUP=${WARMUP:-10}
C1000_ROUNDS=${C1000_ROUNDS:-3}
CONSUL=${CONSUL:-1}
CONNS=${CONNS:-32}
SIZE=${SIZE:-100}
GATEWAY_ENV=${GATEWAY_ENV:-}
COMPARE=${COMPARE:-}
COMPARE_ENV=${COMPARE_ENV:-}
LIMITED=${LIMITED:-1}
TELEMETRY=${TELEMETRY:-1}
WITH_COMPARE=""
if [ -n "$COMPARE$COMPARE_ENV" ]; then WITH_COMPARE=1; fi

ROOT=$(cd "$(dirname "$0")/.." && pwd)
WORK=$(mktemp -d /tmp/microdemo-bench.XXXXXX)
RESULTS="$ROOT/bench/results"
mkdir -p "$RESULTS"
PIDS=()

cleanup() {
  local pid
  # Keep the process logs of the last run for post-mortems (bench/results is git-ignored).
  mkdir -p "$RESULTS/last-run"
  cp "$WORK"/*.log "$WORK"/nginx/error.log "$RESULTS/last-run/" 2>/dev/null || true
  for pid in "${PIDS[@]}"; do
    kill "$pid" 2>/dev/null || true
  done
  for pid in "${PIDS[@]}"; do
    timeout 10 tail --pid="$pid" -f /dev/null 2>/dev/null || kill -9 "$pid" 2>/dev/null || true
  done
  rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

log() { printf '[bench] %s\n' "$*" >&2; }

ensure_tools() {
  if command -v wrk >/dev/null && { command -v nginx >/dev/null || [ -x /usr/sbin/nginx ]; }; then
    return
  fi
  local sudo=""
  if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
  log "installing nginx and wrk with apt-get"
  $sudo apt-get update -qq
  local nginx_pkg=nginx-light
  if ! apt-cache show nginx-light >/dev/null 2>&1; then nginx_pkg=nginx; fi
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "$nginx_pkg" wrk >/dev/null
}

# A port nobody listens on right now (the OS-assigned alternative is not available to nginx), below the kernel's
# ephemeral range: the -c1000 section keeps a thousand client ports of that range busy.
EPHEMERAL_LOW=$(awk '{print $1}' /proc/sys/net/ipv4/ip_local_port_range 2>/dev/null || echo 32768)
free_port() {
  local port
  while :; do
    port=$((10000 + RANDOM % (EPHEMERAL_LOW - 10000)))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
      echo "$port"
      return
    fi
  done
}

# "ok" when the <count> ports after <port> are free too.
free_port_after() {
  local port=$1 count=$2 i
  for i in $(seq 1 "$count"); do
    if [ $((port + i)) -ge "$EPHEMERAL_LOW" ] || (exec 3<>"/dev/tcp/127.0.0.1/$((port + i))") 2>/dev/null; then echo busy; return; fi
  done
  echo ok
}

wait_http() {
  local url=$1 deadline=$((SECONDS + 60))
  shift
  until curl -fsS -o /dev/null --max-time 2 "$@" "$url" 2>/dev/null; do
    if [ $SECONDS -ge $deadline ]; then log "timed out waiting for $url"; exit 1; fi
    sleep 0.2
  done
}

# utime+stime in clock ticks of a process and its children (nginx master + worker).
cpu_ticks() {
  local total=0 pid
  for pid in "$@" $(pgrep -P "$1" 2>/dev/null || true); do
    if [ -r "/proc/$pid/stat" ]; then
      total=$((total + $(awk '{sub(/^.*\) /, ""); print $12 + $13}' "/proc/$pid/stat")))
    fi
  done
  echo "$total"
}

# Busy time of the whole machine in clock ticks: user, nice, system, irq and softirq from /proc/stat. With IRQ time
# accounting on (as here), the kernel's network receive work is counted as softirq and belongs to no process, so
# only this total says what one request costs the machine; its ratio between two arms predicts their throughput
# ratio while both saturate the CPU.
machine_ticks() { awk '/^cpu / {print $2 + $3 + $4 + $7 + $8}' /proc/stat; }

rss_mb() { awk '/VmRSS/ {printf "%.0f", $2 / 1024}' "/proc/$1/status"; }

ensure_tools
NGINX=$(command -v nginx || echo /usr/sbin/nginx)

if [ -n "$COMPARE" ]; then
  COMPARE_SHA=$(git -C "$ROOT" rev-parse --verify --quiet --short "$COMPARE^{commit}") || { log "COMPARE=$COMPARE: no such commit in $ROOT"; exit 1; }
fi

log "building Release"
dotnet build -c Release -nologo -v q "$ROOT/gateway/MicroDemo.Gateway.csproj" >/dev/null
dotnet build -c Release -nologo -v q "$ROOT/bench/Backend/MicroDemo.Bench.Backend.csproj" >/dev/null
dotnet build -c Release -nologo -v q "$ROOT/bench/MinimalProxy/MicroDemo.Bench.MinimalProxy.csproj" >/dev/null
dotnet build -c Release -nologo -v q "$ROOT/bench/YarpProxy/MicroDemo.Bench.YarpProxy.csproj" >/dev/null
GATEWAY_DLL="$ROOT/gateway/bin/Release/net10.0/MicroDemo.Gateway.dll"
COMPARE_DLL=$GATEWAY_DLL
COMPARE_LABEL="this build"
if [ -n "$COMPARE" ]; then
  # Two builds only compare fairly within one run: between runs this machine drifts more than most changes weigh.
  log "building $COMPARE ($COMPARE_SHA) for the compare arm"
  mkdir -p "$WORK/compare"
  git -C "$ROOT" archive "$COMPARE_SHA" | tar -x -C "$WORK/compare"
  dotnet build -c Release -nologo -v q "$WORK/compare/gateway/MicroDemo.Gateway.csproj" >/dev/null
  COMPARE_DLL="$WORK/compare/gateway/bin/Release/net10.0/MicroDemo.Gateway.dll"
  COMPARE_LABEL="$COMPARE ($COMPARE_SHA)"
fi
BACKEND_DLL="$ROOT/bench/Backend/bin/Release/net10.0/MicroDemo.Bench.Backend.dll"
MINIMAL_DLL="$ROOT/bench/MinimalProxy/bin/Release/net10.0/MicroDemo.Bench.MinimalProxy.dll"
YARP_DLL="$ROOT/bench/YarpProxy/bin/Release/net10.0/MicroDemo.Bench.YarpProxy.dll"
# Many connections (-c1000) need more descriptors than the default 1024, in wrk and in every proxy.
ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)"

BACKEND_PORT=$(free_port)
dotnet "$BACKEND_DLL" --urls "http://127.0.0.1:$BACKEND_PORT" >"$WORK/backend.log" 2>&1 &
BACKEND_PID=$!
PIDS+=("$BACKEND_PID")

NGINX_PORT=$(free_port)
mkdir -p "$WORK/nginx"
cat >"$WORK/nginx/nginx.conf" <<CONF
worker_processes 1;
daemon off;
pid $WORK/nginx/nginx.pid;
error_log $WORK/nginx/error.log warn;
events { worker_connections 4096; multi_accept on; use epoll; }
http {
  access_log off;
  client_body_temp_path $WORK/nginx/body;
  proxy_temp_path $WORK/nginx/proxy;
  fastcgi_temp_path $WORK/nginx/fastcgi;
  uwsgi_temp_path $WORK/nginx/uwsgi;
  scgi_temp_path $WORK/nginx/scgi;
  upstream backend {
    server 127.0.0.1:$BACKEND_PORT;
    keepalive 256;
    keepalive_requests 100000;
  }
  server {
    listen 127.0.0.1:$NGINX_PORT;
    location / {
      proxy_pass http://backend;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      # Same header work as the gateway: Host from the destination, the three X-Forwarded-* headers added.
      proxy_set_header Host 127.0.0.1:$BACKEND_PORT;
      proxy_set_header X-Forwarded-For \$proxy_add_x_forwarded_for;
      proxy_set_header X-Forwarded-Proto \$scheme;
      proxy_set_header X-Forwarded-Host \$http_host;
    }
  }
}
CONF
"$NGINX" -p "$WORK/nginx" -c "$WORK/nginx/nginx.conf" &
NGINX_PID=$!
PIDS+=("$NGINX_PID")

# The committed file names a placeholder port; the run uses the backend's free port.
sed "s/\"Port\": *[0-9]*/\"Port\": $BACKEND_PORT/" "$ROOT/bench/ocelot.bench.json" >"$WORK/ocelot.bench.json"

# start_gateway <arm> <dll> <extra environment> [configuration file]: the gateway as ./demo and its Dockerfile run it,
# socket completions inline (see docs/benchmarks.md), the backend as its "Bench" token issuer; sets PORT and PID for <arm>.
declare -A PORT PID
start_gateway() {
  local arm=$1 dll=$2 extra_env=$3 config=${4:-$WORK/ocelot.bench.json}
  PORT[$arm]=$(free_port)
  env DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS=1 $extra_env dotnet "$dll" --ocelot "$config" \
    --urls "http://127.0.0.1:${PORT[$arm]}" --Logging:LogLevel:Default=Warning --Logging:LogLevel:Microsoft=Warning \
    --Gateway:Authentication:Providers:Bench:Authority="http://127.0.0.1:$BACKEND_PORT" \
    --Gateway:Authentication:Providers:Bench:Audience=bench \
    >"$WORK/$arm.log" 2>&1 &
  PID[$arm]=$!
  PIDS+=("${PID[$arm]}")
}

start_gateway gateway "$GATEWAY_DLL" "$GATEWAY_ENV"

# routes1000: 1,000 routes with distinct literal prefixes; the measured request matches the last one.
{
  echo '{ "Routes": ['
  for i in $(seq 0 999); do
    [ "$i" -gt 0 ] && echo ','
    printf '{ "UpstreamPathTemplate": "/svc%d/{everything}", "DownstreamPathTemplate": "/{everything}", "DownstreamScheme": "http", "DownstreamHostAndPorts": [ { "Host": "127.0.0.1", "Port": %d } ] }' "$i" "$BACKEND_PORT"
  done
  echo '], "GlobalConfiguration": {} }'
} >"$WORK/ocelot.routes1000.json"
start_gateway routes1000 "$GATEWAY_DLL" "$GATEWAY_ENV" "$WORK/ocelot.routes1000.json"
if [ -n "$WITH_COMPARE" ]; then
  start_gateway compare "$COMPARE_DLL" "$COMPARE_ENV"
fi
if [ "$LIMITED" = 1 ]; then
  REDIS_PORT=$(free_port)
  "$("$ROOT/scripts/install-redis.sh")" --port "$REDIS_PORT" --bind 127.0.0.1 --save '' --appendonly no >"$WORK/redis.log" 2>&1 &
  PIDS+=("$!")
  start_gateway limited-redis "$GATEWAY_DLL" "$GATEWAY_ENV Gateway__Redis__Configuration=127.0.0.1:$REDIS_PORT"
fi
if [ "$TELEMETRY" = 1 ]; then
  start_gateway metrics-only "$GATEWAY_DLL" "$GATEWAY_ENV Telemetry__Tracing=false"
  start_gateway telemetry-off "$GATEWAY_DLL" "$GATEWAY_ENV Telemetry__Tracing=false Telemetry__Metrics=false Gateway__Dashboard__Enabled=false"
fi

YARP_PORT=$(free_port)
env DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS=1 dotnet "$YARP_DLL" --urls "http://127.0.0.1:$YARP_PORT" \
  --ReverseProxy:Clusters:backend:Destinations:backend:Address="http://127.0.0.1:$BACKEND_PORT/" >"$WORK/yarp.log" 2>&1 &
YARP_PID=$!
PIDS+=("$YARP_PID")
YARP_FORWARDER_PORT=$(free_port)
env DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS=1 dotnet "$YARP_DLL" --urls "http://127.0.0.1:$YARP_FORWARDER_PORT" \
  --mode forwarder --target "http://127.0.0.1:$BACKEND_PORT/" >"$WORK/yarp-forwarder.log" 2>&1 &
YARP_FORWARDER_PID=$!
PIDS+=("$YARP_FORWARDER_PID")

MINIMAL_PORT=$(free_port)
env DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS=1 dotnet "$MINIMAL_DLL" --target "http://127.0.0.1:$BACKEND_PORT" \
  --urls "http://127.0.0.1:$MINIMAL_PORT" >"$WORK/minimal.log" 2>&1 &
MINIMAL_PID=$!
PIDS+=("$MINIMAL_PID")

PATH_QUERY="/bench?s=$SIZE"
declare -A URL=([direct]="http://127.0.0.1:$BACKEND_PORT$PATH_QUERY" [nginx]="http://127.0.0.1:$NGINX_PORT$PATH_QUERY"
  [gateway]="http://127.0.0.1:${PORT[gateway]}$PATH_QUERY" [minimal]="http://127.0.0.1:$MINIMAL_PORT$PATH_QUERY"
  [yarp]="http://127.0.0.1:$YARP_PORT$PATH_QUERY" [yarp-forwarder]="http://127.0.0.1:$YARP_FORWARDER_PORT$PATH_QUERY"
  [secure]="http://127.0.0.1:${PORT[gateway]}/secure$PATH_QUERY" [cached]="http://127.0.0.1:${PORT[gateway]}/cached$PATH_QUERY"
  [routes1000]="http://127.0.0.1:${PORT[routes1000]}/svc999$PATH_QUERY")
declare -A PROXY_PID=([direct]="" [nginx]="$NGINX_PID" [gateway]="${PID[gateway]}" [minimal]="$MINIMAL_PID" [yarp]="$YARP_PID"
  [yarp-forwarder]="$YARP_FORWARDER_PID"
  [secure]="${PID[gateway]}" [cached]="${PID[gateway]}" [routes1000]="${PID[routes1000]}")
# wrk options per arm (the secure arm sends its token from a script).
declare -A WRK_ARGS
ARMS=(direct nginx gateway yarp-forwarder minimal yarp)
if [ -n "$WITH_COMPARE" ]; then
  # Next to the gateway, so both see the same moment of the host in every round.
  URL[compare]="http://127.0.0.1:${PORT[compare]}$PATH_QUERY"
  PROXY_PID[compare]=${PID[compare]}
  ARMS=(direct nginx gateway compare yarp-forwarder minimal yarp)
fi

# Features on: a token from the backend (the issuer), valid for an hour, the same on every request as a client would send.
wait_http "http://127.0.0.1:$BACKEND_PORT/jwks"
TOKEN=$(curl -fsS "http://127.0.0.1:$BACKEND_PORT/token?aud=bench&scope=bench")
printf 'wrk.headers["Authorization"] = "Bearer %s"\n' "$TOKEN" >"$WORK/token.lua"
WRK_ARGS[secure]="-s $WORK/token.lua"
# The plain route with the same token, forwarded but not checked: what carrying the header costs, apart from checking it.
URL[token-plain]=${URL[gateway]}
PROXY_PID[token-plain]=${PID[gateway]}
WRK_ARGS[token-plain]="-s $WORK/token.lua"
ARMS+=(secure token-plain cached routes1000)
if [ -n "$WITH_COMPARE" ]; then
  # The compare build on the secure route too: an A/B of authentication work.
  URL[compare-secure]="http://127.0.0.1:${PORT[compare]}/secure$PATH_QUERY"
  PROXY_PID[compare-secure]=${PID[compare]}
  WRK_ARGS[compare-secure]="-s $WORK/token.lua"
  ARMS+=(compare-secure)
fi
if [ "$LIMITED" = 1 ]; then
  # The in-memory arm is the gateway arm's own process, on the limited route.
  URL[limited]="http://127.0.0.1:${PORT[gateway]}/limited$PATH_QUERY"
  URL[limited-redis]="http://127.0.0.1:${PORT[limited-redis]}/limited$PATH_QUERY"
  PROXY_PID[limited]=${PID[gateway]}
  PROXY_PID[limited-redis]=${PID[limited-redis]}
  ARMS+=(limited limited-redis)
fi
if [ "$TELEMETRY" = 1 ]; then
  for arm in metrics-only telemetry-off; do
    URL[$arm]="http://127.0.0.1:${PORT[$arm]}$PATH_QUERY"
    PROXY_PID[$arm]=${PID[$arm]}
  done
  ARMS+=(metrics-only telemetry-off)
fi

# Every arm answers, and with the whole body.
for arm in "${ARMS[@]}"; do
  auth=(); [ -n "${WRK_ARGS[$arm]:-}" ] && auth=(-H "Authorization: Bearer $TOKEN")
  wait_http "${URL[$arm]}" "${auth[@]}"
  BODY_SIZE=$(curl -fsS "${auth[@]}" "${URL[$arm]}" | wc -c)
  if [ "$BODY_SIZE" -ne "$SIZE" ]; then log "$arm returned $BODY_SIZE bytes, expected $SIZE"; exit 1; fi
done

# Idle memory: every process started, answered its first requests, then left alone for a moment.
sleep 3
# nginx's memory is its worker's; the master only forks it.
NGINX_WORKER=$(pgrep -P "$NGINX_PID" | head -n 1)
memory_pid() { if [ "$1" = nginx ]; then echo "$NGINX_WORKER"; else echo "${PROXY_PID[$1]:-}"; fi; }
declare -A IDLE_RSS
for arm in "${ARMS[@]}"; do
  pid=$(memory_pid "$arm")
  if [ -n "$pid" ]; then IDLE_RSS[$pid]=$(rss_mb "$pid"); fi
done
IDLE_RSS[$BACKEND_PID]=$(rss_mb "$BACKEND_PID")

log "warming up ${WARMUP}s per arm"
for arm in "${ARMS[@]}"; do
  timeout $((WARMUP + 30)) wrk -t1 -c"$CONNS" -d"${WARMUP}s" ${WRK_ARGS[$arm]:-} "${URL[$arm]}" >/dev/null
done

TICK=$(getconf CLK_TCK)
RAW="$WORK/raw.tsv"
: >"$RAW"
for round in $(seq 1 "$ROUNDS"); do
  # Even rounds run the arms in reverse order, so drift within a round and the position of an arm (first after
  # an idle spell, right after another arm's load) weigh on every arm alike; nginx and the minimal forwarder stay
  # next to the gateway.
  order=("${ARMS[@]}")
  if [ $((round % 2)) -eq 0 ]; then
    order=()
    for ((i = ${#ARMS[@]} - 1; i >= 0; i--)); do order+=("${ARMS[$i]}"); done
  fi
  for arm in "${order[@]}"; do
    proxy=${PROXY_PID[$arm]}
    backend_before=$(cpu_ticks "$BACKEND_PID")
    proxy_before=0; [ -n "$proxy" ] && proxy_before=$(cpu_ticks "$proxy")
    machine_before=$(machine_ticks)
    out=$(timeout $((DURATION + 30)) wrk -t1 -c"$CONNS" -d"${DURATION}s" --latency ${WRK_ARGS[$arm]:-} "${URL[$arm]}")
    for pid in "$BACKEND_PID" $proxy; do
      if ! kill -0 "$pid" 2>/dev/null; then
        log "process $pid ($arm arm) is gone; its log is kept in $RESULTS/last-run/"
        exit 1
      fi
    done
    machine_after=$(machine_ticks)
    backend_after=$(cpu_ticks "$BACKEND_PID")
    proxy_after=0; [ -n "$proxy" ] && proxy_after=$(cpu_ticks "$proxy")
    echo "$out" >"$WORK/wrk-$arm-$round.txt"
    requests=$(awk '/requests in/ {print $1}' <<<"$out")
    rps=$(awk '/^Requests\/sec/ {print $2}' <<<"$out")
    p50=$(awk '$1 == "50%" {print $2}' <<<"$out")
    p99=$(awk '$1 == "99%" {print $2}' <<<"$out")
    errors=$(awk '/Socket errors|Non-2xx/ {gsub(/[^0-9 ]/, " "); for (i = 1; i <= NF; i++) n += $i} END {print n + 0}' <<<"$out")
    proxy_rss=""; [ -n "$proxy" ] && proxy_rss=$(rss_mb "$(memory_pid "$arm")")
    printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$round" "$arm" "$rps" "$p50" "$p99" "$requests" \
      $((backend_after - backend_before)) $((proxy_after - proxy_before)) "$errors" "${proxy_rss:--}" \
      $((machine_after - machine_before)) >>"$RAW"
    log "round $round $arm: $rps req/s, p50 $p50, p99 $p99, errors $errors"
  done
done

# The rounds' figures are kept before the sections run, so a failing section does not lose them.
STAMP=$(date -u +%Y%m%dT%H%M%SZ)
cp "$RAW" "$RESULTS/raw-$STAMP.tsv"

# Peak memory under the load of the rounds, read before the sections below add their own peaks.
peak_mb() { awk '/VmHWM/ {printf "%.0f", $2 / 1024}' "/proc/$1/status"; }
declare -A PEAK_RSS
for pid in "${!IDLE_RSS[@]}"; do PEAK_RSS[$pid]=$(peak_mb "$pid"); done

# Many connections: p99 of the plain route with wrk -c1000, nginx and YARP beside the gateway, interleaved.
C1000="$WORK/c1000.tsv"
: >"$C1000"
for round in $(seq 1 "$C1000_ROUNDS"); do
  for arm in nginx gateway yarp; do
    out=$(timeout $((DURATION + 60)) wrk -t1 -c1000 -d"${DURATION}s" --timeout 10s --latency "${URL[$arm]}")
    printf '%s\t%s\t%s\t%s\t%s\n' "$round" "$arm" "$(awk '/^Requests\/sec/ {print $2}' <<<"$out")" \
      "$(awk '$1 == "99%" {print $2}' <<<"$out")" \
      "$(awk '/Socket errors|Non-2xx/ {gsub(/[^0-9 ]/, " "); for (i = 1; i <= NF; i++) n += $i} END {print n + 0}' <<<"$out")" >>"$C1000"
    log "c1000 round $round $arm: $(tail -n 1 "$C1000" | cut -f3-)"
  done
done

# A new Consul instance's time to its first request: a gateway whose route names a Consul service with no instance yet
# (it answers 503); the backend is registered as an instance, and the clock runs until the gateway forwards to it.
CONSUL_TIMES=""
if [ "$CONSUL" = 1 ] && CONSUL_BIN=$("$ROOT/scripts/install-consul.sh" 2>>"$WORK/consul-install.log"); then
  # Four distinct ports (separate picks can collide, and Consul refuses to share one between two listeners).
  until CONSUL_PORT=$(free_port) && [ "$(free_port_after "$CONSUL_PORT" 3)" = ok ]; do :; done
  "$CONSUL_BIN" agent -dev -bind 127.0.0.1 -client 127.0.0.1 -node "bench-$CONSUL_PORT" -http-port "$CONSUL_PORT" \
    -serf-lan-port $((CONSUL_PORT + 1)) -serf-wan-port $((CONSUL_PORT + 2)) -server-port $((CONSUL_PORT + 3)) -dns-port -1 -grpc-port -1 \
    >"$WORK/consul.log" 2>&1 &
  CONSUL_PID=$!
  PIDS+=("$CONSUL_PID")
  until leader=$(curl -fsS "http://127.0.0.1:$CONSUL_PORT/v1/status/leader" 2>/dev/null) && [ -n "$leader" ] && [ "$leader" != '""' ]; do
    if ! kill -0 "$CONSUL_PID" 2>/dev/null; then log "consul exited (log kept in $RESULTS/last-run/)"; exit 1; fi
    sleep 0.2
  done
  cat >"$WORK/ocelot.consul.json" <<JSON
{ "Routes": [ { "UpstreamPathTemplate": "/fresh/{everything}", "DownstreamPathTemplate": "/{everything}", "DownstreamScheme": "http",
  "ServiceName": "fresh", "LoadBalancerOptions": { "Type": "RoundRobin" } } ],
  "GlobalConfiguration": { "ServiceDiscoveryProvider": { "Scheme": "http", "Host": "127.0.0.1", "Port": $CONSUL_PORT, "Type": "Consul" } } }
JSON
  start_gateway discovery "$GATEWAY_DLL" "$GATEWAY_ENV" "$WORK/ocelot.consul.json"
  for attempt in 1 2 3; do
    # The gateway answers, without an instance (503); a second on, its Consul watch is parked on the next change.
    deadline=$((SECONDS + 60))
    until code=$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:${PORT[discovery]}/fresh$PATH_QUERY") && [ "$code" != 000 ] && [ "$code" != 200 ]; do
      if [ $SECONDS -ge $deadline ]; then log "consul: the discovery gateway does not answer"; exit 1; fi
      sleep 0.1
    done
    sleep 1
    start=$(date +%s%N)
    curl -fsS -X PUT "http://127.0.0.1:$CONSUL_PORT/v1/agent/service/register" \
      -d "{\"ID\": \"fresh-$attempt\", \"Name\": \"fresh\", \"Address\": \"127.0.0.1\", \"Port\": $BACKEND_PORT}" >/dev/null
    until [ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:${PORT[discovery]}/fresh$PATH_QUERY")" = 200 ]; do
      if [ $(( ($(date +%s%N) - start) / 1000000 )) -gt 30000 ]; then log "consul: no request reached the new instance in 30 s"; break; fi
    done
    CONSUL_TIMES="$CONSUL_TIMES $(( ($(date +%s%N) - start) / 1000000 ))"
    curl -fsS -X PUT "http://127.0.0.1:$CONSUL_PORT/v1/agent/service/deregister/fresh-$attempt" >/dev/null
  done
  log "consul: time to first request (ms):$CONSUL_TIMES"
fi

# A 100 MB upload through the plain route: the gateway's RSS is sampled while it streams; flat means no buffering.
head -c $((100 * 1024 * 1024)) /dev/zero >"$WORK/body.bin"
declare -A BODY_RSS
for arm in gateway yarp; do
  pid=${PROXY_PID[$arm]}
  before=$(rss_mb "$pid")
  ( max=0
    while r=$(rss_mb "$pid" 2>/dev/null) && [ -n "$r" ]; do
      if [ "$r" -gt "$max" ]; then max=$r; echo "$max" >"$WORK/body-max-$arm"; fi
      sleep 0.02
    done ) &
  sampler=$!
  received=$(curl -fsS -X POST -T "$WORK/body.bin" -H "Content-Type: application/octet-stream" "${URL[$arm]}") || received="none (upload failed)"
  kill "$sampler" 2>/dev/null; wait "$sampler" 2>/dev/null || true
  BODY_RSS[$arm]="$before $(cat "$WORK/body-max-$arm" 2>/dev/null || echo "$before") $received"
  log "100 MB upload via $arm: RSS $before MB before, at most $(cut -d' ' -f2 <<<"${BODY_RSS[$arm]}") MB during; backend received $received bytes"
done
rm -f "$WORK/body.bin"


GC_SERVER=$(grep -o '"System.GC.Server": *[a-z]*' "$ROOT/gateway/bin/Release/net10.0/MicroDemo.Gateway.runtimeconfig.json" | awk '{print $2}')
{
  echo "date: $STAMP  commit: $(git -C "$ROOT" rev-parse --short HEAD)  nproc: $(nproc)  kernel: $(uname -r)"
  echo ".NET runtime: $(dotnet --list-runtimes | awk '/Microsoft.NETCore.App/ {v = $2} END {print v}')  server GC: ${GC_SERVER:-default}  DOTNET_gcServer=${DOTNET_gcServer:-unset} DOTNET_GCDynamicAdaptationMode=${DOTNET_GCDynamicAdaptationMode:-unset}"
  echo "nginx: $("$NGINX" -v 2>&1 | sed 's/^nginx version: //')  (worker_processes 1, upstream keepalive 256)"
  echo "gateway extra environment: ${GATEWAY_ENV:-none}"
  if [ -n "$WITH_COMPARE" ]; then echo "compare arm: $COMPARE_LABEL, extra environment: ${COMPARE_ENV:-none}"; fi
  if [ "$TELEMETRY" = 1 ]; then echo "telemetry arms: gateway = metrics, tracing (default sampler: every request, parent-based) and dashboard on; metrics-only = no tracing; telemetry-off = none"; fi
  if [ "$LIMITED" = 1 ]; then echo "limited arms: a rate-limited route, counters in memory / in Redis $(redis-server --version | awk '{print $3}') on loopback (machine CPU includes Redis's)"; fi
  echo "load: wrk -t1 -c$CONNS -d${DURATION}s --latency, GET ${SIZE} B response, $ROUNDS rounds interleaved (order reversed every other round), warm-up ${WARMUP}s per arm"
  echo
  awk -F'\t' -v tick="$TICK" -v arm_list="${ARMS[*]}" '
    function ms(v) { if (v ~ /us$/) return v / 1000; if (v ~ /ms$/) return v + 0; if (v ~ /s$/) return v * 1000; return v }
    function median(list,   n, a, i, j, t) {
      n = split(list, a, " ")
      for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) if (a[j] < a[i]) { t = a[i]; a[i] = a[j]; a[j] = t }
      return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
    }
    # "x/y throughput": the median over rounds of x req/s divided by y req/s in the same round, then every round.
    function ratio(x, y,   i, list) {
      for (i = 1; i <= rounds; i++) list = list " " r[i, x] / r[i, y]
      printf "%-27s %.2f (per round:%s)\n", x "/" y " throughput:", median(list), list
    }
    {
      round = $1; arm = $2
      rps[arm] = rps[arm] " " $3; p50[arm] = p50[arm] " " ms($4); p99[arm] = p99[arm] " " ms($5)
      bcpu[arm] = bcpu[arm] " " ($7 / tick * 1e6 / $6)
      if (arm != "direct") pcpu[arm] = pcpu[arm] " " ($8 / tick * 1e6 / $6)
      mcpu[arm] = mcpu[arm] " " ($11 / tick * 1e6 / $6)
      err[arm] += $9; rss[arm] = $10; r[round, arm] = $3
      if (round > rounds) rounds = round
    }
    END {
      printf "| arm | req/s (median) | p50 ms | p99 ms | proxy CPU us/req | backend CPU us/req | machine CPU us/req | proxy RSS MB | errors |\n"
      printf "|---|---:|---:|---:|---:|---:|---:|---:|---:|\n"
      n = split(arm_list, arms, " ")
      for (k = 1; k <= n; k++) {
        a = arms[k]
        printf "| %s | %.0f | %.2f | %.2f | %s | %.1f | %.1f | %s | %d |\n", a, median(rps[a]), median(p50[a]), median(p99[a]),
          (a == "direct" ? "-" : sprintf("%.1f", median(pcpu[a]))), median(bcpu[a]), median(mcpu[a]), rss[a], err[a]
      }
      printf "\n"
      ratio("gateway", "direct"); ratio("gateway", "nginx"); ratio("gateway", "minimal"); ratio("minimal", "nginx")
      ratio("gateway", "yarp-forwarder"); ratio("gateway", "yarp"); ratio("yarp", "nginx")
      if (r[1, "compare"] != "") { ratio("compare", "nginx"); ratio("gateway", "compare") }
      printf "\nFeatures on (goals: secure/gateway >= 0.85, cached/nginx >= 1.2, gateway/routes1000 <= 1.1):\n"
      ratio("secure", "gateway"); ratio("secure", "token-plain"); ratio("cached", "nginx"); ratio("gateway", "routes1000")
      if (r[1, "compare-secure"] != "") { ratio("compare-secure", "compare"); ratio("secure", "compare-secure") }
      if (r[1, "limited"] != "") { ratio("limited", "gateway"); ratio("limited-redis", "limited") }
      if (r[1, "telemetry-off"] != "") { ratio("metrics-only", "telemetry-off"); ratio("gateway", "telemetry-off") }
    }' "$RAW"
  echo
  echo "1,000 connections (wrk -t1 -c1000 -d${DURATION}s, plain route, $C1000_ROUNDS round(s), medians):"
  awk -F'\t' '
    function ms(v) { if (v ~ /us$/) return v / 1000; if (v ~ /ms$/) return v + 0; if (v ~ /s$/) return v * 1000; return v }
    function median(list,   n, a, i, j, t) {
      n = split(list, a, " ")
      for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) if (a[j] < a[i]) { t = a[i]; a[i] = a[j]; a[j] = t }
      return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
    }
    { rps[$2] = rps[$2] " " $3; p99[$2] = p99[$2] " " ms($4); err[$2] += $5 }
    END {
      printf "| arm | req/s | p99 ms | errors |\n|---|---:|---:|---:|\n"
      split("nginx gateway yarp", arms, " ")
      for (k = 1; k <= 3; k++) printf "| %s | %.0f | %.1f | %d |\n", arms[k], median(rps[arms[k]]), median(p99[arms[k]]), err[arms[k]]
      printf "gateway/nginx p99: %.2f\n", median(p99["gateway"]) / median(p99["nginx"])
    }' "$C1000"
  echo
  if [ -n "$CONSUL_TIMES" ]; then echo "new Consul instance, time to first request (goal < 1000 ms):$CONSUL_TIMES ms"; fi
  for arm in gateway yarp; do
    read -r before during received <<<"${BODY_RSS[$arm]}"
    echo "100 MB upload via $arm: RSS $before MB before, $during MB at most while streaming (+$((during - before)) MB), backend received $received bytes"
  done
  echo
  echo "Memory per process (RSS MB: idle after start and first requests / peak over the rounds, VmHWM):"
  echo "| process | idle | peak under load |"
  echo "|---|---:|---:|"
  echo "| backend | ${IDLE_RSS[$BACKEND_PID]} | ${PEAK_RSS[$BACKEND_PID]} |"
  for arm in nginx gateway routes1000 yarp yarp-forwarder minimal compare limited-redis; do
    pid=$(memory_pid "$arm")
    if [ -n "$pid" ] && [ -n "${IDLE_RSS[$pid]:-}" ]; then echo "| $arm | ${IDLE_RSS[$pid]} | ${PEAK_RSS[$pid]} |"; fi
  done
} | tee "$RESULTS/summary-$STAMP.md"

# --- Token validation: JWT against reference token (warm introspection cache), a block of its own ------------------
# Its own identity and gateway processes and its own rounds; the gateway's Bearer provider accepts both kinds
# (gateway/appsettings.json), here with a cache time past the run so every measured request is a cache hit.
if [ "${TOKENS:-1}" = 1 ]; then
  dotnet build -c Release -nologo -v q "$ROOT/services/identity/MicroDemo.Identity.csproj" >/dev/null
  IDENTITY_PORT=$(free_port)
  mkdir -p "$WORK/identity"
  dotnet "$ROOT/services/identity/bin/Release/net10.0/MicroDemo.Identity.dll" --urls "http://127.0.0.1:$IDENTITY_PORT" \
    --contentRoot "$ROOT/services/identity" --Service:RegisterInConsul=false --Identity:KeyPath="$WORK/identity/signing-keys.json" \
    --Logging:LogLevel:Default=Warning >"$WORK/identity.log" 2>&1 &
  PIDS+=("$!")
  start_gateway tokens "$GATEWAY_DLL" "$GATEWAY_ENV Gateway__Authentication__Providers__Bearer__Authority=http://127.0.0.1:$IDENTITY_PORT Gateway__Authentication__Providers__Bearer__Introspection__CacheDuration=02:00:00"
  wait_http "http://127.0.0.1:$IDENTITY_PORT/health/live"
  token_of() {
    curl -fsS -u "$1" -d grant_type=client_credentials "http://127.0.0.1:$IDENTITY_PORT/connect/token" | sed -E 's/.*"access_token":"([^"]+)".*/\1/'
  }
  declare -A TOKEN=([jwt]=$(token_of demo-client:demo-secret) [reference]=$(token_of reference-client:reference-secret))
  AUTH_URL="http://127.0.0.1:${PORT[tokens]}/auth$PATH_QUERY"
  wait_http "http://127.0.0.1:${PORT[tokens]}/health/live"
  for kind in jwt reference; do
    code=$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer ${TOKEN[$kind]}" "$AUTH_URL")
    if [ "$code" != 200 ]; then log "tokens block: the $kind token got $code"; exit 1; fi
    timeout $((WARMUP + 30)) wrk -t1 -c"$CONNS" -d"${WARMUP}s" -H "Authorization: Bearer ${TOKEN[$kind]}" "$AUTH_URL" >/dev/null
  done
  TOKENS_RAW="$WORK/tokens.tsv"
  for round in $(seq 1 "$ROUNDS"); do
    order=(jwt reference)
    if [ $((round % 2)) = 0 ]; then order=(reference jwt); fi
    for kind in "${order[@]}"; do
      before=$(cpu_ticks "${PID[tokens]}")
      out=$(timeout $((DURATION + 30)) wrk -t1 -c"$CONNS" -d"${DURATION}s" --latency -H "Authorization: Bearer ${TOKEN[$kind]}" "$AUTH_URL")
      after=$(cpu_ticks "${PID[tokens]}")
      rps=$(awk '/^Requests\/sec/ {print $2}' <<<"$out")
      requests=$(awk '/requests in/ {print $1}' <<<"$out")
      non2xx=$(awk '/Non-2xx/ {print $NF}' <<<"$out")
      printf '%s\t%s\t%s\t%s\t%s\n' "$round" "$kind" "$rps" "$(( after - before ))" "$requests" >>"$TOKENS_RAW"
      log "tokens round $round $kind: $rps req/s, non-2xx ${non2xx:-0}"
    done
  done
  {
    echo
    echo "token validation (gateway route with AuthenticationProviderKeys [Bearer], SupportedTokens Both; reference arm: warm introspection cache):"
    awk -F'\t' -v tick="$TICK" '
      function median(list,   n, a, i, j, t) {
        n = split(list, a, " ")
        for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) if (a[j] < a[i]) { t = a[i]; a[i] = a[j]; a[j] = t }
        return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
      }
      { rps[$2] = rps[$2] " " $3; cpu[$2] = cpu[$2] " " ($4 / tick * 1e6 / $5) }
      END {
        printf "| token | req/s (median) | gateway CPU us/req |\n|---|---:|---:|\n"
        printf "| jwt | %.0f | %.1f |\n| reference | %.0f | %.1f |\n", median(rps["jwt"]), median(cpu["jwt"]), median(rps["reference"]), median(cpu["reference"])
      }' "$TOKENS_RAW"
  } | tee -a "$RESULTS/summary-$STAMP.md"
fi
