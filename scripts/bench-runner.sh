#!/usr/bin/env bash
# Runner overhead per job: from the claim to the completion for a job with one `true` step, run by a
# separately started `vaultctl runner run` (capacity 1), once with bubblewrap and once with the plain
# session sandbox, over BENCH_RUNNER_JOBS jobs each (default 20). The figure is the median of the
# runner's own "job finished job.duration_ms=..." lines: workspace, git checkout of a one-file
# repository, the step, log shipping, cleanup and the completion call. The reference is the same
# `true` run directly with `bash -c true` (hyperfine). Expects BIN, ADDR, TOKEN, WORK, BENCH_OUT.
set -euo pipefail
. "$(dirname "$0")/bench-lib.sh"

jobs=${BENCH_RUNNER_JOBS:-20}
bench=$WORK/runner-bench
repo=bench/runner-overhead
mkdir -p "$bench"
export VAULTCTL_ADDR=$ADDR VAULTCTL_TOKEN=$TOKEN

git init -q -b main "$bench/src"
cat >"$bench/src/.vault-ci.yml" <<'YAML'
on: { push: { branches: [main] } }
jobs:
  overhead:
    runs-on: [bench-runner]
    steps:
      - run: "true"
YAML
git -C "$bench/src" add .
git -C "$bench/src" -c user.name=bench -c user.email=bench@example.invalid commit -q -m overhead
commit=$(git -C "$bench/src" rev-parse HEAD)
curl -sf -o /dev/null -X PUT -H "Authorization: Bearer $TOKEN" -H "Content-Type: application/json" \
    -d "{\"clone_url\": \"$bench/src\"}" "$ADDR/v1/repos/$repo"

registration=$("$BIN" runner token create)
"$BIN" runner register --url "$ADDR" --token "$registration" --name bench-runner --labels bench-runner \
    --capacity 1 --config "$bench/runner.json" --work-dir "$bench/work" >/dev/null

# run_jobs ISOLATION: starts a runner, queues $jobs pipelines, waits for all of them, prints the median ms.
run_jobs() {
    local isolation=$1 log=$bench/runner-$1.log
    "$BIN" runner run --config "$bench/runner.json" --isolation "$isolation" >/dev/null 2>"$log" &
    local runner=$!
    local last
    for _ in $(seq "$jobs"); do
        last=$("$BIN" pipeline run "$repo" --commit "$commit" --format json | sed -n 's/.*"pipeline" *: *\([0-9]*\).*/\1/p')
    done
    for _ in $(seq 600); do
        [ "$(grep -c 'job finished' "$log" || true)" -ge "$jobs" ] && break
        sleep 0.2
    done
    kill -TERM "$runner"
    wait "$runner" || true
    if grep 'job finished' "$log" | grep -qv 'job.state=success'; then
        echo "bench-runner: a job did not succeed with --isolation $isolation (pipeline $last)" >&2
        return 1
    fi
    grep 'job finished' "$log" | sed -n 's/.*job.duration_ms=\([0-9.]*\).*/\1/p' | sort -n |
        awk '{ v[NR] = $1 } END { if (NR == 0) exit 1; print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

with_bwrap=$(run_jobs bwrap)
without_bwrap=$(run_jobs session)
reference=$(hyperfine -N --warmup 20 --runs 300 --export-json "$bench/true.json" 'bash -c true' >/dev/null &&
    python3 -c 'import json, sys; print(round(json.load(open(sys.argv[1]))["results"][0]["median"] * 1000, 2))' \
        "$bench/true.json")

record "runner overhead per job with bwrap (claim to completion, one 'true' step, median of $jobs)" \
    "$with_bwrap" "bash -c true" "$reference" "ms"
record "runner overhead per job without bwrap (claim to completion, one 'true' step, median of $jobs)" \
    "$without_bwrap" "bash -c true" "$reference" "ms"
