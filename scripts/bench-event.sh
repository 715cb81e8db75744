#!/usr/bin/env bash
# Benchmarks of org.posix4j.event, with their C baselines in the same run:
#   - poll(2) over 1,000 pipe descriptors: PollArray.poll against the C program
#     benchmarks/c/poll_baseline.c on descriptors in the same state (goal <= 1.15x), run both as a
#     single-threaded process and with a second thread (as any JVM has: see the C file for why it
#     matters to the kernel), and against a bare FFM downcall;
#   - EpollSelector.select with 10,000 registered descriptors against 10 (goal <= 1.5x), the C
#     program's epoll_wait at the same two sizes, and the allocation per wait (goal 0 B/op).
# Writes benchmarks/results/event.md (command, machine, numbers, ratios, goals met or not); JMH's
# JSON and the C program's output stay in benchmarks/target/event/.
#
# Usage: scripts/bench-event.sh [JMH options...]   e.g. -f 1 -wi 1 -i 2 for a quick look.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"

source scripts/bench-common.sh
bench_prepare bench-event.sh python3 gcc

work=benchmarks/target/event
mkdir -p "$work" benchmarks/results
gcc -O2 -Wall -Wextra -Werror -pthread -o "$work/poll_baseline" benchmarks/c/poll_baseline.c

echo "C baselines (benchmarks/c/poll_baseline.c)..."
"$work/poll_baseline" poll 1000 8 500 | tee "$work/c-poll-1000.txt"
"$work/poll_baseline" poll 1000 8 500 threaded | tee "$work/c-poll-1000-threaded.txt"
"$work/poll_baseline" epoll 10 8 250 threaded | tee "$work/c-epoll-10.txt"
"$work/poll_baseline" epoll 10000 8 250 threaded | tee "$work/c-epoll-10000.txt"

echo "JMH (PollBenchmark, EpollBenchmark)..."
# The flag is for JMH's own JVM, which reaches into sun.misc.Unsafe; the forks get theirs from
# the benchmarks' @Fork annotations.
"$java" --sun-misc-unsafe-memory-access=allow \
    -jar benchmarks/target/benchmarks.jar '\.(Poll|Epoll)Benchmark\.' \
    -foe true -prof gc -rf json -rff "$work/jmh.json" "$@" | tee "$work/jmh.txt"

echo "C poll baselines again, so that a burst of other work at either end weighs less..."
"$work/poll_baseline" poll 1000 8 500 | tee -a "$work/c-poll-1000.txt"
"$work/poll_baseline" poll 1000 8 500 threaded | tee -a "$work/c-poll-1000-threaded.txt"

BENCH_COMMAND="scripts/bench-event.sh${*:+ $*}" \
BENCH_KERNEL="$(uname -r)" \
BENCH_CPU="$(grep -m1 '^model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//') ($(nproc) cores available)" \
BENCH_JAVA="$("$java" -version 2>&1 | sed -n 2p)" \
BENCH_GCC="$(gcc --version | head -n 1)" \
BENCH_LOAD="$load_start at the start, $(cut -d' ' -f1-3 /proc/loadavg) at the end" \
python3 - "$work" benchmarks/results/event.md <<'PY'
import json, os, re, statistics, sys

work, out = sys.argv[1], sys.argv[2]
PKG = "org.posix4j.benchmarks."
# Any Java object takes at least 16 bytes, so an allocation in every call shows as 16 B/op or more;
# under 1 B/op is the profiler's and JMH's own allocation spread over the calls.
NO_ALLOCATION = 1.0

def number(v):
    v = float(v)
    return 0.0 if v != v else v

jmh = {}
for run in json.load(open(os.path.join(work, "jmh.json"), encoding="utf-8")):
    name = run["benchmark"].removeprefix(PKG)
    if run.get("params"):
        name += "[" + ",".join(f"{k}={v}" for k, v in run["params"].items()) + "]"
    p = run["primaryMetric"]
    norm = run.get("secondaryMetrics", {}).get("gc.alloc.rate.norm")
    raw = [number(v) for fork in p["rawData"] for v in fork]
    jmh[name] = {
        "score": number(p["score"]), "error": number(p["scoreError"]),
        "median": statistics.median(raw), "best": min(raw),
        "norm": None if norm is None else number(norm["score"]),
        # JMH's wind-down at the end of a fork lands in its last iteration's allocation count;
        # the median over iterations is the steady state.
        "norm_median": None if norm is None else statistics.median(
            number(v) for fork in norm["rawData"] for v in fork),
    }

