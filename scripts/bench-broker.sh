#!/usr/bin/env bash
# Benchmarks of the broker (`posix4j sandbox`), whole processes, with their baselines in the same
# run:
#   - brokered open+close: benchmarks/c/broker_openclose.c opens and closes one file CALLS times
#     (after WARMUP_CALLS unmeasured) and prints the nanoseconds per open+close of its own loop;
#     run natively, under a minimal C broker doing the same work as posix4j's master per call
#     (benchmarks/c/broker_cbroker.c: seccomp user notification, process_vm_readv of the path,
#     NOTIF_ID_VALID, openat2, NOTIF_ADDFD + ADDFD_FLAG_SEND) and under
#     `posix4j sandbox --allow-read DIR`; unpinned, with everything pinned to CPU 0 (taskset -c 0),
#     and split: the broker on CPU 0, the program on CPU 1 (the program runs `taskset -c 1`
#     under the broker). Goals: sandbox <= 3x the C broker and <= 10x native.
#   - a file-heavy workload: benchmarks/c/broker_walk.c does stat + open + read to EOF + close on
#     FILES files (the first FILES regular files of a sorted find of /usr/share, then of
#     /usr/lib, listed once per run), natively, under the C broker brokering the stat calls too
#     (-s), under `posix4j sandbox --allow-read /usr` and under `proot -r /` (installed from
#     Debian's packages when missing). The program's own time and the whole-process wall time (the
#     JVM's start included for the sandbox). Goals: sandbox <= 1.5x native and faster than proot.
#   - the fixed cost of each wrapper: the wall time of /bin/true natively, under the C broker,
#     under the sandbox, under `posix4j run` (the same launcher and JVM, no broker) and under
#     proot.
# The variants take turns, round after round, and each ratio is the median of the ratios within a
# round, so that a slow spell of a shared machine weighs on both sides. Writes
# benchmarks/results/broker.md (command, machine, numbers, ratios, goals met or not); the raw
# output stays in benchmarks/target/broker/.
#
# Usage: scripts/bench-broker.sh    (ROUNDS=5 CALLS=50000 WARMUP_CALLS=20000 FILES=20000 by
#        default; ROUNDS=2 CALLS=10000 FILES=5000 for a quick look). Needs two CPUs or more (the
#        split variant) and root where proot is missing (to install it).
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"

rounds=${ROUNDS:-5}
calls=${CALLS:-50000}
warmup_calls=${WARMUP_CALLS:-20000}
files=${FILES:-20000}

if ! command -v proot >/dev/null; then
    echo "Installing proot..."
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends proot
fi

source scripts/bench-common.sh
bench_prepare bench-broker.sh python3 gcc taskset proot find
if (( $(nproc) < 2 )); then
    echo "bench-broker.sh: the split variant needs CPUs 0 and 1; $(nproc) available" >&2
    exit 1
fi

work=$root/benchmarks/target/broker
# The directory the sandboxed programs may read: the file the open+close loop opens and the list
# of files the walk reads. The programs themselves are executed, which the filter allows.
data=$work/data
mkdir -p "$work" "$data" benchmarks/results
for program in openclose cbroker walk connect; do
    gcc -O2 -Wall -Wextra -Werror -pthread -o "$work/broker_$program" "benchmarks/c/broker_$program.c"
done
file=$data/file
printf 'posix4j broker benchmark\n' > "$file"
list=$data/list.txt
# Through a file, not a pipe into head: head's early exit would fail the pipeline (pipefail).
{ find /usr/share -type f | LC_ALL=C sort; find /usr/lib -type f | LC_ALL=C sort; } \
    > "$work/all-files.txt" 2>/dev/null
head -n "$files" "$work/all-files.txt" > "$list"
if (( $(wc -l < "$list") != files )); then
    echo "fewer than $files files under /usr/share and /usr/lib" >&2
    exit 1
fi

# Broker mode whatever the kernel could enforce itself: this script measures the broker
# (scripts/bench-sandbox-modes.sh compares the modes).
sandbox=("$root/posix4j" sandbox --enforce broker)

# Runs a command with its output in $work/out.txt and prints its wall time in milliseconds
# (bash's clock: no extra process in the measurement). A failing command stops the script.
wall() {
    local t0=$EPOCHREALTIME t1
    "$@" > "$work/out.txt" || { echo "failed ($?): $*" >&2; cat "$work/out.txt" >&2; exit 1; }
    t1=$EPOCHREALTIME
    python3 -c "import sys; print(f'{(float(sys.argv[2]) - float(sys.argv[1])) * 1000:.1f}')" \
        "$t0" "$t1"
}

