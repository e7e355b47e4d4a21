#!/usr/bin/env bash
# Installs the Debian packages the build, the tests and the benchmarks need, only when missing.
# Usage: scripts/install-deps.sh [build|test|bench]
set -euo pipefail

build_packages=(libssl-dev libsqlite3-dev libcurl4-openssl-dev libmicrohttpd-dev libyaml-dev pkg-config)
test_packages=(curl git bubblewrap sqlite3 openssl)
bench_packages=(nginx wrk hyperfine)

case "${1:-build}" in
    build) wanted=("${build_packages[@]}") ;;
    test) wanted=("${build_packages[@]}" "${test_packages[@]}") ;;
    bench) wanted=("${build_packages[@]}" "${test_packages[@]}" "${bench_packages[@]}") ;;
    *) echo "usage: $0 [build|test|bench]" >&2; exit 2 ;;
esac

missing=()
for package in "${wanted[@]}"; do
    if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q 'install ok installed'; then
        missing+=("$package")
    fi
done

# The HTTP client tests and the CI benchmark run small Python scripts; any python3 on the PATH will do.
if [ "${1:-build}" != build ] && ! command -v python3 >/dev/null 2>&1; then
    missing+=(python3)
fi

[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -ne 0 ]; then
    sudo=sudo
else
    sudo=
fi
echo "installing Debian packages: ${missing[*]}" >&2
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
