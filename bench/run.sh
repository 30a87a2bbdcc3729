#!/usr/bin/env bash
# Throughput and latency of the gateway against direct calls, nginx and a minimal ASP.NET Core forwarder
# (bench/MinimalProxy: the most any forwarder on the gateway's stack can do here) on the same machine.
# Usage: bench/run.sh            (env: ROUNDS=10 DURATION=5 WARMUP=10 CONNS=32 SIZE=100)
#        Two more arms measure a rate-limited route (limit never reached, one counter for the load's one client IP):
#        "limited" counts in the gateway's memory, "limited-redis" in a local redis-server (scripts/install-redis.sh)
#        through a second gateway process; LIMITED=0 leaves them out.
#        Two more measure telemetry's cost on the plain route (the gateway arm has everything on, as shipped): "metrics-only"
#        (OpenTelemetry metrics and the dashboard, no tracing) and "telemetry-off" (neither); TELEMETRY=0 leaves them out.
#        GATEWAY_ENV="DOTNET_X=1 ..." bench/run.sh   gives the gateway arm extra environment (experiments)
#        COMPARE=<git ref> bench/run.sh             adds a "compare" arm: the gateway built from that commit, measured in
#                                                   the same rounds as this one (an A/B of two builds)
#        COMPARE_ENV="DOTNET_X=1 ..." bench/run.sh  adds a "compare" arm: this build (or COMPARE's) with extra environment
#        TOKENS=1 (default) ends with a block of its own: an authenticated route with a JWT and with a reference token
#        (introspection cache warm), against services/identity; TOKENS=0 leaves it out.
# Method (docs/benchmarks.md explains it): interleaved arms (order reversed every other round), wrk -t1, medians over rounds,
# CPU µs per request from /proc. Results are printed and kept in bench/results/ (git-ignored).
set -euo pipefail

ROUNDS=${ROUNDS:-10}
DURATION=${DURATION:-5}
WARMUP=${WARMUP:-10}
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

# A port nobody listens on right now (the OS-assigned alternative is not available to nginx).
free_port() {
  local port
  while :; do
    port=$((20000 + RANDOM % 40000))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
      echo "$port"
      return
    fi
  done
}

wait_http() {
  local url=$1 deadline=$((SECONDS + 60))
  until curl -fsS -o /dev/null --max-time 2 "$url" 2>/dev/null; do
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

# start_gateway <arm> <dll> <extra environment>: the gateway as ./demo and its Dockerfile run it, socket completions
# inline (see docs/benchmarks.md); sets PORT and PID for <arm>.
declare -A PORT PID
start_gateway() {
  local arm=$1 dll=$2 extra_env=$3
  PORT[$arm]=$(free_port)
  env DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS=1 $extra_env dotnet "$dll" --ocelot "$WORK/ocelot.bench.json" \
    --urls "http://127.0.0.1:${PORT[$arm]}" --Logging:LogLevel:Default=Warning --Logging:LogLevel:Microsoft=Warning \
    >"$WORK/$arm.log" 2>&1 &
  PID[$arm]=$!
  PIDS+=("${PID[$arm]}")
}

start_gateway gateway "$GATEWAY_DLL" "$GATEWAY_ENV"
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

MINIMAL_PORT=$(free_port)
env DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS=1 dotnet "$MINIMAL_DLL" --target "http://127.0.0.1:$BACKEND_PORT" \
  --urls "http://127.0.0.1:$MINIMAL_PORT" >"$WORK/minimal.log" 2>&1 &
MINIMAL_PID=$!
PIDS+=("$MINIMAL_PID")

PATH_QUERY="/bench?s=$SIZE"
declare -A URL=([direct]="http://127.0.0.1:$BACKEND_PORT$PATH_QUERY" [nginx]="http://127.0.0.1:$NGINX_PORT$PATH_QUERY"
  [gateway]="http://127.0.0.1:${PORT[gateway]}$PATH_QUERY" [minimal]="http://127.0.0.1:$MINIMAL_PORT$PATH_QUERY")
declare -A PROXY_PID=([direct]="" [nginx]="$NGINX_PID" [gateway]="${PID[gateway]}" [minimal]="$MINIMAL_PID")
ARMS=(direct nginx gateway minimal)
if [ -n "$WITH_COMPARE" ]; then
  # Next to the gateway, so both see the same moment of the host in every round.
  URL[compare]="http://127.0.0.1:${PORT[compare]}$PATH_QUERY"
  PROXY_PID[compare]=${PID[compare]}
  ARMS=(direct nginx gateway compare minimal)
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
  wait_http "${URL[$arm]}"
  BODY_SIZE=$(curl -fsS "${URL[$arm]}" | wc -c)
  if [ "$BODY_SIZE" -ne "$SIZE" ]; then log "$arm returned $BODY_SIZE bytes, expected $SIZE"; exit 1; fi
done

log "warming up ${WARMUP}s per arm"
for arm in "${ARMS[@]}"; do
  timeout $((WARMUP + 30)) wrk -t1 -c"$CONNS" -d"${WARMUP}s" "${URL[$arm]}" >/dev/null
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
    out=$(timeout $((DURATION + 30)) wrk -t1 -c"$CONNS" -d"${DURATION}s" --latency "${URL[$arm]}")
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
    proxy_rss=""; [ -n "$proxy" ] && proxy_rss=$(rss_mb "$proxy")
    printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$round" "$arm" "$rps" "$p50" "$p99" "$requests" \
      $((backend_after - backend_before)) $((proxy_after - proxy_before)) "$errors" "${proxy_rss:--}" \
      $((machine_after - machine_before)) >>"$RAW"
    log "round $round $arm: $rps req/s, p50 $p50, p99 $p99, errors $errors"
  done
done

STAMP=$(date -u +%Y%m%dT%H%M%SZ)
cp "$RAW" "$RESULTS/raw-$STAMP.tsv"

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
      if (r[1, "compare"] != "") { ratio("compare", "nginx"); ratio("gateway", "compare") }
      if (r[1, "limited"] != "") { ratio("limited", "gateway"); ratio("limited-redis", "limited") }
      if (r[1, "telemetry-off"] != "") { ratio("metrics-only", "telemetry-off"); ratio("gateway", "telemetry-off") }
    }' "$RAW"
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
