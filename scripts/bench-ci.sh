#!/usr/bin/env bash
# CI controller: time from a push webhook to its first job being claimed by a waiting runner
# (p50/p99 over 200 pushes) and job claims per second. Expects BIN, ADDR, TOKEN, WORK, BENCH_OUT.
set -euo pipefail
. "$(dirname "$0")/bench-lib.sh"
python3 "$(dirname "$0")/bench_ci.py" "$ADDR" "$TOKEN" "$WORK/ci-bench" "${BENCH_PUSHES:-200}" |
    while IFS=$'\t' read -r scenario ours reference_name reference unit; do
        record "$scenario" "$ours" "$reference_name" "$reference" "$unit"
    done
