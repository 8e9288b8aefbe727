#!/bin/sh
# Conformance check of planned messages against the official schemas (run after `swift test`).
#
# Usage: Tests/Conformance/run.sh [MAP_OUTPUT_DIR]
#   MAP_OUTPUT_DIR  a directory of `ecbridge map` outputs (*.json); default Tests/Conformance/samples.
# Environment:
#   ECBRIDGE_SCHEMAS  schema directory (ocpp16/, ocpp201/, oscp20/); without it the PyPI `ocpp` package's
#                     schemas are used for OCPP and OSCP is skipped.
#   PYTHON            interpreter (default python3); needs `jsonschema` (and `ocpp` when no schema dir).
#
# TODO(wiring): once `ecbridge map` exists, generate the outputs first, e.g.
#   out=$(mktemp -d); for f in samples/events/*.json; do
#     swift run ecbridge map --config samples/config.json "$f" > "$out/$(basename "$f")"; done
#   set -- "$out"
set -eu
here=$(cd "$(dirname "$0")" && pwd)
dir=${1:-"$here/samples"}
exec "${PYTHON:-python3}" "$here/validate_messages.py" "$dir"
