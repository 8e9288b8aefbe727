#!/usr/bin/env bash
# ecbridge intake benchmark: release build, server pinned to one core and load generator to the other,
# nginx bare-200 measured in the same run as a drift check, medians of several runs.
#
#   Tests/Benchmarks/run.sh                 # full: 3 runs × 10 s per figure
#   BENCH_RUNS=1 BENCH_DURATION=3 Tests/Benchmarks/run.sh    # quick look
#
# Settings (environment): BENCH_RUNS (3), BENCH_DURATION seconds (10), BENCH_CONNECTIONS (64),
# BENCH_RATE for the latency figure (5000), BENCH_SERVER_CPU (0), BENCH_CLIENT_CPU (1),
# BENCH_OUT result folder (a new temporary folder). Needs: swift, taskset; nginx and wrk are optional
# (apt-get install -y nginx-light wrk) — without them the drift check is skipped.
set -euo pipefail
cd "$(dirname "$0")/../.."

RUNS=${BENCH_RUNS:-3}
DURATION=${BENCH_DURATION:-10}
CONNECTIONS=${BENCH_CONNECTIONS:-64}
RATE=${BENCH_RATE:-5000}
SERVER_CPU=${BENCH_SERVER_CPU:-0}
CLIENT_CPU=${BENCH_CLIENT_CPU:-1}
OUT=${BENCH_OUT:-$(mktemp -d "${TMPDIR:-/tmp}/ecbridge-bench.XXXXXX")}
mkdir -p "$OUT"
HUMMINGBIRD_RPS=13500   # reference: minimal Hummingbird 2 receiver, HMAC + JSONSerialization, no persistence
HUMMINGBIRD_P99_MS=9

echo "bench: release build…"
swift build -c release --product ecbridge >/dev/null
swift build -c release --product ecbridge-bench >/dev/null
BIN=$(swift build -c release --show-bin-path)
BENCH="$BIN/ecbridge-bench"
CLIENT="taskset -c $CLIENT_CPU"
SERVER="taskset -c $SERVER_CPU"
LOAD=(--connections "$CONNECTIONS" --duration "$DURATION" --runs "$RUNS" --json)

# jget FILE KEY: a number or string from the median line (the last line) of a bench JSON output.
jget() { tail -n 1 "$1" | grep -o "\"$2\":[^,}]*" | head -n 1 | cut -d: -f2- | tr -d '"'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "n/a" }'; }

PIDS=()
cleanup() { for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done; }
trap cleanup EXIT

free_port() { for _ in $(seq 1 50); do p=$((20000 + RANDOM % 30000)); if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then echo "$p"; return; fi; done; }

# 1. nginx bare 200: the loopback ceiling, measured now, on this machine, with the same load generator.
NGINX_RPS=""
WRK_RPS=""
if command -v nginx >/dev/null 2>&1; then
    NGINX_DIR=$(mktemp -d "${TMPDIR:-/tmp}/ecbridge-nginx.XXXXXX")
    NGINX_PORT=$(free_port)
    sed "s#@DIR@#$NGINX_DIR#g; s#@PORT@#$NGINX_PORT#g" Tests/Benchmarks/nginx.conf.template >"$NGINX_DIR/nginx.conf"
    $SERVER nginx -c "$NGINX_DIR/nginx.conf" -p "$NGINX_DIR" >/dev/null 2>&1 &
    PIDS+=($!)
    for _ in $(seq 1 100); do curl -fs -o /dev/null "http://127.0.0.1:$NGINX_PORT/" && break; sleep 0.05; done
    echo "bench: nginx bare 200 (POST, same generator)…"
    $CLIENT "$BENCH" intake --url "http://127.0.0.1:$NGINX_PORT/webhooks/energy-coordination" --secret drift \
        "${LOAD[@]}" >"$OUT/nginx.json"
    NGINX_RPS=$(jget "$OUT/nginx.json" requestsPerSecond)
    if command -v wrk >/dev/null 2>&1; then
        echo "bench: nginx bare 200 (GET, wrk)…"
        $CLIENT wrk -t1 -c"$CONNECTIONS" -d"${DURATION}s" "http://127.0.0.1:$NGINX_PORT/" >"$OUT/nginx-wrk.txt"
        WRK_RPS=$(awk '/Requests\/sec/ { printf "%d", $2 }' "$OUT/nginx-wrk.txt")
    fi
    kill "${PIDS[-1]}" 2>/dev/null || true
else
    echo "bench: nginx not installed, drift check skipped (apt-get install -y nginx-light)"
fi

# 2. Verify-only: our HTTP server + signature check + decode, no store (one event loop on the server core).
VERIFY_PORT=$(free_port)
$SERVER "$BENCH" verify-server --secret verify-secret --port "$VERIFY_PORT" --event-loops 1 >/dev/null &
VERIFY_PID=$!
PIDS+=($VERIFY_PID)
for _ in $(seq 1 100); do curl -fs -o /dev/null "http://127.0.0.1:$VERIFY_PORT/readyz" && break; sleep 0.05; done
echo "bench: verify-only (no store)…"
$CLIENT "$BENCH" intake --url "http://127.0.0.1:$VERIFY_PORT/webhooks/energy-coordination" --secret verify-secret \
    "${LOAD[@]}" >"$OUT/verify-only.json"
kill "$VERIFY_PID" 2>/dev/null || true

