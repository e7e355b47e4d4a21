#!/usr/bin/env bash
# Shared helpers for the benchmark scripts: a throwaway nginx as the reference server, and result lines.
# Source it; it expects WORK (a scratch directory) and BENCH_OUT (the TSV results file).

# start_nginx PORT ROOT [EXTRA_SERVER_DIRECTIVES]: serves ROOT on 127.0.0.1:PORT until stop_nginx.
start_nginx() {
    local port=$1 root=$2 extra=${3:-}
    local prefix="$WORK/nginx-$port"
    mkdir -p "$prefix/logs" "$prefix/tmp"
    cat >"$prefix/nginx.conf" <<CONF
worker_processes auto;
pid $prefix/nginx.pid;
error_log $prefix/logs/error.log warn;
events { worker_connections 1024; }
http {
    access_log off;
    sendfile on;
    tcp_nopush on;
    client_body_temp_path $prefix/tmp;
    client_max_body_size 0;
    default_type application/octet-stream;
    server {
        listen 127.0.0.1:$port;
        root $root;
        $extra
    }
}
CONF
    nginx -p "$prefix" -c "$prefix/nginx.conf"
    for _ in $(seq 50); do
        curl -s -o /dev/null "http://127.0.0.1:$port/" && return 0
        sleep 0.1
    done
    echo "nginx did not start on port $port" >&2
    return 1
}

stop_nginx() {
    local port=$1
    local prefix="$WORK/nginx-$port"
    [ -f "$prefix/nginx.pid" ] && nginx -p "$prefix" -c "$prefix/nginx.conf" -s stop 2>/dev/null || true
}

# record SCENARIO OURS REFERENCE_NAME REFERENCE UNIT [HIGHER_IS_BETTER=1]: one result line with the ratio
# ours/reference (for rates) so that 1.0 means as fast as the reference.
record() {
    local scenario=$1 ours=$2 reference_name=$3 reference=$4 unit=$5
    local ratio
    ratio=$(awk -v a="$ours" -v b="$reference" 'BEGIN { if (b == 0) print "n/a"; else printf "%.2f", a / b }')
    printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$scenario" "$ours" "$reference_name" "$reference" "$ratio" "$unit" | tee -a "$BENCH_OUT"
}

# wrk_rate ARGS...: runs wrk and prints its requests per second.
wrk_rate() {
    wrk "$@" | awk '/Requests\/sec/ { print $2 }'
}
