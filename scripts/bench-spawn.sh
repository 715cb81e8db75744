#!/usr/bin/env bash
# Benchmarks of org.posix4j.spawn, with their baselines in the same run:
#   - spawn and wait for /bin/true, in spawns per second: posix4j (Spawn + Child.waitFor) and
#     ProcessBuilder, each in a JVM with a small heap (-Xms64m -Xmx64m) and in one with a 1 GiB
#     pre-touched heap (-Xms1g -Xmx1g -XX:+AlwaysPreTouch), a C posix_spawn + waitpid loop
#     (benchmarks/c/spawn_loop.c) and Python's subprocess.run. Goals: posix4j >= 2x
#     ProcessBuilder and >= 0.85x C and Python; posix4j's 1 GiB-heap time <= 1.2x its small-heap
#     time. The variants take turns, round after round, and each ratio is the median of the
#     ratios within a round, so that a slow spell of a shared machine weighs on both sides.
#   - watching 1,000 live children (sleep 600) for their exit: threads and resident memory added,
#     posix4j (Child.onExit) against ProcessBuilder + Process.onExit, each in a fresh JVM with a
#     256 MiB pre-touched heap. Goals: posix4j adds <= 2 threads and <= 10 MB.
# Writes benchmarks/results/spawn.md (command, machine, numbers, ratios, goals met or not); the raw
# output stays in benchmarks/target/spawn/.
#
# Usage: scripts/bench-spawn.sh    (ROUNDS=5 WARMUP=6 MEASURE=2 WATCH=1000 by default: in each of
#        ROUNDS rounds each variant warms up for WARMUP seconds, long enough for the JIT to have
#        compiled the Java side, then is measured for MEASURE seconds; ROUNDS=2 WARMUP=3
#        scripts/bench-spawn.sh for a quick look)
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"

rounds=${ROUNDS:-5}
warmup=${WARMUP:-6}
measure=${MEASURE:-2}
watch=${WATCH:-1000}
program=/bin/true

source scripts/bench-common.sh
bench_prepare bench-spawn.sh python3 gcc

work=benchmarks/target/spawn
mkdir -p "$work" benchmarks/results
gcc -O2 -Wall -Wextra -Werror -o "$work/spawn_loop" benchmarks/c/spawn_loop.c

small=(-Xms64m -Xmx64m)
large=(-Xms1g -Xmx1g -XX:+AlwaysPreTouch)

jvm() {
    "$java" --enable-native-access=ALL-UNNAMED "$@"
}

spawn_rate() {
    jvm "${@:2}" -cp benchmarks/target/benchmarks.jar org.posix4j.benchmarks.SpawnRate \
        "$1" "$warmup" "$measure" "$program" | sed -n 's/^rate=//p'
}

python_rate() {
    python3 - 1 "$measure" "$program" <<'PY'
import subprocess, sys, time
warmup, measure, program = float(sys.argv[1]), float(sys.argv[2]), sys.argv[3]
end = time.monotonic() + warmup
while time.monotonic() < end:
    subprocess.run([program], check=True)
t0 = time.monotonic()
end, count = t0 + measure, 0
while True:
    subprocess.run([program], check=True)
    count += 1
    t = time.monotonic()
    if t >= end:
        break
print(f"{count / (t - t0):.1f}")
PY
}

rates=$work/rates.txt
: > "$rates"
for round in $(seq "$rounds"); do
    echo "Round $round of $rounds (spawns per second of $program)..."
    {
        # C and Python have no JIT to wait for: one second of warm-up is plenty for them.
        echo "c $round $("$work/spawn_loop" 1 "$measure" "$program" | sed -n 's/^rate=//p')"
        echo "python $round $(python_rate)"
        echo "posix4j-small $round $(spawn_rate posix4j "${small[@]}")"
        echo "posix4j-1g $round $(spawn_rate posix4j "${large[@]}")"
        echo "processbuilder-small $round $(spawn_rate processbuilder "${small[@]}")"
        echo "processbuilder-1g $round $(spawn_rate processbuilder "${large[@]}")"
    } | tee -a "$rates"
