#!/usr/bin/env bash
# Benchmark of the logging modules: messages per second from one thread through posix4j's syslog
# appenders (syslog(3) on /dev/log) against Logback's and Log4j's own syslog appenders (UDP), all in
# the same run, to one rsyslogd that this script starts with both inputs (a unix socket that
# /dev/log points to, and UDP on 127.0.0.1) and that writes every message it receives to a file.
# What counts is what arrived there: a UDP appender that outpaces the daemon loses messages, while
# a sender on the unix socket waits for it. Goal: posix4j's rate of arrived messages >= the UDP
# appender's, nothing lost. Interleaved rounds; every run is a fresh JVM (LoggingRate) that logs
# WARMUP uncounted messages, then COUNT counted ones. Writes benchmarks/results/logging.md.
#
# Needs root (a private mount namespace whose /dev/log is the daemon's socket: the machine's own
# /dev/log, if any, is not touched), rsyslogd, unshare, python3.
# Usage: scripts/bench-logging.sh [ROUNDS [WARMUP [COUNT]]]   (default 3 30000 100000)
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"

if [ -z "${BENCH_LOGGING_INSIDE:-}" ]; then
    [ "$(id -u)" = 0 ] || { echo "bench-logging.sh: needs root (a private mount namespace)" >&2; exit 1; }
    source scripts/bench-common.sh
    bench_prepare bench-logging.sh python3 unshare /usr/sbin/rsyslogd
    BENCH_LOGGING_INSIDE=1 BENCH_JAVA_BIN="$java" BENCH_LOAD_START="$load_start" \
        exec unshare --mount --propagation private -- "$0" "$@"
fi

rounds=${1:-3}
warmup=${2:-30000}
count=${3:-100000}
port=${BENCH_LOGGING_PORT:-15514}
java=$BENCH_JAVA_BIN
work=$root/benchmarks/target/logging
variants="logback-posix4j logback-udp log4j-posix4j log4j-udp"