def c_result(file):
    text = open(os.path.join(work, file), encoding="utf-8").read()
    rounds = [float(x) for x in re.findall(r"round \d+: ([\d.]+) ns/call", text)]
    mean = sum(rounds) / len(rounds)
    return {"score": mean, "error": max(abs(r - mean) for r in rounds),
            "median": statistics.median(rounds), "best": min(rounds)}

c = {"poll": c_result("c-poll-1000.txt"), "poll threaded": c_result("c-poll-1000-threaded.txt"),
     "epoll 10": c_result("c-epoll-10.txt"), "epoll 10000": c_result("c-epoll-10000.txt")}

def ratio(a, b):
    """The ratio of the means, the lowest and highest the error bars allow, and the ratios of the
    medians and of the best iterations, which a neighbour's burst on a shared machine cannot move
    much."""
    low = max(0.0, a["score"] - a["error"]) / (b["score"] + b["error"])
    high = (a["score"] + a["error"]) / (b["score"] - b["error"]) if b["score"] > b["error"] else float("inf")
    return a["score"] / b["score"], low, high, a["median"] / b["median"], a["best"] / b["best"]

def verdict(value, low, high, limit):
    if limit is None:
        return "-"
    if high <= limit:
        return "MET"
    if low > limit:
        return "NOT MET"
    return "MET (within noise)" if value <= limit else "NOT MET (within noise)"

poll = jmh["PollBenchmark.posix4j"]
bare = jmh["PollBenchmark.bareFfm"]
e10 = jmh["EpollBenchmark.selectAndIterate[registered=10]"]
e10k = jmh["EpollBenchmark.selectAndIterate[registered=10000]"]

lines = []
w = lines.append
w("# Event benchmarks: poll and epoll")
w("")
w("Written by `scripts/bench-event.sh`; every number below comes from one run of it.")
w("")
w(f"- command: `{os.environ['BENCH_COMMAND']}`")
w(f"- kernel: {os.environ['BENCH_KERNEL']}")
w(f"- cpu: {os.environ['BENCH_CPU']}")
w(f"- java: {os.environ['BENCH_JAVA']}")
w(f"- C baseline: `benchmarks/c/poll_baseline.c`, {os.environ['BENCH_GCC']}, -O2")
w(f"- load average (1, 5, 15 min): {os.environ['BENCH_LOAD']}")
w("")
w("## What is measured")
w("")
w("- **poll**: one poll(2) with a zero timeout over 1,000 pipe read ends (POLLIN), every tenth")
w("  holding a byte, so 100 are reported: posix4j's `PollArray.poll(1000, Duration.ZERO)`, a bare")
w("  FFM downcall (no errno capture) on the same kind of array, and the C program making the same")
w("  call in a loop on descriptors in the same state.")
w("- The C poll runs single-threaded, and with one more (idle) thread. When threads share")
w("  the descriptor table, the kernel takes and drops a reference on every file poll(2) examines")
w("  (fdget's fast path is for single-threaded processes only). Every JVM has dozens of threads, so")
w("  the threaded run is the like-for-like baseline; the single-threaded one shows what that")
w("  kernel path costs and is reported against the goal too.")
w("- **epoll**: one `EpollSelector.select(Duration.ZERO)` plus a walk over the ready tokens, with 10")
w("  or 10,000 eventfds registered level-triggered and the same 10 of them ready; the C program")
w("  (threaded) makes epoll_wait(2) and the same walk.")
w("- JMH: average time, 3 forks x 8 iterations of 0.5 s after 3 of 1 s warm-up, `-prof gc`; the")
w("  error is JMH's 99.9% interval. C: 8 rounds (0.5 s for poll, 0.25 s for epoll) after a warm-up")
w("  round, the poll runs once before and once after JMH (16 rounds); its error is the largest")
w("  distance of a round from the mean. A goal is judged on the means, and called within noise")
w("  when the error bars straddle it; the ratios of the medians and of the best iterations are")
w("  given too. Allocation is judged on the median over iterations (JMH's wind-down lands in each")
w("  fork's last iteration); the mean is shown too.")
w("- The machine is shared (see the load average above): bursts from other work show up as a large")
w("  error and a mean far above the median. The medians and best iterations are the figures such")
w("  bursts move least, so both verdicts are given.")
w("")
w("## Results")
w("")
w("| benchmark | ns/call | ± error | median | best | B/op median | B/op mean |")
w("|---|---:|---:|---:|---:|---:|---:|")