done

for mode in posix4j processbuilder; do
    echo "Watching $watch children with $mode..."
    jvm -Xms256m -Xmx256m -XX:+AlwaysPreTouch -cp benchmarks/target/benchmarks.jar \
        org.posix4j.benchmarks.WatchChildren "$mode" "$watch" | tee "$work/watch-$mode.txt"
done

BENCH_COMMAND="ROUNDS=$rounds WARMUP=$warmup MEASURE=$measure WATCH=$watch scripts/bench-spawn.sh" \
BENCH_KERNEL="$(uname -r)" \
BENCH_CPU="$(grep -m1 '^model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//') ($(nproc) cores available)" \
BENCH_JAVA="$("$java" -version 2>&1 | sed -n 2p)" \
BENCH_GCC="$(gcc --version | head -n 1)" \
BENCH_PYTHON="$(python3 --version)" \
BENCH_LIBC="$(ldd --version | head -n 1)" \
BENCH_LOAD="$load_start at the start, $(cut -d' ' -f1-3 /proc/loadavg) at the end" \
python3 - "$work" benchmarks/results/spawn.md <<'PY'
import os, statistics, sys

work, out = sys.argv[1], sys.argv[2]

by_round = {}
for line in open(os.path.join(work, "rates.txt"), encoding="utf-8"):
    variant, rnd, rate = line.split()
    by_round.setdefault(int(rnd), {})[variant] = float(rate)
rounds = sorted(by_round)
variants = ["c", "python", "posix4j-small", "posix4j-1g", "processbuilder-small", "processbuilder-1g"]
labels = {
    "c": "C posix_spawn + waitpid loop",
    "python": "Python subprocess.run",
    "posix4j-small": "posix4j Spawn + waitFor, 64 MiB heap",
    "posix4j-1g": "posix4j Spawn + waitFor, 1 GiB pre-touched heap",
    "processbuilder-small": "ProcessBuilder start + waitFor, 64 MiB heap",
    "processbuilder-1g": "ProcessBuilder start + waitFor, 1 GiB pre-touched heap",
}

def median_rate(v):
    return statistics.median(by_round[r][v] for r in rounds)

def ratio(a, b):
    """Median over the rounds of rate(a) / rate(b), with the lowest and highest."""
    values = [by_round[r][a] / by_round[r][b] for r in rounds]
    return statistics.median(values), min(values), max(values)

def watch(mode):
    values = {}
    for line in open(os.path.join(work, f"watch-{mode}.txt"), encoding="utf-8"):
        key, _, value = line.strip().partition("=")
        values[key] = int(value)
    return values

lines = ["# Spawn and subprocess-watching benchmarks", ""]
lines += [f"Command: `{os.environ['BENCH_COMMAND']}`", ""]
lines += [f"- kernel {os.environ['BENCH_KERNEL']}, {os.environ['BENCH_LIBC']}",
          f"- CPU: {os.environ['BENCH_CPU']}",
          f"- Java: {os.environ['BENCH_JAVA']}",
          f"- {os.environ['BENCH_GCC']}; {os.environ['BENCH_PYTHON']}",
          f"- load average: {os.environ['BENCH_LOAD']}", ""]

lines += ["## Spawn and wait for /bin/true", "",
          f"{len(rounds)} rounds; in each, every variant ran once in its own process, warmed up "
          "(the JIT compiling the Java side) and then measured for a fixed time, and the variants "
          "took turns. Spawns per second, median over the rounds (lowest-highest):", "",
          "| variant | spawns/s |", "|---|---:|"]
for v in variants:
    values = [by_round[r][v] for r in rounds]
    lines.append(f"| {labels[v]} | {median_rate(v):.0f} ({min(values):.0f}-{max(values):.0f}) |")
lines.append("")

