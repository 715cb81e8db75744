#!/usr/bin/env bash
# Start time of the distribution's launcher against the repository's: `bin/posix4j sandbox --
# /bin/true` of the archive scripts/dist.sh makes (unpacked in a temporary directory) and
# `./posix4j sandbox -- /bin/true`, wall time, the two taking turns round after round after one
# warm-up run each (which also lets ./posix4j build and train its AOT cache if it must). Prints
# the archive's size, the unpacked size, and the median and range of each launcher's times.
#
# Usage: scripts/bench-dist.sh   (ROUNDS=10 by default)
set -euo pipefail

repo=$(dirname -- "$(dirname -- "$(readlink -f -- "${BASH_SOURCE[0]}")")")
rounds=${ROUNDS:-10}
work=$(mktemp -d)
trap 'rm -rf -- "$work"' EXIT

archive=$(bash "$repo/scripts/dist.sh" | sed 's/ ([0-9]* KiB)$//')
tar -C "$work" -xzf "$archive"
dist=$(echo "$work"/posix4j-*/bin/posix4j)

declare -A times=([dist]='' [repo]='')
# Milliseconds of one run of the command, from bash's clock: no process is started to read it.
timed() {
    local start=$EPOCHREALTIME
    "$@" >/dev/null
    local end=$EPOCHREALTIME
    echo $(((${end/./} - ${start/./}) / 1000))
}

"$dist" sandbox -- /bin/true
"$repo/posix4j" sandbox -- /bin/true
for ((round = 0; round < rounds; round++)); do
    times[dist]+=" $(timed "$dist" sandbox -- /bin/true)"
    times[repo]+=" $(timed "$repo/posix4j" sandbox -- /bin/true)"
done

# Median (the mean of the middle two for an even count), minimum and maximum of the arguments.
summary() {
    printf '%s\n' "$@" | sort -n | awk '{ v[NR] = $1 } END {
        m = NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
        printf "median %d ms (%d-%d ms)", m, v[1], v[NR] }'
}

echo "archive:  ${archive##*/}, $(du -k "$archive" | cut -f1) KiB; unpacked $(du -sk "$work" | cut -f1) KiB"
# shellcheck disable=SC2086 # the lists are words
echo "bin/posix4j sandbox -- /bin/true   $(summary ${times[dist]}), $rounds runs"
# shellcheck disable=SC2086
echo "./posix4j sandbox -- /bin/true     $(summary ${times[repo]}), $rounds runs"
