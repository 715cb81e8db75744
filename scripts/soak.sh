#!/usr/bin/env bash
# Soak of the broker and the subprocess watcher: long runs that must leave nothing behind.
#   a. One program under `./posix4j sandbox --enforce broker` makes SOAK_CALLS brokered calls
#      (benchmarks/c/soak_calls.c: in every ten, five open+close and four stat of a file, and
#      one TCP connect to a loopback listener this script runs, allowed with --allow-connect).
#      At SOAK_POINTS points along the way the program stops and waits; the script reads the
#      posix4j JVM's resident memory (VmRSS), descriptors (/proc/PID/fd) and threads
#      (/proc/PID/status) meanwhile. From the first point on, descriptors and threads must not
#      change, threads must stay within SOAK_THREADS of the first point's count (the JVM adapts
#      its numbers of GC and compiler threads to the load; the names are recorded to tell), and
#      the resident memory must stay within SOAK_RSS_MIB of the first point's.
#   b. One JVM (benchmarks/.../SoakSandboxes.java) starts SOAK_SANDBOXES sandboxes of the same
#      program, SOAK_SANDBOX_CALLS calls each, with org.posix4j.broker.Sandbox, and serves them
#      all at once; afterwards its descriptors and threads are back to the baseline and it has
#      no child left (no zombie). Its heap in use after a full GC is reported next to the
#      baseline's (objects kept per sandbox would show there).
#   c. One JVM (benchmarks/.../SoakSpawns.java) starts /bin/true SOAK_SPAWNS times through
#      org.posix4j.spawn.Spawn, SOAK_INFLIGHT at a time, each on the subprocess watcher's watch
#      list and reaped by its thread; afterwards descriptors, threads and children are back to
#      the baseline.
# A failed check makes the script exit 1 (after the remaining parts ran). Writes
# benchmarks/results/soak.md; the raw output stays in benchmarks/target/soak/.
#
# Usage: scripts/soak.sh   (SOAK_CALLS=1000000 SOAK_POINTS=10 SOAK_RSS_MIB=64 SOAK_THREADS=4 SOAK_SANDBOXES=50
#        SOAK_SANDBOX_CALLS=10000 SOAK_SPAWNS=100000 SOAK_INFLIGHT=8 by default; divide the
#        counts by ten for a quick look, with SOAK_RSS_MIB=512: the JVM commits heap for about
#        its first 40,000 calls, so a run of 100,000 takes its first sample before that and its
#        RSS grows after it). Runs as root or not.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"

calls=${SOAK_CALLS:-1000000}
points=${SOAK_POINTS:-10}
rss_bound=${SOAK_RSS_MIB:-64}
thread_bound=${SOAK_THREADS:-4}
sandboxes=${SOAK_SANDBOXES:-50}
sandbox_calls=${SOAK_SANDBOX_CALLS:-10000}
spawns=${SOAK_SPAWNS:-100000}
inflight=${SOAK_INFLIGHT:-8}

source scripts/bench-common.sh
bench_prepare soak.sh gcc python3 mkfifo

work=$root/benchmarks/target/soak
data=$work/data
rm -rf "$work"
mkdir -p "$data" "$work/out" benchmarks/results
gcc -O2 -Wall -Wextra -Werror -o "$work/soak_calls" benchmarks/c/soak_calls.c
file=$data/file
printf 'posix4j soak\n' > "$file"

# The loopback listener the programs connect to: accepts and closes, as fast as it can.
python3 - "$work/port" <<'PY' &
import socket, sys
s = socket.socket()
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("127.0.0.1", 0))
s.listen(4096)
with open(sys.argv[1] + ".tmp", "w") as f:
    f.write(str(s.getsockname()[1]))
import os
os.rename(sys.argv[1] + ".tmp", sys.argv[1])
while True:
    s.accept()[0].close()
PY
listener=$!
jvm=
cleanup() {
    kill "$listener" 2>/dev/null || true
    if [[ -n $jvm ]]; then
        kill "$jvm" 2>/dev/null || true
    fi
}
trap cleanup EXIT
for _ in $(seq 100); do
    [[ -s $work/port ]] && break
    sleep 0.1
done
port=$(cat "$work/port")
failed=0

echo "a. $calls brokered calls in one sandbox, sampled at $points points (first use of ./posix4j builds it)..."
mkfifo "$work/progress" "$work/go"
"$root/posix4j" sandbox --enforce broker --allow-read "$data" --allow-connect "127.0.0.1:$port" -- \
    "$work/soak_calls" "$file" "$port" "$calls" "$points" < "$work/go" > "$work/progress" &
