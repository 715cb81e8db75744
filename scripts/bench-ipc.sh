#!/usr/bin/env bash
# Benchmarks of org.posix4j.ipc, with their C baselines in the same run:
#   - semaphore ping-pong between two processes sharing a shm mapping with two process-shared
#     anonymous semaphores: two JVMs through posix4j (IpcPingPong: AnonymousSemaphore.init in the
#     launcher, AnonymousSemaphore.view in the peer it starts) against two C processes (fork) with
#     sem_t in a shared mmap (benchmarks/c/ipc_pingpong.c), unpinned and with both processes
#     pinned to CPU 0 (taskset -c 0). Nanoseconds per round trip; goal: Java <= 1.3x C.
#   - bulk copy of 256 MiB from a native heap segment into a shm mapping: one MemorySegment.copy
#     per pass (IpcCopy) against memcpy into a mmap'd shm object (benchmarks/c/ipc_copy.c), both
#     warm (every page of the object allocated). GB/s; goal: Java >= 0.9x C.
# The variants take turns, round after round, and each ratio is the median of the ratios within a
# round, so that a slow spell of a shared machine weighs on both sides. Writes
# benchmarks/results/ipc.md (command, machine, numbers, ratios, goals met or not); the raw output
# stays in benchmarks/target/ipc/.
#
# Usage: scripts/bench-ipc.sh    (ROUNDS=5 TRIPS=50000 WARMUP_TRIPS=20000 MIB=256 PASSES=4 by
#        default: in each of ROUNDS rounds every ping-pong variant runs WARMUP_TRIPS unmeasured and
#        TRIPS measured round trips in fresh processes, and every copy variant copies MIB MiB 3
#        times unmeasured then PASSES times measured; ROUNDS=2 TRIPS=10000 for a quick look)
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"

rounds=${ROUNDS:-5}
trips=${TRIPS:-50000}
warmup_trips=${WARMUP_TRIPS:-20000}
mib=${MIB:-256}
passes=${PASSES:-4}

source scripts/bench-common.sh
bench_prepare bench-ipc.sh python3 gcc taskset

work=benchmarks/target/ipc
mkdir -p "$work" benchmarks/results
gcc -O2 -Wall -Wextra -Werror -o "$work/ipc_pingpong" benchmarks/c/ipc_pingpong.c
gcc -O2 -Wall -Wextra -Werror -o "$work/ipc_copy" benchmarks/c/ipc_copy.c

jvm() {
    "$java" --enable-native-access=ALL-UNNAMED -cp benchmarks/target/benchmarks.jar "$@"
}

median() {
    sed -n 's/^median=//p'
}

# Both programs unlink their objects as soon as both sides have them open; a run killed before
# that leaves a name behind, which is removed here.
trap 'rm -f /dev/shm/posix4j-bench-*' EXIT

results=$work/results.txt
: > "$results"
for round in $(seq "$rounds"); do
    echo "Round $round of $rounds..."
    {
        # C has no JIT to wait for: a tenth of the warm-up is plenty for it.
        echo "c-pingpong $round $("$work/ipc_pingpong" $((warmup_trips / 10)) 1 "$trips" | median)"
        echo "java-pingpong $round $(jvm org.posix4j.benchmarks.IpcPingPong "$warmup_trips" 1 "$trips" | median)"
        echo "c-pingpong-pinned $round $(taskset -c 0 "$work/ipc_pingpong" $((warmup_trips / 10)) 1 "$trips" | median)"
        echo "java-pingpong-pinned $round $(taskset -c 0 "$java" --enable-native-access=ALL-UNNAMED \
            -cp benchmarks/target/benchmarks.jar org.posix4j.benchmarks.IpcPingPong "$warmup_trips" 1 "$trips" | median)"
        echo "c-copy $round $("$work/ipc_copy" "$mib" 3 1 "$passes" | median)"
        echo "java-copy $round $(jvm org.posix4j.benchmarks.IpcCopy "$mib" 3 1 "$passes" | median)"
    } | tee -a "$results"
done

