#!/usr/bin/env bash
# Crash recovery end to end: signed webhooks into `ecbridge serve`, deliveries to the SolarNetwork, OSCP
# and GreenFlux stand-ins, reports to the Energy Coordination stand-in — with serve SIGKILLed at random
# moments and restarted. Then, from the store and from what every stand-in received: every acknowledged
# event is in the inbox once; every delivery ends done; SolarNetwork holds exactly one instruction per
# delivery and the OSCP peer applied exactly one forecast per delivery (unique X-Request-ID); GreenFlux's
# final scenario list is exactly the delivered entries; every event has its report, and a report is only
# ever posted twice when serve died between posting it and recording that (the Spark report API has no
# idempotency key; RESILIENCE_STRICT_REPORTS=1 fails on those too).
#
#   Tests/Resilience/crash_delivery.sh                                       full: 20 kills, 500 events
#   RESILIENCE_KILLS=3 RESILIENCE_EVENTS=100 Tests/Resilience/crash_delivery.sh    short (CI, < 90 s)
#
# Other settings: RESILIENCE_BUILD (debug|release, default debug), RESILIENCE_SEED (kill timing, default 1),
# RESILIENCE_RATE (events/s, default 25), RESILIENCE_KEEP=1 keeps the temporary folder.
# The stand-ins run inside ecbridge-bench (Sources/ecbridge-bench/DeliveryResilienceCommand.swift).
set -euo pipefail
cd "$(dirname "$0")/../.."
. Tests/Resilience/lib.sh

KILLS=${RESILIENCE_KILLS:-20}
EVENTS=${RESILIENCE_EVENTS:-500}
RATE=${RESILIENCE_RATE:-25}
SEED=${RESILIENCE_SEED:-1}
CONFIGURATION=${RESILIENCE_BUILD:-debug}

echo "crash_delivery: building ($CONFIGURATION)…"
build_products "$CONFIGURATION"

extra=()
[ "${RESILIENCE_KEEP:-0}" = 1 ] && extra+=(--keep)
[ "${RESILIENCE_STRICT_REPORTS:-0}" = 1 ] && extra+=(--strict-reports)
# store.claimLease 10 s: a safety net only. A restarted serve holds <store>.lock and releases the killed
# process's claims at start-up, so restarts no longer wait for the lease (default 120 s); if that release
# ever broke, the run would still settle, 10 s late per kill (no peer is slow here, so no batch takes
# anywhere near 10 s).
run_checks "$BIN/ecbridge-bench" delivery-resilience --ecbridge "$BIN/ecbridge" --events "$EVENTS" --rate "$RATE" \
    --kills "$KILLS" --seed "$SEED" --claim-lease 10 --settle-timeout 120 ${extra[@]+"${extra[@]}"}
summary
