#!/usr/bin/env bash
# Bounded fuzzing of the code that reads untrusted input — the HTTP request parser, the JSON parser, the
# notification decoder and the duration parser — with `ecbridge-bench fuzz` over the checked-in corpus
# (Tests/Fuzz/corpus: malformed and smuggling requests, edge-case events, durations) and samples/events.
#
#   Tests/Fuzz/run.sh                                  CI: 40 s in all, seed 1 (repeatable)
#   FUZZ_SECONDS=600 FUZZ_SEED=$RANDOM Tests/Fuzz/run.sh    longer exploration
#   FUZZ_TARGET=http Tests/Fuzz/run.sh
#
# A crash or hang saves the input (path printed) and fails; so does any invariant violation (inputs saved
# to FUZZ_ARTIFACTS, default a temporary folder). Add a saved input to Tests/Fuzz/corpus once it is fixed.
# Other settings: FUZZ_BUILD (debug|release, default debug).
set -euo pipefail
cd "$(dirname "$0")/../.."
. Tests/Resilience/lib.sh

SECONDS_TOTAL=${FUZZ_SECONDS:-40}
SEED=${FUZZ_SEED:-1}
TARGET=${FUZZ_TARGET:-all}
CONFIGURATION=${FUZZ_BUILD:-debug}

echo "fuzz: building ($CONFIGURATION)…"
swift build -c "$CONFIGURATION" --product ecbridge-bench >/dev/null
BIN=$(swift build -c "$CONFIGURATION" --show-bin-path)
extra=()
[ -n "${FUZZ_ARTIFACTS:-}" ] && extra+=(--artifacts "$FUZZ_ARTIFACTS")
run_checks "$BIN/ecbridge-bench" fuzz --target "$TARGET" --seconds "$SECONDS_TOTAL" --seed "$SEED" ${extra[@]+"${extra[@]}"}
summary
