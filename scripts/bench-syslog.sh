#!/usr/bin/env bash
# Benchmark of org.posix4j.syslog: one message through Syslog.log against syslog(3) called from C
# (benchmarks/c/syslog_loop.c) and through a bare FFM handle, all in the same run against the same
# rsyslogd, which this script starts on /dev/log with a configuration that receives every message
# (no rate limit) and writes it to /dev/null, so that the daemon's disk writes do not set the pace.
# Goal: posix4j <= 1.2x C per message. Writes benchmarks/results/syslog.md; JMH's JSON and the C
# program's output stay in benchmarks/target/syslog/.
#
# Needs root (to own /dev/log), rsyslogd, gcc, python3, and no other syslog daemon on /dev/log.
# Usage: scripts/bench-syslog.sh [JMH options...]   e.g. -f 1 -wi 1 -i 2 for a quick look.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"

if [ -L /dev/log ] || grep -q ' /dev/log$' /proc/net/unix; then
    echo "bench-syslog.sh: /dev/log belongs to a running syslog daemon; stop it first" >&2
    exit 1
fi

source scripts/bench-common.sh
bench_prepare bench-syslog.sh python3 gcc /usr/sbin/rsyslogd

work=benchmarks/target/syslog
rm -rf "$work"
mkdir -p "$work/rsyslog" benchmarks/results
gcc -O2 -Wall -Wextra -Werror -o "$work/syslog_loop" benchmarks/c/syslog_loop.c

cat > "$work/rsyslog/rsyslog.conf" <<CONF
global(workDirectory="$root/$work/rsyslog")
module(load="imuxsock" SysSock.Name="/dev/log" SysSock.Unlink="on" SysSock.RateLimit.Interval="0")
*.* action(type="omfile" file="/dev/null")
CONF
/usr/sbin/rsyslogd -n -f "$root/$work/rsyslog/rsyslog.conf" -i "$root/$work/rsyslog/pid" \
    </dev/null >"$work/rsyslog/out.txt" 2>&1 &
daemon=$!
trap 'kill "$daemon" 2>/dev/null; wait "$daemon" 2>/dev/null || true' EXIT
for _ in $(seq 100); do
    grep -q ' /dev/log$' /proc/net/unix && break
    sleep 0.1
done
grep -q ' /dev/log$' /proc/net/unix || { echo "bench-syslog.sh: rsyslogd did not bind /dev/log" >&2; exit 1; }

echo "C baseline (benchmarks/c/syslog_loop.c)..."
"$work/syslog_loop" 8 500 | tee "$work/c.txt"

echo "JMH (SyslogBenchmark)..."
"$java" --sun-misc-unsafe-memory-access=allow \
    -jar benchmarks/target/benchmarks.jar '\.SyslogBenchmark\.' \
    -foe true -prof gc -rf json -rff "$work/jmh.json" "$@" | tee "$work/jmh.txt"

echo "C baseline again, so that a burst of other work at either end weighs less..."
"$work/syslog_loop" 8 500 | tee -a "$work/c.txt"

BENCH_COMMAND="scripts/bench-syslog.sh${*:+ $*}" \
BENCH_KERNEL="$(uname -r)" \
BENCH_CPU="$(grep -m1 '^model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//') ($(nproc) cores available)" \
BENCH_JAVA="$("$java" -version 2>&1 | sed -n 2p)" \
BENCH_RSYSLOG="$(/usr/sbin/rsyslogd -v | head -n 1 | sed "s/ *compiled with://")" \
BENCH_LOAD="$load_start at the start, $(cut -d' ' -f1-3 /proc/loadavg) at the end" \
python3 - "$work" benchmarks/results/syslog.md <<'PY'
import json, os, re, statistics, sys

work, out = sys.argv[1], sys.argv[2]
GOAL = 1.2

rows = {}
for run in json.load(open(os.path.join(work, "jmh.json"), encoding="utf-8")):
    name = run["benchmark"].rsplit(".", 1)[1]
    p = run["primaryMetric"]
    raw = [float(v) for fork in p["rawData"] for v in fork]
    norm = run.get("secondaryMetrics", {}).get("gc.alloc.rate.norm")
    rows[name] = {"score": float(p["score"]), "error": float(p["scoreError"]),
                  "median": statistics.median(raw), "best": min(raw),
                  "norm": None if norm is None else float(norm["score"])}
text = open(os.path.join(work, "c.txt"), encoding="utf-8").read()
rounds = [float(x) for x in re.findall(r"round \d+: ([\d.]+) ns/call", text)]
mean = sum(rounds) / len(rounds)
rows["C syslog(3) loop"] = {"score": mean, "error": max(abs(r - mean) for r in rounds),
                            "median": statistics.median(rounds), "best": min(rounds), "norm": None}

c = rows["C syslog(3) loop"]
lines = ["# syslog benchmark", "",
         f"Command: `{os.environ['BENCH_COMMAND']}`. Kernel {os.environ['BENCH_KERNEL']}; "
         f"CPU {os.environ['BENCH_CPU']}; {os.environ['BENCH_JAVA']}; {os.environ['BENCH_RSYSLOG']}; "
         f"load {os.environ['BENCH_LOAD']}.", "",
         "One 64-character message at local0.info to rsyslogd on /dev/log (received, then written to /dev/null).", "",
         "| variant | ns/msg | ± error | median | best | B/op | / C (mean) | / C (median) |",
         "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"]
for name, r in rows.items():
    b = "-" if r["norm"] is None else f"{r['norm']:.1f}"
    lines.append(f"| {name} | {r['score']:.1f} | {r['error']:.1f} | {r['median']:.1f} | {r['best']:.1f} | {b} "
                 f"| {r['score'] / c['score']:.3f} | {r['median'] / c['median']:.3f} |")
ratio = rows["posix4j"]["score"] / c["score"]
lines += ["", f"posix4j / C: {ratio:.3f} (goal <= {GOAL}): {'met' if ratio <= GOAL else 'NOT met'}."]
open(out, "w", encoding="utf-8").write("\n".join(lines) + "\n")
print("\n".join(lines))
PY