BENCH_COMMAND="ROUNDS=$rounds TRIPS=$trips WARMUP_TRIPS=$warmup_trips MIB=$mib PASSES=$passes scripts/bench-ipc.sh" \
BENCH_KERNEL="$(uname -r)" \
BENCH_CPU="$(grep -m1 '^model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//') ($(nproc) cores available)" \
BENCH_JAVA="$("$java" -version 2>&1 | sed -n 2p)" \
BENCH_GCC="$(gcc --version | head -n 1)" \
BENCH_LIBC="$(ldd --version | head -n 1)" \
BENCH_LOAD="$load_start at the start, $(cut -d' ' -f1-3 /proc/loadavg) at the end" \
BENCH_TRIPS="$trips" BENCH_MIB="$mib" BENCH_PASSES="$passes" \
python3 - "$results" benchmarks/results/ipc.md <<'PY'
import os, sys

sys.path.insert(0, "scripts")
from bench_rounds import Rounds

results, out = sys.argv[1], sys.argv[2]
data = Rounds(results)
values, ratio, cell, ratio_cell = data.values, data.ratio, data.cell, data.ratio_cell
rounds = data.rounds
env = os.environ

lines = ["# Shared memory and semaphore benchmarks", ""]
lines += [f"Command: `{env['BENCH_COMMAND']}`", ""]
lines += [f"- kernel {env['BENCH_KERNEL']}, {env['BENCH_LIBC']}",
          f"- CPU: {env['BENCH_CPU']}",
          f"- Java: {env['BENCH_JAVA']}",
          f"- {env['BENCH_GCC']}, -O2",
          f"- load average: {env['BENCH_LOAD']}", ""]
lines += data.explained()

lines += ["## Semaphore ping-pong between two processes", "",
          f"{int(env['BENCH_TRIPS']):,} measured round trips per run (post S1, wait S2 on one "
          "side; wait S1, post S2 on the other), after an unmeasured warm-up. Nanoseconds per "
          "round trip:", "",
          "| | C, fork + sem_t in a shared mmap | posix4j, two JVMs + AnonymousSemaphore | "
          "Java / C | goal | met |", "|---|---:|---:|---:|---:|---|"]
for label, suffix in (("unpinned", ""), ("pinned to CPU 0 (taskset -c 0)", "-pinned")):
    med, lo, hi = ratio("java-pingpong" + suffix, "c-pingpong" + suffix)
    lines.append(f"| {label} | {cell('c-pingpong' + suffix, '.0f')} | "
                 f"{cell('java-pingpong' + suffix, '.0f')} | {med:.2f} ({lo:.2f}-{hi:.2f}) | "
                 f"<= 1.3 | {'yes' if med <= 1.3 else 'no'} |")
lines.append("")

med, lo, hi = ratio("java-copy", "c-copy")
lines += [f"## Bulk copy of {env['BENCH_MIB']} MiB into a shm mapping", "",
          f"{env['BENCH_PASSES']} measured copies per run after 3 unmeasured ones (every page of "
          "the object allocated). GB/s (10^9 bytes a second):", "",
          "| C memcpy | posix4j mapping + MemorySegment.copy | Java / C | goal | met |",
          "|---:|---:|---:|---:|---|",
          f"| {cell('c-copy', '.2f')} | {cell('java-copy', '.2f')} | {med:.2f} ({lo:.2f}-{hi:.2f}) "
          f"| >= 0.9 | {'yes' if med >= 0.9 else 'no'} |", ""]

lines += ["## Notes", "",
          "- Both ping-pong programs put S1 and S2 64 bytes apart in a one-page shm object, and "
          "both sides block in sem_wait, that is in futex(2) once the value is 0: a round trip is "
          "two wake-ups of a sleeping process. Unpinned, each wake-up may move a process to the "
          "other CPU, so the figures there spread widely with the machine's other work; pinned, "
          "both processes share one CPU and a round trip is two context switches.",
          "- The Java side pays a downcall per post and wait over C; the JVM's other threads "
          "(JIT, GC) also compete for the CPU when pinned.",
          "- The copies go from page-aligned native memory into the same MAP_SHARED mapping "
          "again and again; MemorySegment.copy of native segments ends in the JVM's own copy "
          "routine (in 1 MiB steps between safepoint checks), C's in glibc's memcpy. Both are "
          "bound by memory bandwidth at this size.", ""]

with open(out, "w", encoding="utf-8") as f:
    f.write("\n".join(lines))
print("\n".join(lines))
PY
echo
echo "scripts/bench-ipc.sh took ${SECONDS}s; results in benchmarks/results/ipc.md"
