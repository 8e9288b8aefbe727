#!/usr/bin/env bash
# Slowloris: hold 1,000 idle and half-open connections against `ecbridge serve` (below the default
# listen.maxConnections of 1024), then require that a signed webhook is still answered 200 promptly, and
# that /readyz still answers. Bounded (about 15 s plus the build), self-contained, non-zero exit on failure.
#
#   Tests/Resilience/slowloris.sh
#   RESILIENCE_IDLE=1000 RESILIENCE_MAX_LATENCY_MS=1000 RESILIENCE_BUILD=debug
set -euo pipefail
cd "$(dirname "$0")/../.."
. Tests/Resilience/lib.sh

IDLE=${RESILIENCE_IDLE:-1000}
MAX_LATENCY_MS=${RESILIENCE_MAX_LATENCY_MS:-1000}
CONFIGURATION=${RESILIENCE_BUILD:-debug}

# The bench raises its own descriptor limit; the server needs room for IDLE + a few as well.
ulimit -n 4096 2>/dev/null || ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
echo "slowloris: building ($CONFIGURATION)…"
build_products "$CONFIGURATION"

WORK=$(mktemp -d "${TMPDIR:-/tmp}/ecbridge-slowloris.XXXXXX")
SERVER_PID=""
cleanup() {
    if [ -n "$SERVER_PID" ]; then kill -9 "$SERVER_PID" 2>/dev/null || true; fi
    rm -rf "$WORK"
}
trap cleanup EXIT

PORT=$(free_port)
SECRET="slowloris-secret-$RANDOM"
CONFIG="$WORK/config.json"
write_config "$CONFIG" "$PORT" "$WORK/store.sqlite" "$SECRET"
# A short request-read timeout so the test can watch the server cut trickling heads (default 10 s).
sed -i 's/"drainTimeout":2}/"drainTimeout":2,"requestReadTimeout":3}/' "$CONFIG"
"$BIN/ecbridge" serve --config "$CONFIG" >>"$WORK/server.log" 2>&1 &
SERVER_PID=$!
check "server ready" wait_ready "$PORT" 20 "$WORK/server.log"

URL="http://127.0.0.1:$PORT/webhooks/energy-coordination"
for mode in idle half-open mixed; do
    check "$IDLE $mode connections held, a signed event still answered 200 within $MAX_LATENCY_MS ms" \
        "$BIN/ecbridge-bench" idle-connections --url "$URL" --secret "$SECRET" --connections "$IDLE" --mode "$mode" \
        --hold 3 --max-latency-ms "$MAX_LATENCY_MS"
done
# Held past listen.requestReadTimeout, the trickling half of "mixed" must have been cut (408 + close),
# the idle half (within listen.idleTimeout) kept.
"$BIN/ecbridge-bench" idle-connections --url "$URL" --secret "$SECRET" --connections "$IDLE" --mode mixed \
    --hold 5 --max-latency-ms "$MAX_LATENCY_MS" --json >"$WORK/timeout.json" || true
still_open=$(grep -o '"stillOpenAfter":[0-9]*' "$WORK/timeout.json" | cut -d: -f2)
check "half-open connections are closed after listen.requestReadTimeout (still open: ${still_open:-?} of $IDLE)" \
    [ "${still_open:-$IDLE}" -le $((IDLE / 2)) ]
check "/readyz still answers 200" curl -fs -o /dev/null --max-time 2 "http://127.0.0.1:$PORT/readyz"
check "the server is still running" kill -0 "$SERVER_PID"
kill -TERM "$SERVER_PID"
wait "$SERVER_PID" 2>/dev/null || true
SERVER_PID=""
summary
