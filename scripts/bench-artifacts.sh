#!/usr/bin/env bash
# Artifact uploads and downloads of a 1 GiB random file, each beside its reference on this machine:
# a `curl -F` upload against an nginx WebDAV PUT of the same file and against `openssl dgst -sha256`
# of it; a blob download against nginx serving the same file; and the server's peak resident memory
# growth during the upload. Expects BIN, ADDR, TOKEN, WORK, BENCH_OUT and SERVER_PID (see
# scripts/bench.sh). BENCH_ARTIFACT_MIB changes the file size (default 1024).
set -euo pipefail
. "$(dirname "$0")/bench-lib.sh"

size_mib=${BENCH_ARTIFACT_MIB:-1024}
port=${BENCH_NGINX_DAV_PORT:-18282}
dir=$WORK/artifacts
mkdir -p "$dir/dav"
file=$dir/payload.bin
# nginx started as root runs its workers as nobody, who must be able to write the WebDAV root.
chmod a+x "$WORK" "$dir"
chmod 0777 "$dir/dav"

start_nginx "$port" "$dir/dav" "location / { dav_methods PUT; create_full_put_path on; }"
trap 'stop_nginx "$port"; rm -rf "$dir"' EXIT

echo "making a ${size_mib} MiB random file" >&2
openssl rand -out "$file" $((size_mib << 20)) 2>/dev/null || head -c $((size_mib << 20)) /dev/urandom >"$file"
# Read it once so every contender starts from the page cache, and flush earlier writes so no one
# pays for another's writeback.
cat "$file" >/dev/null
sync

# timed_curl EXPECTED_STATUS ARGS...: curl's total time in seconds; fails on another status.
timed_curl() {
    local expected=$1
    shift
    local result status
    result=$(curl -s -o /dev/null -w '%{http_code} %{time_total}' "$@")
    status=${result%% *}
    case " $expected " in
        *" $status "*) echo "${result#* }" ;;
        *) echo "unexpected HTTP $status from curl $*" >&2; return 1 ;;
    esac
}

rss_kib() {
    awk -v field="$1:" '$1 == field { print $2 }' "/proc/$SERVER_PID/status"
}

# Upload to us, sampling the server's memory: the peak (VmHWM) is reset to the current size first
# where the kernel allows it, and RSS is also polled in case it does not.
baseline=$(rss_kib VmRSS)
echo 5 >"/proc/$SERVER_PID/clear_refs" 2>/dev/null || true
poll=$dir/rss-samples
(while kill -0 "$SERVER_PID" 2>/dev/null; do rss_kib VmRSS; sleep 0.05; done) >"$poll" &
poller=$!
ours_upload=$(timed_curl 201 -F "file=@$file" -H "Authorization: Bearer $TOKEN" "$ADDR/v1/artifacts")
kill "$poller" 2>/dev/null || true
wait "$poller" 2>/dev/null || true
peak=$(rss_kib VmHWM)
polled_peak=$(sort -n "$poll" | tail -1)
[ "${polled_peak:-0}" -gt "$peak" ] && peak=$polled_peak
sync

nginx_upload=$(timed_curl "201 204" -T "$file" "http://127.0.0.1:$port/payload.bin")
sync

start=$(date +%s.%N)
openssl dgst -sha256 "$file" >/dev/null
end=$(date +%s.%N)
openssl_seconds=$(awk -v a="$start" -v b="$end" 'BEGIN { printf "%.3f", b - a }')

record "artifact upload, ${size_mib} MiB curl -F" "$ours_upload" "nginx WebDAV PUT" "$nginx_upload" "seconds"
record "artifact upload, ${size_mib} MiB curl -F" "$ours_upload" "openssl dgst -sha256" "$openssl_seconds" "seconds"

# Downloads: the best of three for each, both served from the page cache.
digest=$(sha256sum "$file" | cut -c1-64)
best() { sort -n | head -1; }
ours_download=$(for _ in 1 2 3; do
    timed_curl 200 -H "Authorization: Bearer $TOKEN" "$ADDR/v1/blobs/sha256:$digest"
done | best)
nginx_download=$(for _ in 1 2 3; do timed_curl 200 "http://127.0.0.1:$port/payload.bin"; done | best)
record "blob download, ${size_mib} MiB (best of 3)" "$ours_download" "nginx static file" "$nginx_download" "seconds"

growth_mib=$(awk -v p="$peak" -v b="$baseline" 'BEGIN { printf "%.1f", (p - b) / 1024 }')
record "peak_rss_growth_mib (server, during the upload)" "$growth_mib" "goal" "64" "MiB"
