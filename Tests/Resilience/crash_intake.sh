#!/usr/bin/env bash
# Crash recovery of the intake: SIGKILL `ecbridge serve` at random moments while a persistent sender
# delivers unique signed events, restart it each time, and prove from the store that every event that was
# answered 200 is in the inbox exactly once and no event was stored twice.
#
#   Tests/Resilience/crash_intake.sh                     full: 20 kills, 2000 events
#   RESILIENCE_KILLS=5 RESILIENCE_EVENTS=500 Tests/Resilience/crash_intake.sh    short (CI)
#
# Other settings: RESILIENCE_BUILD (debug|release, default debug), RESILIENCE_SEED (kill timing),
# RESILIENCE_KEEP=1 keeps the temporary folder. Exit status non-zero on any failed check.
set -euo pipefail
cd "$(dirname "$0")/../.."
. Tests/Resilience/lib.sh

KILLS=${RESILIENCE_KILLS:-20}
EVENTS=${RESILIENCE_EVENTS:-2000}
CONFIGURATION=${RESILIENCE_BUILD:-debug}
RANDOM=${RESILIENCE_SEED:-$$}

echo "crash_intake: building ($CONFIGURATION)…"
build_products "$CONFIGURATION"

WORK=$(mktemp -d "${TMPDIR:-/tmp}/ecbridge-crash.XXXXXX")
SERVER_PID=""
SENDER_PID=""
cleanup() {
    if [ -n "$SENDER_PID" ]; then kill "$SENDER_PID" 2>/dev/null || true; fi
    if [ -n "$SERVER_PID" ]; then kill -9 "$SERVER_PID" 2>/dev/null || true; fi
    if [ "${RESILIENCE_KEEP:-0}" = 1 ]; then echo "kept $WORK"; else rm -rf "$WORK"; fi
}
trap cleanup EXIT

PORT=$(free_port)
SECRET="crash-secret-$RANDOM"
CONFIG="$WORK/config.json"
write_config "$CONFIG" "$PORT" "$WORK/store.sqlite" "$SECRET"
RUN_ID="crash-$(date +%s)-$RANDOM"

start_server() {
    "$BIN/ecbridge" serve --config "$CONFIG" >>"$WORK/server.log" 2>&1 &
    SERVER_PID=$!
    wait_ready "$PORT" 20 "$WORK/server.log"
}

# Spread the events over the expected kill period (~0.35 s per server life incl. restart), so every
# kill lands while events are in flight.
RATE=$((EVENTS * 100 / (KILLS * 35 + 100)))
echo "crash_intake: $EVENTS events, $KILLS kills, port $PORT, store $WORK/store.sqlite"
start_server
"$BIN/ecbridge-bench" send --url "http://127.0.0.1:$PORT/webhooks/energy-coordination" --secret "$SECRET" \
    --events "$EVENTS" --run-id "$RUN_ID" --record "$WORK/record.txt" --concurrency 4 --rate "$RATE" --retry-ms 20 --deadline 100 \
    >"$WORK/sender.log" 2>&1 &
SENDER_PID=$!

kills_done=0
for _ in $(seq 1 "$KILLS"); do
    # A random moment 50–450 ms into this life of the server (while events are being committed).
    sleep "0.$((RANDOM % 400 + 50))"
    if ! kill -0 "$SENDER_PID" 2>/dev/null; then
        echo "crash_intake: the sender finished before every kill was done (raise RESILIENCE_EVENTS)"
        break
    fi
    kill -9 "$SERVER_PID"
    wait "$SERVER_PID" 2>/dev/null || true
    kills_done=$((kills_done + 1))
    start_server
done

sender_status=0
wait "$SENDER_PID" || sender_status=$?
SENDER_PID=""
cat "$WORK/sender.log"
# The planning worker resumes after every crash: wait (bounded) until no row is left unplanned.
planned_all=1
for _ in $(seq 1 100); do
    if [ "$("$BIN/ecbridge" inbox list --state received --json --limit 1 --config "$CONFIG" | tr -d ' \n')" = "[]" ]; then
        planned_all=0
        break
    fi
    sleep 0.1
done
kill -TERM "$SERVER_PID"
wait "$SERVER_PID" 2>/dev/null || true
SERVER_PID=""

"$BIN/ecbridge" inbox list --json --limit 100000000 --config "$CONFIG" >"$WORK/inbox.json"
# Pretty JSON, one member per line: pull the dedupe keys and event ids of this run.
grep -o "\"dedupeKey\" *: *\"notification:$RUN_ID-n[0-9]*\"" "$WORK/inbox.json" | sed 's/.*notification://; s/"$//' | sort >"$WORK/stored_keys.txt"
grep -o "\"eventId\" *: *\"$RUN_ID-e[0-9]*\"" "$WORK/inbox.json" | sed 's/.*: *"//; s/"$//' | sort >"$WORK/stored_events.txt"
awk '$2 == 200 { print $1 }' "$WORK/record.txt" | sort >"$WORK/acknowledged.txt"
awk '{ print $1 }' "$WORK/record.txt" | sort >"$WORK/sent.txt"

acknowledged=$(wc -l <"$WORK/acknowledged.txt")
stored=$(wc -l <"$WORK/stored_keys.txt")
retried=$(awk '$3 > 1' "$WORK/record.txt" | wc -l)
echo "crash_intake: $kills_done kills, $acknowledged/$EVENTS acknowledged, $stored stored, $retried events needed retries"

check "the sender's run ended with every event acknowledged" [ "$sender_status" -eq 0 ]
check "kills were made ($kills_done of $KILLS)" [ "$kills_done" -gt 0 ]
check "every acknowledged event is in the inbox" [ -z "$(comm -23 "$WORK/acknowledged.txt" "$WORK/stored_keys.txt")" ]
check "no dedupe key is stored twice" [ -z "$(uniq -d "$WORK/stored_keys.txt")" ]
check "no event id is stored twice" [ -z "$(uniq -d "$WORK/stored_events.txt")" ]
check "every stored event was sent by this run" [ -z "$(comm -13 "$WORK/sent.txt" "$WORK/stored_keys.txt")" ]
check "one inbox row per acknowledged event" [ "$stored" -eq "$acknowledged" ]
check "every inbox row was planned after the restarts" [ "$planned_all" -eq 0 ]
if command -v sqlite3 >/dev/null 2>&1; then
    check "the store passes PRAGMA integrity_check" [ "$(sqlite3 "$WORK/store.sqlite" 'PRAGMA integrity_check')" = ok ]
fi
summary
