#!/usr/bin/env bash
# Peer faults end to end (no crashes): the same topology as crash_delivery.sh, with every stand-in
# (SolarNetwork, OSCP, GreenFlux and the Energy Coordination API) injecting one kind of fault per scenario:
#
#   fail-rate     --fail-rate 0.3        30% of requests answered 503 (seeded)
#   rate-limit    --rate-limit-every 5   every 5th request answered 429 with Retry-After: 1
#   slow          --slow 200             every answer 200 ms late
#   drop          --drop-rate 0.1        10% of requests processed but the answer lost (connection closed)
#   reject        --reject-signature     every request refused (403/401): nothing may be retried
#
# Each scenario must end with every delivery done exactly once at its peer and every report posted
# (reject: every delivery failed after exactly one attempt, quickly), and stay inside the retry policy:
# no delivery over delivery.maxAttempts (20 here) and total attempts ≤ deliveries × 3 (see
# Tests/Benchmarks/README.md, "Retry-storm bound", for why 3).
#
#   Tests/Resilience/faults.sh                               full: 150 events per scenario
#   RESILIENCE_EVENTS=30 Tests/Resilience/faults.sh          short (CI)
#   RESILIENCE_SCENARIOS="drop reject" Tests/Resilience/faults.sh
#
# Other settings: RESILIENCE_BUILD (debug|release, default debug), RESILIENCE_SEED (fault sequence,
# default 1), RESILIENCE_KEEP=1 keeps the temporary folders.
set -euo pipefail
cd "$(dirname "$0")/../.."
. Tests/Resilience/lib.sh

EVENTS=${RESILIENCE_EVENTS:-150}
SEED=${RESILIENCE_SEED:-1}
SCENARIOS=${RESILIENCE_SCENARIOS:-"fail-rate rate-limit slow drop reject"}
CONFIGURATION=${RESILIENCE_BUILD:-debug}

echo "faults: building ($CONFIGURATION)…"
build_products "$CONFIGURATION"

extra=()
[ "${RESILIENCE_KEEP:-0}" = 1 ] && extra+=(--keep)
for scenario in $SCENARIOS; do
    case "$scenario" in
        fail-rate)  switches=(--fail-rate 0.3) ;;
        rate-limit) switches=(--rate-limit-every 5) ;;
        slow)       switches=(--slow 200) ;;
        drop)       switches=(--drop-rate 0.1) ;;
        reject)     switches=(--reject-signature) ;;
        *) echo "faults: unknown scenario $scenario" >&2; exit 2 ;;
    esac
    echo
    echo "faults: scenario $scenario"
    run_checks "$BIN/ecbridge-bench" delivery-resilience --ecbridge "$BIN/ecbridge" --events "$EVENTS" --rate 15 \
        --seed "$SEED" --faults-on all "${switches[@]}" --max-attempts 20 --attempt-factor 3 --settle-timeout 120 \
        ${extra[@]+"${extra[@]}"}
done
summary
