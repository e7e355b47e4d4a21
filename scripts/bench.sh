#!/usr/bin/env bash
# Runs every benchmark scenario in one go on this machine, each beside its reference, and writes
# docs/benchmarks.md. Usage: scripts/bench.sh (after `swift build -c release`); `make bench` does both.
set -euo pipefail
cd "$(dirname "$0")/.."

BIN=${BIN:-$PWD/.build/release/vaultctl}
WORK=$(mktemp -d /tmp/vault-bench.XXXXXX)
BENCH_OUT=$WORK/results.tsv
PORT=${BENCH_PORT:-18270}
ADDR=http://127.0.0.1:$PORT
TOKEN=bench-root-token-$(date +%s)
export BIN WORK BENCH_OUT ADDR TOKEN
: >"$BENCH_OUT"

"$BIN" server --dev --data-dir "$WORK/data" --listen "127.0.0.1:$PORT" --dev-root-token "$TOKEN" \
    --log-level warning >"$WORK/server.out" 2>"$WORK/server.log" &
SERVER_PID=$!
export SERVER_PID
trap 'kill $SERVER_PID 2>/dev/null; wait $SERVER_PID 2>/dev/null; rm -rf "$WORK"' EXIT
for _ in $(seq 100); do
    curl -s -o /dev/null "$ADDR/v1/health" && break
    sleep 0.1
done

for scenario in scripts/bench-*.sh; do
    case "$scenario" in *bench-lib.sh) continue ;; esac
    echo "==> $scenario" >&2
    if ! bash "$scenario"; then
        printf '%s\tfailed\t-\t-\tn/a\t-\n' "$(basename "$scenario")" | tee -a "$BENCH_OUT"
    fi
done

{
    echo "# Benchmarks"
    echo
    echo "Figures from one run of \`make bench\` on $(date -u +%Y-%m-%d), on $(nproc) cores"
    echo "($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')), $(free -g | awk '/Mem:/ {print $2}') GiB of memory."
    echo "Each scenario runs this project and its reference on the same machine in the same run. The load"
    echo "generator shares the machine's cores with the server, so absolute figures are lower than on a"
    echo "dedicated client; the ratios are the point. For rates a ratio above 1 means faster than the"
    echo "reference; for durations a ratio above 1 means slower."
    echo
    echo "| Scenario | This project | Reference | Reference figure | Ratio | Unit |"
    echo "|---|---|---|---|---|---|"
    awk -F'\t' '{ printf "| %s | %s | %s | %s | %s | %s |\n", $1, $2, $3, $4, $5, $6 }' "$BENCH_OUT"
    echo
    echo "Scripts: \`scripts/bench.sh\` and the \`scripts/bench-*.sh\` scenarios it runs."
} >docs/benchmarks.md
echo "wrote docs/benchmarks.md" >&2