def row(label, r):
    med = "-" if r.get("norm_median") is None else f"{r['norm_median']:.3f}"
    mean = "-" if r.get("norm") is None else f"{r['norm']:.3f}"
    w(f"| {label} | {r['score']:,.1f} | {r['error']:,.1f} | {r['median']:,.1f} | {r['best']:,.1f} | {med} | {mean} |")

row("posix4j `PollArray.poll`, 1,000 fds", poll)
row("bare FFM poll, 1,000 fds", bare)
row("C poll, 1,000 fds, single-threaded", c["poll"])
row("C poll, 1,000 fds, two threads", c["poll threaded"])
row("posix4j `EpollSelector.select` + walk, 10 registered", e10)
row("posix4j `EpollSelector.select` + walk, 10,000 registered", e10k)
row("C epoll_wait + walk, 10 registered, two threads", c["epoll 10"])
row("C epoll_wait + walk, 10,000 registered, two threads", c["epoll 10000"])
w("")
w("## Ratios and goals")
w("")
w("| ratio | mean | range the errors allow | median | best | goal | verdict (means) | verdict (medians) |")
w("|---|---:|---:|---:|---:|---|---|---|")
rows = [
    ("posix4j poll / C poll, two threads (like for like)", poll, c["poll threaded"], 1.15),
    ("posix4j poll / C poll, single-threaded", poll, c["poll"], 1.15),
    ("posix4j poll / bare FFM poll", poll, bare, None),
    ("C poll: two threads / single-threaded", c["poll threaded"], c["poll"], None),
    ("posix4j select: 10,000 / 10 registered", e10k, e10, 1.5),
    ("C epoll_wait: 10,000 / 10 registered", c["epoll 10000"], c["epoll 10"], None),
    ("posix4j select / C epoll_wait, 10 registered", e10, c["epoll 10"], None),
    ("posix4j select / C epoll_wait, 10,000 registered", e10k, c["epoll 10000"], None),
]
summary = []
for title, a, b, limit in rows:
    value, low, high, median, best = ratio(a, b)
    v = verdict(value, low, high, limit)
    m = "-" if limit is None else ("MET" if median <= limit else "NOT MET")
    goal = "-" if limit is None else f"<= {limit}"
    w(f"| {title} | {value:.3f} | {low:.3f}-{high:.3f} | {median:.3f} | {best:.3f} | {goal} | {v} | {m} |")
    summary.append(f"{title}: {value:.3f} (median {median:.3f}, best {best:.3f})"
                   + ("" if limit is None else f" goal <= {limit}: {v} on the means, {m} on the medians"))
w("")
w("Allocation per call, medians over iterations. The bare FFM poll allocates nothing, so its figure")
w("is the harness's own allocation spread over the (slow) poll calls; posix4j's poll is judged by")
w("what it shows beyond that. A select is fast enough for the harness's share to vanish.")
w("")
w("| call | B/op | harness share | beyond it | goal | verdict |")
w("|---|---:|---:|---:|---|---|")
for label, r, harness in (("poll", poll, bare["norm_median"]), ("select, 10 registered", e10, 0.0),
                          ("select, 10,000 registered", e10k, 0.0)):
    norm = r["norm_median"]
    if norm is None or harness is None:
        w(f"| posix4j {label} | - | - | - | 0 | not measured (run with -prof gc) |")
        summary.append(f"posix4j {label}: B/op not measured")
        continue
    beyond = max(0.0, norm - harness)
    state = "MET" if beyond < NO_ALLOCATION else "NOT MET"
    w(f"| posix4j {label} | {norm:.3f} | {harness:.3f} | {beyond:.3f} | 0 (under {NO_ALLOCATION:.0f}) | {state} |")
    summary.append(f"posix4j {label}: {norm:.3f} B/op, {beyond:.3f} beyond the harness's (goal 0): {state}")
w("")
open(out, "w", encoding="utf-8").write("\n".join(lines))
print()
print("\n".join(summary))
PY
echo
echo "scripts/bench-event.sh took ${SECONDS}s; results in benchmarks/results/event.md"