goals = [
    ("posix4j / ProcessBuilder (64 MiB heaps)", "posix4j-small", "processbuilder-small", ">=", 2.0),
    ("posix4j (64 MiB heap) / C posix_spawn loop", "posix4j-small", "c", ">=", 0.85),
    ("posix4j (64 MiB heap) / Python subprocess.run", "posix4j-small", "python", ">=", 0.85),
    ("posix4j time with 1 GiB heap / with 64 MiB heap", "posix4j-small", "posix4j-1g", "<=", 1.2),
    ("ProcessBuilder time with 1 GiB heap / with 64 MiB heap (information)", "processbuilder-small",
     "processbuilder-1g", None, None),
]
lines += ["Ratios, each the median over the rounds of the ratio within a round (lowest-highest):", "",
          "| ratio | value | goal | met |", "|---|---:|---:|---|"]
for name, a, b, op, limit in goals:
    med, lo, hi = ratio(a, b)
    if op is None:
        lines.append(f"| {name} | {med:.2f} ({lo:.2f}-{hi:.2f}) | | |")
        continue
    met = med >= limit if op == ">=" else med <= limit
    lines.append(f"| {name} | {med:.2f} ({lo:.2f}-{hi:.2f}) | {op} {limit} | {'yes' if met else 'no'} |")
lines.append("")

p, b = watch("posix4j"), watch("processbuilder")
n = os.environ["BENCH_COMMAND"].split("WATCH=")[1].split()[0]

def added(v, key):
    return v[f"{key}.after"] - v[f"{key}.before"]

lines += [f"## Watching {n} live children", "",
          "Each mode in a fresh JVM with a 256 MiB pre-touched heap, measured after 20 warm-up "
          "children and again one second after starting the children, each with an exit callback:", "",
          "| | posix4j Child.onExit | ProcessBuilder + Process.onExit | goal (posix4j) | met |",
          "|---|---:|---:|---:|---|"]
pt, bt = added(p, "threads"), added(b, "threads")
pr, br = added(p, "rss") / 1024, added(b, "rss") / 1024
lines.append(f"| threads added by the {n} children | {pt} | {bt} | <= 2 | {'yes' if pt <= 2 else 'no'} |")
lines.append(f"| threads added since before the first child (the watcher, or the JDK's reapers; "
             f"the JIT's own may come and go) | {p['threads.after'] - p['threads.start']} | "
             f"{b['threads.after'] - b['threads.start']} | | |")
lines.append(f"| resident memory added (MiB) | {pr:.1f} | {br:.1f} | <= 10 MB | {'yes' if pr * 1.048576 <= 10 else 'no'} |")
lines.append(f"| heap in use added after GC (MiB) | {added(p, 'heap') / 1024:.1f} | {added(b, 'heap') / 1024:.1f} | | |")
lines.append(f"| exits reported after SIGKILL to all | {p['exits']} in {p['exitMillis']} ms | "
             f"{b['exits']} in {b['exitMillis']} ms | | |")
lines.append("")
lines += ["## Notes", "",
          "- The C loop is the least work a program can do to run another: posix_spawn without "
          "attributes or file actions, then waitpid. posix4j does more for each child: it resets "
          "every signal disposition and the mask, closes every descriptor the child should not "
          "inherit (one close_range in the child), opens a pidfd and registers it with the "
          "watcher's epoll set; a platform thread's waitFor then polls the pidfd itself and reaps "
          "with waitid(P_PIDFD). Python's subprocess.run closes descriptors too (close_fds).",
          "- ProcessBuilder starts the JDK's jspawnhelper with posix_spawn, which then executes "
          "the program: two execs per child, hence about half the rate.",
          "- Both JVM spawners use posix_spawn (CLONE_VM | CLONE_VFORK), so the heap size does "
          "not matter; a fork would copy page tables in proportion to it.",
          "- The rates move with whatever else the machine runs; the ratios within a round are "
          "steadier than the rates, which is why the goals are judged on them.", ""]

with open(out, "w", encoding="utf-8") as f:
    f.write("\n".join(lines))
print("\n".join(lines))
PY
echo
echo "scripts/bench-spawn.sh took ${SECONDS}s; results in benchmarks/results/spawn.md"