jvm=$!
exec 4> "$work/go" 3< "$work/progress"
samples=$work/samples.txt
: > "$samples"
# One sample: calls made, VmRSS (KiB), descriptors, threads. A serving thread closes its copy of
# an injected descriptor just after the program got it, so a count above the first point's is
# read again, for up to a second, before it counts.
sample() {
    local at=$1 rss fds threads try
    for try in $(seq 10); do
        rss=$(awk '/^VmRSS:/ {print $2}' "/proc/$jvm/status")
        threads=$(awk '/^Threads:/ {print $2}' "/proc/$jvm/status")
        fds=$(find "/proc/$jvm/fd" -mindepth 1 -maxdepth 1 | wc -l)
        if [[ ! -s $samples ]] || [[ $fds == "$(head -n 1 "$samples" | cut -d' ' -f3)" ]]; then
            break
        fi
        sleep 0.1
    done
    echo "$at $rss $fds $threads" | tee -a "$samples"
    # The threads by name (numbers dropped: "GC Thread#3" counts as "GC Thread#"), to tell the
    # JVM's own threads, whose number it adapts to the load, from posix4j's.
    echo "$at $(cat /proc/"$jvm"/task/*/comm 2>/dev/null | sed 's/[0-9]*$//' | sort | uniq -c \
        | awk '{n=$1; $1=""; printf "%s=%d;", substr($0, 2), n}')" >> "$work/thread-names.txt"
}
t0=$EPOCHREALTIME
summary=
while read -r line <&3; do
    case $line in
        at=*) sample "${line#at=}"; echo go >&4 ;;
        calls=*) summary=$line ;;
    esac
done
t1=$EPOCHREALTIME
exec 3<&- 4>&-
status=0
wait "$jvm" || status=$?
jvm=
echo "program: $summary (exit $status)"
a_report=$(python3 - "$samples" "$rss_bound" "$status" "$summary" "$calls" "$t0" "$t1" "$thread_bound" \
    "$work/thread-names.txt" <<'PY'
import sys
samples = [list(map(int, l.split())) for l in open(sys.argv[1]) if l.strip()]
bound, status, summary, calls = int(sys.argv[2]), int(sys.argv[3]), sys.argv[4], int(sys.argv[5])
thread_bound = int(sys.argv[8])
names = []
for l in open(sys.argv[9]):
    at, _, rest = l.strip().partition(" ")
    names.append(dict((k, int(v)) for k, v in (kv.rsplit("=", 1) for kv in rest.split(";") if kv)))
wall = float(sys.argv[7]) - float(sys.argv[6])
rss0, fds0, thr0 = samples[0][1], samples[0][2], samples[0][3]
lines = [f"wall {wall:.0f} s for {calls:,} calls ({wall / calls * 1e6:.0f} us a call, samples included); "
         f"program: `{summary}`", "",
         "| point | calls made | RSS (MiB) | RSS - first (MiB) | descriptors | threads |",
         "|---:|---:|---:|---:|---:|---:|"]
for i, (at, rss, fds, thr) in enumerate(samples, 1):
    lines.append(f"| {i} | {at:,} | {rss / 1024:.1f} | {(rss - rss0) / 1024:+.1f} | {fds} | {thr} |")
problems = []
if status != 0 or not summary.startswith(f"calls={calls} "):
    problems.append(f"the program did not complete its calls (exit {status})")
if len(samples) == 0:
    problems.append("no sample")
for at, rss, fds, thr in samples:
    if fds != fds0:
        problems.append(f"at {at:,} calls: {fds} descriptors, {fds0} at the first point")
    if abs(thr - thr0) > thread_bound:
        problems.append(f"at {at:,} calls: {thr} threads, {thr0} at the first point")
    if rss - rss0 > bound * 1024:
        problems.append(f"at {at:,} calls: RSS {(rss - rss0) / 1024:+.1f} MiB over the first point, bound {bound} MiB")
changed = sorted({k for n in names for k in set(n) | set(names[0]) if n.get(k, 0) != names[0].get(k, 0)})
lines.append("")
lines.append("Threads whose number changed from the first point (per point): " + ("none" if not changed else
             "; ".join(f"{k}: " + " ".join(str(n.get(k, 0)) for n in names) for k in changed)) + ".")
lines.append("")
lines.append(f"Bounds: descriptors equal to the first point's at every point; threads within "
             f"{thread_bound} of it; RSS at most +{bound} MiB over the first point's. "
             + ("Met." if not problems else "NOT MET: " + "; ".join(problems)))
print("\n".join(lines))
sys.exit(1 if problems else 0)
PY
) || failed=1
echo "$a_report"