field() {
    sed -n "s/.*$1=\([0-9.]*\).*/\1/p" "$work/out.txt"
}

# Prints "VARIANT ROUND VALUE" with VALUE what the command printed; stops the script when it printed
# nothing (the command failed).
record() {
    local variant=$1 round=$2 value
    shift 2
    value=$("$@")
    [[ -n $value ]] || { echo "$variant: no figure" >&2; exit 1; }
    echo "$variant $round $value"
}

openclose() {
    "$@" "$work/broker_openclose" "$file" "$warmup_calls" "$calls" | sed -n 's/^ns=//p'
}

# Loopback connects on one port (SO_REUSEADDR, connections reset): the program listens and
# connects itself.
connect_port=$((20000 + RANDOM % 20000))
connects() {
    "$@" "$work/broker_connect" "$connect_port" 500 5000 | sed -n 's/^ns=//p'
}
connect_allow() {
    echo --allow-bind "127.0.0.1:$connect_port" --allow-connect "127.0.0.1:$connect_port"
}

# Every variant must have read the same files and bytes, or it did not do the same work.
walk_expect=
walk() {
    local variant=$1 round=$2 ms
    shift 2
    ms=$(wall "$@" "$work/broker_walk" "$list")
    local seen
    seen=$(sed -n 's/.*\(files=.*\)/\1/p' "$work/out.txt")
    if [[ -z $walk_expect ]]; then
        walk_expect=$seen
    elif [[ $seen != "$walk_expect" ]]; then
        echo "$variant read $seen, native read $walk_expect" >&2
        exit 1
    fi
    echo "walk-$variant-own $round $(field ms)"
    echo "walk-$variant-wall $round $ms"
}

echo "Checking the brokers (first use of ./posix4j builds it)..."
# The C broker's call count and the sandbox's audit show that the loop's calls were brokered:
# a wrapper that let them through unseen would make every figure below meaningless.
"$work/broker_cbroker" -c "$work/broker_openclose" "$file" 0 1000 \
    2> "$work/cbroker-check.txt" >/dev/null
served=$(sed -n 's/.*: \([0-9]*\) calls served/\1/p' "$work/cbroker-check.txt")
(( served >= 1000 )) || { echo "the C broker served $served calls, not >= 1000" >&2; exit 1; }
"${sandbox[@]}" --allow-read "$data" --audit "$work/audit.jsonl" -- \
    "$work/broker_openclose" "$file" 0 1000 >/dev/null
audited=$(python3 - "$work/audit.jsonl" "$file" <<'PY'
import json, sys
records = [json.loads(line) for line in open(sys.argv[1], encoding="utf-8") if line.strip()]
print(sum(1 for r in records if r.get("resolved") == sys.argv[2] and r.get("decision") == "allow"
          and r.get("result", -1) >= 0))
PY
)
if (( audited < 1000 )); then
    echo "the sandbox audited $audited allowed opens of $file, not >= 1000" >&2
    exit 1
fi
# Unmeasured: fills the page cache with the listed files, so that every round reads from memory.
"$work/broker_walk" "$list" > "$work/walk-cold.txt"
echo "For 1,000 opens in the loop, the C broker served $served calls and the sandbox audited" \
    "$audited allowed opens; first walk (cold cache): $(cat "$work/walk-cold.txt")"

results=$work/results.txt
: > "$results"
for round in $(seq "$rounds"); do
    echo "Round $round of $rounds..."
    {
        record openclose-native "$round" openclose
        record openclose-cbroker "$round" openclose "$work/broker_cbroker"
        record openclose-sandbox "$round" openclose "${sandbox[@]}" --allow-read "$data" --
        record openclose-native-pinned "$round" openclose taskset -c 0
        record openclose-cbroker-pinned "$round" openclose taskset -c 0 "$work/broker_cbroker"
        record openclose-sandbox-pinned "$round" \
            openclose taskset -c 0 "${sandbox[@]}" --allow-read "$data" --
        record openclose-native-split "$round" openclose taskset -c 1
        record openclose-cbroker-split "$round" \
            openclose taskset -c 0 "$work/broker_cbroker" taskset -c 1
        record openclose-sandbox-split "$round" \
            openclose taskset -c 0 "${sandbox[@]}" --allow-read "$data" --allow-read "$work/broker_openclose" \
            -- taskset -c 1
        record connect-native "$round" connects
        # shellcheck disable=SC2046 # connect_allow prints words meant to be split
        record connect-sandbox "$round" connects "${sandbox[@]}" $(connect_allow) --
        record connect-native-pinned "$round" connects taskset -c 0
        # shellcheck disable=SC2046
        record connect-sandbox-pinned "$round" connects taskset -c 0 "${sandbox[@]}" $(connect_allow) --
        walk native "$round"
        walk cbroker "$round" "$work/broker_cbroker" -s
        walk sandbox "$round" "${sandbox[@]}" --allow-read /usr --allow-read "$data" --
        walk proot "$round" proot -r /
        record true-native "$round" wall /bin/true
        record true-cbroker "$round" wall "$work/broker_cbroker" /bin/true
        record true-sandbox "$round" wall "${sandbox[@]}" -- /bin/true
        record true-run "$round" wall "$root/posix4j" run -- /bin/true
        record true-proot "$round" wall proot -r / /bin/true
    } | tee -a "$results"
