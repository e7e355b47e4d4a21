#!/usr/bin/env bash
# Secret reads per second with wrk, beside nginx serving a static file of the same size.
# Expects BIN, ADDR, TOKEN, WORK, BENCH_OUT (see scripts/bench.sh).
set -euo pipefail
. "$(dirname "$0")/bench-lib.sh"

duration=${BENCH_SECONDS:-10}
connections=${BENCH_CONNECTIONS:-32}

printf %s "bench-secret-value-0123456789" | VAULTCTL_ADDR=$ADDR VAULTCTL_TOKEN=$TOKEN "$BIN" secret put bench/db >/dev/null
body=$(curl -s -H "Authorization: Bearer $TOKEN" "$ADDR/v1/secrets/bench/db")
mkdir -p "$WORK/static"
printf %s "$body" >"$WORK/static/secret.json"

start_nginx 18281 "$WORK/static"
trap 'stop_nginx 18281' EXIT

ours=$(wrk_rate -t2 -c"$connections" -d"${duration}s" -H "Authorization: Bearer $TOKEN" "$ADDR/v1/secrets/bench/db")
reference=$(wrk_rate -t2 -c"$connections" -d"${duration}s" "http://127.0.0.1:18281/secret.json")
record "secret reads (GET /v1/secrets/{path}, ${#body}-byte answer)" "$ours" "nginx static file" "$reference" "requests/s"
