#!/bin/sh
# Builds the sample "application": a text file in dist/. With --test N, runs shard N of the tests.
set -eu
if [ "${1:-}" = "--test" ]; then
    echo "running test shard $2 of $APP"
    exit 0
fi
mkdir -p dist
printf 'hello from %s at %s\n' "$APP" "${CI_COMMIT_SHA:-local}" >dist/hello.txt
echo "built dist/hello.txt ($(wc -c <dist/hello.txt) bytes)"
