#!/usr/bin/env bash
# Builds the JMH benchmark jar and runs GetpidBenchmark: posix4j's getpid against a bare FFM
# handle, jnr-posix and the JDK in one run, plus a call that fails in the kernel. Writes
# benchmarks/results/getpid.json (JMH's JSON) and getpid.txt (what was printed), then prints
# the ratios and whether the goals are met.
#
# Usage: scripts/bench.sh [JMH options...]   e.g. scripts/bench.sh -f 1 -wi 1 -i 2 for a quick look.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"

source scripts/bench-common.sh
bench_prepare bench.sh python3

results=benchmarks/results
mkdir -p "$results"
{
    echo "# kernel: $(uname -r)"
    echo "# cpu: $(grep -m1 '^model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//') ($(nproc) cores available)"
    echo "# java: $("$java" -version 2>&1 | sed -n 2p)"
} | tee "$results/getpid.txt"

# The flag is for JMH's own JVM, which reaches into sun.misc.Unsafe; the forks get theirs from
# the benchmark's @Fork annotation.
"$java" --sun-misc-unsafe-memory-access=allow \
    -jar benchmarks/target/benchmarks.jar GetpidBenchmark \
    -foe true -prof gc -rf json -rff "$results/getpid.json" "$@" | tee -a "$results/getpid.txt"

python3 benchmarks/ratios.py "$results/getpid.json" | tee -a "$results/getpid.txt"
echo
echo "scripts/bench.sh took ${SECONDS}s; results in $results/getpid.json and $results/getpid.txt"
