#!/usr/bin/env bash
# Start time of the distribution's launcher against the repository's: `bin/posix4j sandbox --
# /bin/true` of the archive scripts/dist.sh makes (unpacked in a temporary directory) and
# `./posix4j sandbox -- /bin/true`, wall time, the two taking turns round after round after one
# warm-up run each (which also lets ./posix4j build and train its AOT cache if it must). Prints
# the archive's size, the unpacked size, the median and range of each launcher's wall and CPU
# time, and of the ratio of their wall times within a round.
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

wall_dist='' wall_repo='' cpu_dist='' cpu_repo='' ratios=''
# Prints the wall and CPU (user + system) milliseconds of one run of the command. It runs in a
# subshell ($(...)), whose count of its children's CPU starts at zero: `times` then gives the
# command's alone. bash's clock and `times` are built in: no process is started to read them.
timed() {
    local start=$EPOCHREALTIME end user sys
    "$@" >/dev/null
    end=$EPOCHREALTIME
    # Into a file: `times` in a pipe or process substitution would report that subshell's children.
    times >"$work/times"
    { read -r _ _; read -r user sys; } <"$work/times"
    echo "$(((${end/./} - ${start/./}) / 1000)) $(seconds_ms "$user" + "$sys")"
}
# The sum in milliseconds of two `times` figures such as 0m1.234s.
seconds_ms() {
    awk -v a="$1" -v b="$3" 'function ms(t) { split(t, p, /[ms]/); return p[1] * 60000 + p[2] * 1000 }
        BEGIN { printf "%d", ms(a) + ms(b) }'
}

"$dist" sandbox -- /bin/true
"$repo/posix4j" sandbox -- /bin/true
for ((round = 0; round < rounds; round++)); do
    read -r wall cpu < <(timed "$dist" sandbox -- /bin/true)
    wall_dist+=" $wall" cpu_dist+=" $cpu"
    read -r wall2 cpu < <(timed "$repo/posix4j" sandbox -- /bin/true)
    wall_repo+=" $wall2" cpu_repo+=" $cpu"
    ratios+=" $(awk -v a="$wall" -v b="$wall2" 'BEGIN { printf "%.3f", a / b }')"
done

# Median (the mean of the middle two for an even count), minimum and maximum of the arguments.
summary() {
    printf '%s\n' "$@" | sort -g | awk -v unit="$unit" '{ v[NR] = $1 } END {
        m = NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
        printf "%g%s (%g-%g)", m, unit, v[1], v[NR] }'
}

echo "archive ${archive##*/}: $(du -k "$archive" | cut -f1) KiB; unpacked $(du -sk "$work" | cut -f1) KiB"
echo "$rounds rounds; median (lowest-highest)"
# shellcheck disable=SC2086 # the lists are words
{
    unit=' ms'
    echo "bin/posix4j sandbox -- /bin/true  wall $(summary $wall_dist), CPU $(summary $cpu_dist)"
    echo "./posix4j sandbox -- /bin/true    wall $(summary $wall_repo), CPU $(summary $cpu_repo)"
    unit=''
    echo "wall, dist / repository launcher, within a round: $(summary $ratios)"
}