done

BENCH_COMMAND="ROUNDS=$rounds CALLS=$calls WARMUP_CALLS=$warmup_calls FILES=$files scripts/bench-broker.sh" \
BENCH_KERNEL="$(uname -r)" \
BENCH_CPU="$(grep -m1 '^model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//') ($(nproc) cores available)" \
BENCH_JAVA="$("$java" -version 2>&1 | sed -n 2p)" \
BENCH_GCC="$(gcc --version | head -n 1)" \
BENCH_LIBC="$(ldd --version | head -n 1)" \
BENCH_PROOT="$(dpkg-query -W -f '${Version}' proot 2>/dev/null || echo unknown)" \
BENCH_LOAD="$load_start at the start, $(cut -d' ' -f1-3 /proc/loadavg) at the end" \
BENCH_CALLS="$calls" BENCH_WARMUP="$warmup_calls" \
BENCH_WALK="$(cat "$work/walk-cold.txt")" \
python3 - "$results" benchmarks/results/broker.md <<'PY'
import os, sys

sys.path.insert(0, "scripts")
from bench_rounds import Rounds

results, out = sys.argv[1], sys.argv[2]
data = Rounds(results)
values, ratio, cell, ratio_cell = data.values, data.ratio, data.cell, data.ratio_cell
rounds = data.rounds
env = os.environ

def goal(a, b, limit, below=False):
    med = ratio(a, b)[0]
    met = med < limit if below else med <= limit
    return f"{'<' if below else '<='} {limit:g} | {'yes' if met else 'no'}"

walk = dict(kv.split("=") for kv in env["BENCH_WALK"].split() if "=" in kv and not kv.startswith("ms="))

lines = ["# Broker benchmarks", ""]
lines += [f"Command: `{env['BENCH_COMMAND']}`", ""]
lines += [f"- kernel {env['BENCH_KERNEL']}, {env['BENCH_LIBC']}",
          f"- CPU: {env['BENCH_CPU']}",
          f"- Java: {env['BENCH_JAVA']} (`./posix4j`: C1 and C2, -Xmn16m, the serial collector, "
          "huge pages where offered, AOT cache trained with C1)",
          f"- {env['BENCH_GCC']}, -O2; proot {env['BENCH_PROOT']}",
          f"- load average: {env['BENCH_LOAD']}", ""]
lines += data.explained()

lines += ["## Brokered open+close", "",
          f"`broker_openclose FILE {env['BENCH_WARMUP']} {env['BENCH_CALLS']}`: "
          f"{int(env['BENCH_WARMUP']):,} unmeasured then {int(env['BENCH_CALLS']):,} measured "
          "`openat(AT_FDCWD, FILE, O_RDONLY | O_CLOEXEC)` + `close`, timed by the program around "
          "its own loop. In the split row the broker (the C broker, or the sandbox's JVM) is "
          "pinned to CPU 0 and runs `taskset -c 1 broker_openclose ...`, so that every call "
          "crosses CPUs; its native figure is the program alone on CPU 1. "
          "Nanoseconds per open+close:", "",
          "| | native | C broker | posix4j sandbox | sandbox / C broker | goal | met "
          "| sandbox / native | goal | met | C broker / native |",
          "|---|---:|---:|---:|---:|---:|---|---:|---:|---|---:|"]
for label, suffix in (("unpinned", ""), ("pinned to CPU 0 (taskset -c 0)", "-pinned"),
                      ("split: broker on CPU 0, program on CPU 1", "-split")):
    n, c, s = ("openclose-" + v + suffix for v in ("native", "cbroker", "sandbox"))
    lines.append(f"| {label} | {cell(n, '.0f')} | {cell(c, '.0f')} | {cell(s, '.0f')} | "
                 f"{ratio_cell(s, c)} | {goal(s, c, 3)} | {ratio_cell(s, n)} | {goal(s, n, 10)} | "
                 f"{ratio_cell(c, n)} |")