# 3. serve, default durable settings: maximum throughput (closed loop), then latency at a fixed rate.
echo "bench: ecbridge serve, closed loop…"
$CLIENT "$BENCH" serve-and-measure --server-cpus "$SERVER_CPU" "${LOAD[@]}" >"$OUT/serve-max.json"
echo "bench: ecbridge serve, open loop at $RATE req/s…"
$CLIENT "$BENCH" serve-and-measure --server-cpus "$SERVER_CPU" --rate "$RATE" "${LOAD[@]}" >"$OUT/serve-rate.json"

# 3b. Idle RSS and start-up of the binary as deploy/Containerfile builds it (static Swift runtime, lld,
# packed relocations), in its own build folder. BENCH_CONTAINER_BUILD=0 skips it.
if [ "${BENCH_CONTAINER_BUILD:-1}" = 1 ]; then
    echo "bench: container-style build (static Swift runtime)…"
    STATIC_DIR=${BENCH_STATIC_BUILD_DIR:-.build-static}
    swift build -c release --product ecbridge --static-swift-stdlib --scratch-path "$STATIC_DIR" \
        -Xswiftc -use-ld=lld -Xlinker -z -Xlinker pack-relative-relocs >/dev/null
    $CLIENT "$BENCH" serve-and-measure --ecbridge "$STATIC_DIR/release/ecbridge" --server-cpus "$SERVER_CPU" \
        --connections "$CONNECTIONS" --duration 2 --runs "$RUNS" --json >"$OUT/serve-container.json"
fi

# 4. Store and fan-out, in-process.
echo "bench: store group commit…"
$CLIENT "$BENCH" store --rows 50000 --batch 256 --json >"$OUT/store-256.json"
$CLIENT "$BENCH" store --rows 3000 --batch 1 --json >"$OUT/store-1.json"
echo "bench: fan-out to 10,000 targets…"
$CLIENT "$BENCH" fanout --targets 10000 --json >"$OUT/fanout.json"

SERVE_RPS=$(jget "$OUT/serve-max.json" requestsPerSecond)
VERIFY_RPS=$(jget "$OUT/verify-only.json" requestsPerSecond)
cat <<TABLE | tee "$OUT/summary.txt"

ecbridge intake benchmark — medians of $RUNS runs × ${DURATION} s, $CONNECTIONS connections,
server on CPU $SERVER_CPU, load generator on CPU $CLIENT_CPU; results in $OUT

| figure                                   | value | vs nginx (same run) | vs Hummingbird ref |
|------------------------------------------|-------|---------------------|--------------------|
| nginx bare 200, POST 1 KB (req/s)         | ${NGINX_RPS:-n/a} | 1.00 | |
| nginx bare 200, GET, wrk (req/s)          | ${WRK_RPS:-n/a} | | |
| verify-only (req/s)                       | $VERIFY_RPS | $(ratio "$VERIFY_RPS" "${NGINX_RPS:-0}") | $(ratio "$VERIFY_RPS" $HUMMINGBIRD_RPS) |
| verify-only p99 (ms)                      | $(jget "$OUT/verify-only.json" p99Ms) | | ref p99 $HUMMINGBIRD_P99_MS ms |
| serve max (req/s), goal ≥ 27,000          | $SERVE_RPS | $(ratio "$SERVE_RPS" "${NGINX_RPS:-0}") (goal ≥ 0.21) | $(ratio "$SERVE_RPS" $HUMMINGBIRD_RPS) (goal ≥ 2) |
| serve max p50 / p99 (ms)                  | $(jget "$OUT/serve-max.json" p50Ms) / $(jget "$OUT/serve-max.json" p99Ms) | | |
| serve non-2xx / errors (all runs)         | $(jget "$OUT/serve-max.json" non2xxTotal) / $(jget "$OUT/serve-max.json" errorsTotal) | | goal 0 |
| serve p99 at $RATE req/s (ms), goal ≤ 2   | $(jget "$OUT/serve-rate.json" p99Ms) | | |
| serve p50 / p99.9 at $RATE req/s (ms)     | $(jget "$OUT/serve-rate.json" p50Ms) / $(jget "$OUT/serve-rate.json" p999Ms) | | |
| start-up to ready (ms), goal ≤ 100        | $(jget "$OUT/serve-max.json" startupToReadyMs) | | |
| idle RSS (MiB), goal ≤ 20                 | $(jget "$OUT/serve-max.json" idleRSSMiB) | | |
| idle RSS, container build (MiB)           | $( [ -f "$OUT/serve-container.json" ] && jget "$OUT/serve-container.json" idleRSSMiB || echo n/a) | | |
| start-up, container build (ms)            | $( [ -f "$OUT/serve-container.json" ] && jget "$OUT/serve-container.json" startupToReadyMs || echo n/a) | | |
| RSS under load (MiB)                      | $(jget "$OUT/serve-max.json" loadRSSMiB) | | |
| server CPU per request (µs)               | $(jget "$OUT/serve-max.json" cpuMicrosecondsPerRequest) | | |
| store rows/s, 256-row group commit        | $(jget "$OUT/store-256.json" rowsPerSecond) | | SQLite ref ≈ 123,000 |
| store rows/s, one row per transaction     | $(jget "$OUT/store-1.json" rowsPerSecond) | | SQLite ref ≈ 7,200 |
| fan-out 10,000 targets: plan + insert (ms)| $(jget "$OUT/fanout.json" planPlusInsertMs) | | |
| fan-out peak RSS (MiB)                    | $(jget "$OUT/fanout.json" peakRSSMiB) | | |
TABLE
echo "bench: done"
