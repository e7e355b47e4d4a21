#!/usr/bin/env bash
# Lease creations and secret reads per second with the audit log on, beside nginx serving a static file
# of the same size; and the cold start of a server whose data directory holds 100,000 leases.
# Expects BIN, ADDR, TOKEN, WORK, BENCH_OUT (see scripts/bench.sh). The server at ADDR writes its audit
# log (DATA/audit.log), so every measured request also writes two audit lines.
#
# The 100,000 leases are made through the real API: 1,000 POST /v1/leases requests naming 100 secrets
# each, four at a time, against a second server in WORK. That server is then stopped and started
# again, and the time from process start to the first answer of GET /v1/health is taken, beside the
# same measure for an empty data directory.
set -euo pipefail
. "$(dirname "$0")/bench-lib.sh"

duration=${BENCH_SECONDS:-10}
connections=${BENCH_CONNECTIONS:-32}
lease_count=${BENCH_LEASES:-100000}

printf %s "bench-lease-value-0123456789" | VAULTCTL_ADDR=$ADDR VAULTCTL_TOKEN=$TOKEN "$BIN" secret put bench/lease >/dev/null

# Lease creation: POST bodies through a generated wrk script.
cat >"$WORK/lease.lua" <<LUA
wrk.method = "POST"
wrk.body = '{"secrets": ["bench/lease"], "ttl": "5m"}'
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer $TOKEN"
LUA
lease_body=$(curl -s -X POST -H "Authorization: Bearer $TOKEN" -H "Content-Type: application/json" \
    -d '{"secrets": ["bench/lease"], "ttl": "5m"}' "$ADDR/v1/leases")
read_body=$(curl -s -H "Authorization: Bearer $TOKEN" "$ADDR/v1/secrets/bench/lease")
mkdir -p "$WORK/lease-static"
printf %s "$lease_body" >"$WORK/lease-static/lease.json"
printf %s "$read_body" >"$WORK/lease-static/read.json"

start_nginx 18282 "$WORK/lease-static"
trap 'stop_nginx 18282' EXIT

ours=$(wrk_rate -t2 -c"$connections" -d"${duration}s" -s "$WORK/lease.lua" "$ADDR/v1/leases")
reference=$(wrk_rate -t2 -c"$connections" -d"${duration}s" "http://127.0.0.1:18282/lease.json")
record "lease creations, audit on (POST /v1/leases, ${#lease_body}-byte answer)" "$ours" "nginx static file" \
    "$reference" "requests/s"

ours=$(wrk_rate -t2 -c"$connections" -d"${duration}s" -H "Authorization: Bearer $TOKEN" "$ADDR/v1/secrets/bench/lease")
reference=$(wrk_rate -t2 -c"$connections" -d"${duration}s" "http://127.0.0.1:18282/read.json")
record "secret reads, audit on (GET /v1/secrets/{path}, ${#read_body}-byte answer)" "$ours" "nginx static file" \
    "$reference" "requests/s"

# Cold start: a second server of our own, on its own port and data directory.
# A port nothing listens on, unless one is given.
cold_port=${BENCH_COLD_PORT:-$(python3 -c "import socket; s = socket.socket(); s.bind((\"127.0.0.1\", 0)); print(s.getsockname()[1])")}
if curl -s -o /dev/null "http://127.0.0.1:$cold_port/"; then
    echo "port $cold_port is taken; set BENCH_COLD_PORT to a free one" >&2
    exit 1
fi
cold_addr=http://127.0.0.1:$cold_port
cold_token=cold-start-token-$(date +%s)
cold_pid=
cold_ms=0

# start_cold DIR: starts the server on DIR and sets cold_ms to the time until /v1/health answered.
start_cold() {
    local data=$1
    local started
    started=$(date +%s%N)
    "$BIN" server --dev --data-dir "$data" --listen "127.0.0.1:$cold_port" --dev-root-token "$cold_token" \
        --log-level warning >>"$WORK/cold.out" 2>>"$WORK/cold.log" &
    cold_pid=$!
    for _ in $(seq 3000); do
        if curl -s -o /dev/null "$cold_addr/v1/health"; then
            cold_ms=$((($(date +%s%N) - started) / 1000000))
            return 0
        fi
        sleep 0.005
    done
    echo "the cold-start server did not answer" >&2
    return 1
}

stop_cold() {
    [ -n "$cold_pid" ] && kill "$cold_pid" 2>/dev/null && wait "$cold_pid" 2>/dev/null || true
    cold_pid=
}
trap 'stop_cold; stop_nginx 18282' EXIT

# The reference: the same server starting on an empty (initialised) data directory.
start_cold "$WORK/cold-empty"
stop_cold
start_cold "$WORK/cold-empty"
empty_ms=$cold_ms
stop_cold

start_cold "$WORK/cold-full"
secrets='['
for i in $(seq -w 0 99); do
    printf %s "value-$i" | VAULTCTL_ADDR=$cold_addr VAULTCTL_TOKEN=$cold_token "$BIN" secret put "bench/s$i" >/dev/null
    secrets+="\"bench/s$i\","
done
secrets="${secrets%,}]"
printf '{"secrets": %s, "ttl": "24h"}' "$secrets" >"$WORK/lease-batch.json"
requests=$((lease_count / 100))
seq "$requests" | xargs -P4 -I{} curl -s -o /dev/null -X POST -H "Authorization: Bearer $cold_token" \
    -H "Content-Type: application/json" --data-binary @"$WORK/lease-batch.json" "$cold_addr/v1/leases"
held=$(sqlite3 "$WORK/cold-full/vault.db" "SELECT count(*) FROM leases" 2>/dev/null || echo "?")
stop_cold
start_cold "$WORK/cold-full"
full_ms=$cold_ms
stop_cold
record "cold start to first /v1/health answer, $held leases held" "$full_ms" "same server, no leases" "$empty_ms" "ms"