lines.append("")

lines += ["## Brokered connect on loopback", "",
          "`broker_connect PORT 500 5000`: the program listens on 127.0.0.1:PORT (an accepting "
          "thread) and times 5,000 socket + connect + close (closed with a reset, so no "
          "TIME_WAIT), after 500 unmeasured. Under the sandbox its bind and every connect are "
          "brokered and performed by posix4j on the program's own socket. Nanoseconds per "
          "connect:", "",
          "| | native | posix4j sandbox | sandbox / native | goal | met |",
          "|---|---:|---:|---:|---:|---|"]
for label, suffix in (("unpinned", ""), ("pinned to CPU 0 (taskset -c 0)", "-pinned")):
    n, s = ("connect-" + v + suffix for v in ("native", "sandbox"))
    lines.append(f"| {label} | {cell(n, '.0f')} | {cell(s, '.0f')} | {ratio_cell(s, n)} | "
                 f"{goal(s, n, 3)} |")
lines.append("")

lines += ["## File-heavy workload: stat + open + read + close of files under /usr", "",
          f"`broker_walk LIST`: {int(walk['files']):,} files, {int(walk['bytes']) / 1e6:,.0f} MB "
          "(the first regular files of a sorted find of /usr/share, then of /usr/lib; the page "
          "cache filled by an unmeasured run first). For each file glibc's stat (newfstatat), "
          "open (openat), read to end of file in 64 KiB steps, close: two brokered calls a file "
          "under the sandbox and under the C broker with -s (which also stats the file itself "
          "and writes the struct stat back with process_vm_writev), two traced ones under proot. "
          "Milliseconds:", "",
          "| | native | C broker -s | posix4j sandbox | proot -r / | sandbox / native | goal "
          "| met | sandbox / proot | goal | met | sandbox / C broker | C broker / native |",
          "|---|---:|---:|---:|---:|---:|---:|---|---:|---:|---|---:|---:|"]
for label, suffix in (("the program's own loop", "own"),
                      ("whole process, wall (start included)", "wall")):
    n, c, s, p = (f"walk-{v}-{suffix}" for v in ("native", "cbroker", "sandbox", "proot"))
    lines.append(f"| {label} | {cell(n, '.1f')} | {cell(c, '.1f')} | {cell(s, '.1f')} | "
                 f"{cell(p, '.1f')} | {ratio_cell(s, n)} | {goal(s, n, 1.5)} | "
                 f"{ratio_cell(s, p)} | {goal(s, p, 1, below=True)} | {ratio_cell(s, c)} | "
                 f"{ratio_cell(c, n)} |")
lines.append("")

lines += ["## Fixed cost of each wrapper", "",
          "Wall time of `/bin/true` run by each, milliseconds (the sandbox's includes starting "
          "its JVM):", "",
          "| native | C broker | posix4j sandbox | posix4j run (same launcher and JVM, no broker) "
          "| proot -r / |", "|---:|---:|---:|---:|---:|",
          f"| {cell('true-native', '.1f')} | {cell('true-cbroker', '.1f')} | "
          f"{cell('true-sandbox', '.1f')} | {cell('true-run', '.1f')} | "
          f"{cell('true-proot', '.1f')} |", ""]

lines += ["## Notes", "",
          "- Before the rounds the script checks that the calls really were brokered: the C "
          "broker's count of calls served and the sandbox's `--audit` records for the loop's "
          "file (both >= 1,000 for a 1,000-call run), and that every walk variant read the same "
          "files and bytes.",
          "- The C broker serves open, openat and openat2 (with -s also stat, lstat and "
          "newfstatat), without a policy; it is the "
          "floor for a seccomp-notification broker on this kernel: two context switches and six "
          "system calls (receive, process_vm_readv, ID_VALID, openat2, ADDFD with SEND, close) "
          "per call, on top of the call itself. It asks for "
          "SECCOMP_USER_NOTIF_FD_SYNC_WAKE_UP, as posix4j does.",
          "- proot (ptrace, with its seccomp filter so that only path-naming calls stop) is the "
          "baseline an existing tool gives for the same walk.", ""]

with open(out, "w", encoding="utf-8") as f:
    f.write("\n".join(lines))
print("\n".join(lines))
PY
echo
echo "scripts/bench-broker.sh took ${SECONDS}s; results in benchmarks/results/broker.md"
