#!/bin/sh
# Conformance: every OCPP/OSCP message ecbridge plans validates against the official JSON schemas.
# Runs after `swift test` in .ci/run. It validates the golden map outputs (samples/expected, which
# `swift test` proves equal to what `ecbridge map` produces now) and the extra planner outputs in
# Tests/Conformance/samples (OCPP 2.0.1, open-ended, Delete …).
#
# Schemas: $ECBRIDGE_SCHEMAS, else ../shared/reference/schemas next to the repository when present, else
# the PyPI `ocpp` package's bundled OCPP schemas (OSCP is then skipped with a message).
# Needs Python 3 with `jsonschema` (and `ocpp` when no schema directory is found); .ci/run installs them.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
if [ -z "${ECBRIDGE_SCHEMAS:-}" ] && [ -d "$root/../shared/reference/schemas" ]; then
    ECBRIDGE_SCHEMAS=$(cd "$root/../shared/reference/schemas" && pwd)
    export ECBRIDGE_SCHEMAS
fi
status=0
for dir in "$root/samples/expected" "$here/samples"; do
    echo "conformance: validating $dir"
    "${PYTHON:-python3}" "$here/validate_messages.py" "$dir" || status=1
done
exit $status
