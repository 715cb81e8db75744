#!/usr/bin/env bash
# Keeps N CPUs busy for a bounded time, to run the test suite on a loaded machine:
#
#   scripts/cpu-hog.sh [SECONDS [N]] &  CI=true bash .ci/run
#
# SECONDS defaults to 600 and N to the number of online CPUs (nproc). Each busy process is a shell
# loop under timeout(1), so the load ends after SECONDS even if this script is killed with SIGKILL;
# SIGINT or SIGTERM end it at once. Exits 0 when the time is up.
set -euo pipefail

seconds=${1:-600}
count=${2:-$(nproc)}
if ! [[ $seconds =~ ^[1-9][0-9]*$ && $count =~ ^[1-9][0-9]*$ ]]; then
    echo "usage: $0 [SECONDS [N]]  (positive integers; defaults 600 and $(nproc))" >&2
    exit 2
fi

pids=()
stop() {
    [ ${#pids[@]} -eq 0 ] || kill -- "${pids[@]}" 2>/dev/null || true
}
trap 'stop; exit 130' INT
trap 'stop; exit 143' TERM
for ((i = 0; i < count; i++)); do
    timeout "$seconds" bash -c 'while :; do :; done' &
    pids+=("$!")
done
echo "cpu-hog: $count busy processes for $seconds s (pids ${pids[*]})" >&2
# timeout exits 124 when it ended the loop, which is the normal end here.
for pid in "${pids[@]}"; do
    wait "$pid" || [ $? -eq 124 ]
done
