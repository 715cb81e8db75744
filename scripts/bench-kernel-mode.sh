#!/usr/bin/env bash
# The 20,000-file walk (benchmarks/c/broker_walk.c: stat + open + read to EOF + close of each
# file) natively and under `posix4j sandbox --allow-read /usr` with the file rules enforced by the
# kernel (--enforce kernel) and by the broker (--enforce broker), in turns, ROUNDS rounds. Prints
# the program's own time of each run, then the median of each variant and the median of each
# round's ratio to that round's native run.
#
# Usage: scripts/bench-kernel-mode.sh   (ROUNDS=5 FILES=20000 by default)
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
rounds=${ROUNDS:-5}
files=${FILES:-20000}
work=$(mktemp -d)
trap 'rm -rf -- "$work"' EXIT
gcc -O2 -o "$work/walk" "$root/benchmarks/c/broker_walk.c"
find /usr/share -type f | sort >"$work/all"
head -n "$files" "$work/all" >"$work/list"
"$work/walk" "$work/list" >/dev/null
run() {
    local variant=$1
    shift
    local ms
    ms=$("$@" "$work/walk" "$work/list" | sed -n 's/^ms=\([0-9.]*\) .*/\1/p')
    echo "$variant $ms" | tee -a "$work/times"
}
for ((r = 1; r <= rounds; r++)); do
    run native env
    run kernel "$root/posix4j" sandbox --enforce kernel --allow-read /usr --allow-read "$work" --
    run broker "$root/posix4j" sandbox --enforce broker --allow-read /usr --allow-read "$work" --
done
python3 - "$work/times" <<'PY'
import statistics, sys
times = {}
for line in open(sys.argv[1]):
    v, ms = line.split()
    times.setdefault(v, []).append(float(ms))
for v in ("native", "kernel", "broker"):
    ratios = [t / n for t, n in zip(times[v], times["native"])]
    print(f"{v}: median {statistics.median(times[v]):.0f} ms ({min(times[v]):.0f}-{max(times[v]):.0f}),"
          f" {statistics.median(ratios):.2f}x native (median of the rounds' ratios,"
          f" {min(ratios):.2f}-{max(ratios):.2f})")
PY