rm -rf "$work"
mkdir -p "$work/dev" benchmarks/results
# As the tests' Rsyslog does: /dev becomes a tmpfs of links to the real entries (kept reachable
# under $work/dev), with /dev/log pointing at the daemon's socket; only this namespace sees it.
mount --rbind /dev "$work/dev"
mount -t tmpfs -o mode=0755,nosuid tmpfs /dev
ln -s "$work"/dev/* /dev/
rm -f /dev/log
ln -s "$work/log" /dev/log

if grep -q ":$(printf '%04X' "$port") " /proc/net/udp; then
    echo "bench-logging.sh: UDP port $port is taken; set BENCH_LOGGING_PORT" >&2
    exit 1
fi
# One line a message: when it was received (microseconds) and the run it belongs to.
cat > "$work/rsyslog.conf" <<CONF
global(workDirectory="$work")
module(load="imuxsock" SysSock.Name="$work/log" SysSock.Unlink="on" SysSock.RateLimit.Interval="0")
module(load="imudp")
input(type="imudp" address="127.0.0.1" port="$port")
template(name="run" type="string" string="%timegenerated:::date-rfc3339% %rawmsg:R,ERE,1,DFLT:run=([^ ]+) seq=--end%\n")
*.* action(type="omfile" file="$work/messages" template="run")
CONF
/usr/sbin/rsyslogd -n -f "$work/rsyslog.conf" -i "$work/pid" </dev/null >"$work/rsyslogd.out" 2>&1 &
daemon=$!
trap 'kill "$daemon" 2>/dev/null; wait "$daemon" 2>/dev/null || true' EXIT
for _ in $(seq 100); do
    [ -S "$work/log" ] && grep -q ":$(printf '%04X' "$port") " /proc/net/udp && break
    sleep 0.1
done
[ -S "$work/log" ] || { echo "bench-logging.sh: rsyslogd did not start: $(cat "$work/rsyslogd.out")" >&2; exit 1; }

# Waits until the daemon has written everything it took in: the file stops growing.
drain() {
    local last=-1 now
    for _ in $(seq 120); do
        now=$(stat -c %s "$work/messages" 2>/dev/null || echo 0)
        [ "$now" = "$last" ] && return
        last=$now
        sleep 0.5
    done
}

: > "$work/runs.txt"
for round in $(seq "$rounds"); do
    for v in $variants; do
        run="$v-$round"
        out=$("$java" --enable-native-access=ALL-UNNAMED -Dp4j.port="$port" \
            -cp benchmarks/target/benchmarks.jar org.posix4j.benchmarks.LoggingRate "$v" "$run" "$warmup" "$count")
        drain
        seconds=$(sed -n 's/^seconds=//p' <<<"$out")
        arrived=$(grep -c " $run\$" "$work/messages" || true)
        echo "$v $round $seconds $arrived" | tee -a "$work/runs.txt"
    done
done

BENCH_COMMAND="scripts/bench-logging.sh${*:+ $*}" \
BENCH_COUNT="$count" BENCH_WARMUP="$warmup" \
BENCH_KERNEL="$(uname -r)" \
BENCH_CPU="$(grep -m1 '^model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//') ($(nproc) cores available)" \
BENCH_JAVA="$("$java" -version 2>&1 | sed -n 2p)" \
BENCH_RSYSLOG="$(/usr/sbin/rsyslogd -v | head -n 1 | sed "s/ *compiled with://")" \
BENCH_LOAD="$BENCH_LOAD_START at the start, $(cut -d' ' -f1-3 /proc/loadavg) at the end" \
python3 - "$work" benchmarks/results/logging.md <<'PY'
import datetime, os, statistics, sys

work, out = sys.argv[1], sys.argv[2]
count = int(os.environ["BENCH_COUNT"])
received = {}
for line in open(os.path.join(work, "messages"), encoding="utf-8", errors="replace"):
    stamp, _, run = line.rstrip("\n").partition(" ")
    if run:
        received.setdefault(run, []).append(datetime.datetime.fromisoformat(stamp).timestamp())
rows = {}
for line in open(os.path.join(work, "runs.txt"), encoding="utf-8"):
    v, rnd, seconds, arrived = line.split()
    times = received.get(f"{v}-{rnd}", [])
    span = max(times) - min(times) if len(times) > 1 else float("nan")
    rows.setdefault(v, []).append({"sent": count / float(seconds), "arrived": int(arrived),
                                   "delivered": int(arrived) / float(seconds),
                                   "daemon": (len(times) - 1) / span if span > 0 else float("nan")})

def med(v, key):
    return statistics.median(r[key] for r in rows[v])

lines = ["# logging benchmark", "",
         f"Command: `{os.environ['BENCH_COMMAND']}`. Kernel {os.environ['BENCH_KERNEL']}; "
         f"CPU {os.environ['BENCH_CPU']}; {os.environ['BENCH_JAVA']}; {os.environ['BENCH_RSYSLOG']}; "
         f"load {os.environ['BENCH_LOAD']}.", "",
         f"One thread logs {os.environ['BENCH_WARMUP']} uncounted messages, then {count} counted ones "
         "(64 characters, info, local0), in a fresh JVM per run; rsyslogd writes each message it receives "
         "to a file. Medians over the rounds; *delivered* is arrived messages per second of the sender's "
         "logging time, *daemon* the arrival rate between the first and the last arrival.", "",
         "| variant | sent/s | arrived (of each run's count) | delivered/s | daemon/s |",
         "| --- | ---: | ---: | ---: | ---: |"]
for v in rows:
    arrived = ", ".join(str(r["arrived"]) for r in rows[v])
    lines.append(f"| {v} | {med(v, 'sent'):,.0f} | {arrived} | {med(v, 'delivered'):,.0f} | {med(v, 'daemon'):,.0f} |")
lines.append("")
for fw in ("logback", "log4j"):
    ours, theirs = f"{fw}-posix4j", f"{fw}-udp"
    if ours in rows and theirs in rows:
        per_round = [a["delivered"] / b["delivered"] for a, b in zip(rows[ours], rows[theirs])]
        lost = sum(count - r["arrived"] for r in rows[ours])
        ratio = statistics.median(per_round)
        lines.append(f"{fw}: posix4j / UDP delivered {ratio:.2f} (rounds: "
                     f"{', '.join(f'{x:.2f}' for x in per_round)}), posix4j lost {lost}; goal >= 1 with none lost: "
                     f"{'met' if ratio >= 1 and lost == 0 else 'NOT met'}.")
open(out, "w", encoding="utf-8").write("\n".join(lines) + "\n")
print("\n".join(lines))
PY