# Runs a soak driver of the benchmarks jar with its output in $work/NAME.txt; a failure is
# recorded, not fatal, so that every part reports.
driver() {
    local name=$1
    shift
    "$java" --enable-native-access=ALL-UNNAMED -cp benchmarks/target/benchmarks.jar "$@" \
        > "$work/$name.txt" 2>&1 || failed=1
    cat "$work/$name.txt"
}

echo
echo "b. $sandboxes sandboxes of $sandbox_calls calls each, served at once by one JVM..."
driver sandboxes org.posix4j.benchmarks.SoakSandboxes "$work/soak_calls" "$file" "$port" "$sandboxes" \
    "$sandbox_calls" "$work/out"

echo
echo "c. $spawns spawns of /bin/true, $inflight at a time, watched and reaped by the watcher..."
driver spawns org.posix4j.benchmarks.SoakSpawns "$spawns" "$inflight" /bin/true

SOAK_COMMAND="SOAK_CALLS=$calls SOAK_POINTS=$points SOAK_RSS_MIB=$rss_bound SOAK_THREADS=$thread_bound SOAK_SANDBOXES=$sandboxes SOAK_SANDBOX_CALLS=$sandbox_calls SOAK_SPAWNS=$spawns SOAK_INFLIGHT=$inflight scripts/soak.sh" \
SOAK_MACHINE="kernel $(uname -r), $(grep -m1 '^model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//') ($(nproc) cores), $("$java" -version 2>&1 | sed -n 2p)" \
SOAK_LOAD="$load_start at the start, $(cut -d' ' -f1-3 /proc/loadavg) at the end" \
SOAK_A="$a_report" SOAK_SANDBOXES="$sandboxes" SOAK_SANDBOX_CALLS="$sandbox_calls" \
python3 - "$work/sandboxes.txt" "$work/spawns.txt" benchmarks/results/soak.md <<'PY'
import os, re, sys
env = os.environ

def fields(path):
    text = open(path).read()
    return dict(re.findall(r"(\w+)=(\S+)", text)), text

b, b_text = fields(sys.argv[1])
c, c_text = fields(sys.argv[2])

def left(d):
    mib = lambda k: f"{int(d[k]) / 1024:.1f}" if k in d else "?"
    return (f"{d.get('base_fds')} -> {d.get('after_fds')} descriptors, {d.get('base_threads')} -> "
            f"{d.get('after_threads')} threads, {d.get('after_children')} children left; Java heap in use "
            f"after a full GC {mib('base_heap_kib')} -> {mib('after_heap_kib')} MiB, RSS "
            f"{mib('base_rss_kib')} -> {mib('after_rss_kib')} MiB")

lines = ["# Soak", "", f"Command: `{env['SOAK_COMMAND']}`", "", f"- {env['SOAK_MACHINE']}",
         f"- load average: {env['SOAK_LOAD']}", "",
         "## a. One sandbox, brokered calls, sampled along the way", "", env["SOAK_A"], "",
         "## b. Sandboxes served at once by one JVM", ""]
if "wall_ms" in b:
    lines.append(f"{env['SOAK_SANDBOXES']} sandboxes x {int(env['SOAK_SANDBOX_CALLS']):,} calls: "
                 f"{int(b['wall_ms']) / 1000:.1f} s wall ({int(b['calls']) * 1000 / int(b['wall_ms']):,.0f} calls/s "
                 f"in all); back to the baseline {int(b['settle_ms']) / 1000:.1f} s after the last ended: "
                 f"{left(b)}; {'met' if b.get('ok') == 'true' else 'NOT MET'}.")
else:
    lines.append("failed: " + b_text.strip())
lines += ["", "## c. Spawns with the subprocess watcher", ""]
if "wall_ms" in c:
    lines.append(f"{int(c['spawns']):,} spawns of /bin/true in {int(c['wall_ms']) / 1000:.1f} s "
                 f"({c['rate']}/s), {c['failed']} failed; afterwards {left(c)}; "
                 f"{'met' if c.get('ok') == 'true' else 'NOT MET'}.")
else:
    lines.append("failed: " + c_text.strip())
lines.append("")
open(sys.argv[3], "w").write("\n".join(lines))
print("\n".join(lines))
PY
echo
echo "scripts/soak.sh took ${SECONDS}s; results in benchmarks/results/soak.md"
exit "$failed"
