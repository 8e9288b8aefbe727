# Shared helpers for the resilience scripts (sourced, not run). Bash only; curl is the one tool needed
# besides the package's own binaries.

RES_PASSED=0
RES_FAILED=0

# check NAME CONDITION-COMMAND…: runs the command, counts and prints the outcome.
check() {
    local name=$1
    shift
    if "$@"; then
        RES_PASSED=$((RES_PASSED + 1))
        echo "  ok   $name"
    else
        RES_FAILED=$((RES_FAILED + 1))
        echo "  FAIL $name"
    fi
}

# The closing line CI logs are read for.
summary() {
    echo "resilience: $RES_PASSED passed, $RES_FAILED failed"
    [ "$RES_FAILED" -eq 0 ]
}

# A free loopback port (asks the kernel through bash's /dev/tcp: tries random ports until one refuses).
# Picked below Linux's ephemeral range (32768 and up by default), so an outgoing connection made between
# this check and the server's bind cannot take it.
free_port() {
    local port
    for _ in $(seq 1 50); do
        port=$((20000 + RANDOM % 12000))
        if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
            echo "$port"
            return 0
        fi
    done
    return 1
}

# build_products CONFIGURATION: builds ecbridge and ecbridge-bench, sets BIN to the products' folder.
build_products() {
    local configuration=$1
    swift build -c "$configuration" --product ecbridge >/dev/null
    swift build -c "$configuration" --product ecbridge-bench >/dev/null
    BIN=$(swift build -c "$configuration" --show-bin-path)
}

# write_config FILE PORT STORE SECRET: a serve configuration with one spark webhook and one target.
write_config() {
    cat >"$1" <<JSON
{"listen":{"host":"127.0.0.1","port":$2,"drainTimeout":2},"store":{"path":"$3"},
 "webhooks":[{"path":"/webhooks/energy-coordination","scheme":"spark","secrets":["$4"]}],
 "solarNetwork":{"baseUrl":"http://127.0.0.1:9","token":"t","secret":"s"},
 "log":{"level":"warning"},
 "targets":[{"resourceId":"vehicle-1","channel":"solarnetwork-ocpp","nodeId":123,"chargePointId":5,"connectorId":1,
             "ocppVersion":"1.6","rateUnit":"A","phases":3,"voltage":230,"minCurrent":6,"maxCurrent":32}]}
JSON
}

# wait_ready PORT SECONDS [LOG]: polls /readyz until 200; on failure shows the end of LOG (the server's
# output), so a server that never came up says why.
wait_ready() {
    local deadline=$((SECONDS + $2))
    while [ $SECONDS -lt "$deadline" ]; do
        if curl -fs -o /dev/null --max-time 1 "http://127.0.0.1:$1/readyz"; then return 0; fi
        sleep 0.02
    done
    if [ -n "${3:-}" ] && [ -f "$3" ]; then
        echo "  server log ($3), last lines:" >&2
        tail -n 20 "$3" | sed 's/^/    /' >&2
    fi
    return 1
}

# run_checks COMMAND…: runs a checking command (ecbridge-bench delivery-resilience, fuzz), shows its output
# and adds its closing "checks: P passed, F failed" line to the totals; no such line counts as one failure.
run_checks() {
    local out status=0 line passed failed
    out=$(mktemp "${TMPDIR:-/tmp}/ecbridge-checks.XXXXXX")
    "$@" 2>&1 | tee "$out" || status=$?
    line=$(grep -E '^checks: [0-9]+ passed, [0-9]+ failed$' "$out" | tail -1 || true)
    rm -f "$out"
    if [ -z "$line" ]; then
        RES_FAILED=$((RES_FAILED + 1))
        echo "  FAIL $1 ${2:-} ended without a result (status $status)"
        return 0
    fi
    passed=$(echo "$line" | sed -E 's/^checks: ([0-9]+) passed.*/\1/')
    failed=$(echo "$line" | sed -E 's/.*, ([0-9]+) failed$/\1/')
    RES_PASSED=$((RES_PASSED + passed))
    RES_FAILED=$((RES_FAILED + failed))
    if [ "$failed" -eq 0 ] && [ "$status" -ne 0 ]; then
        RES_FAILED=$((RES_FAILED + 1))
        echo "  FAIL $1 ${2:-} exited with status $status"
    fi
}
