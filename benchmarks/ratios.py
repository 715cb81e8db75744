#!/usr/bin/env python3
"""Reads the JMH JSON of GetpidBenchmark and prints its table, the ratios and the goals.

Usage: ratios.py RESULTS.json

A goal is judged on JMH's scores (means). Each ratio is also given with the range the two
scores' error bars allow (JMH's 99.9% intervals), so a goal whose range straddles the limit is
reported as within noise rather than plainly met or missed; and with the ratio of the medians and
of the best iterations, which a neighbour's burst on a shared machine cannot move much.
Exit status 0 whether or not the goals are met: this reports, it does not gate.
"""

import json
import sys

CLASS = "org.posix4j.benchmarks.GetpidBenchmark."

LABELS = {
    "posix4j": "posix4j CurrentProcess.pid()",
    "bareHandle": "bare FFM handle, no options",
    "bareCriticalHandle": "bare FFM handle, critical(false)",
    "jnrPosix": "jnr-posix getpid()",
    "jdkProcessHandleCached": "JDK ProcessHandle pid (cached)",
    "posix4jFailure": "posix4j getsid(ESRCH) -> PosixException",
}

# The smallest Java object is 16 bytes, so anything under 1 B/op is the profiler's own
# allocation spread over millions of operations, not an allocation per call.
NO_ALLOCATION = 1.0


def number(value):
    """JMH writes the string "NaN" where it has too few iterations for a statistic; that becomes
    0.0, no error bar."""
    value = float(value)
    return 0.0 if value != value else value


def load(path):
    """Maps each benchmark's short name to a dict of score, error, median, best iteration and
    B/op."""
    with open(path, encoding="utf-8") as f:
        runs = json.load(f)
    results = {}
    for run in runs:
        primary = run["primaryMetric"]
        norm = run.get("secondaryMetrics", {}).get("gc.alloc.rate.norm", {}).get("score")
        results[run["benchmark"].removeprefix(CLASS)] = {
            "score": number(primary["score"]),
            "error": number(primary["scoreError"]),
            "median": number(primary["scorePercentiles"]["50.0"]),
            "best": min(min(fork) for fork in primary["rawData"]),
            "norm": None if norm is None else number(norm),
        }
    return results


def ratio(results, top, bottom):
    """The ratio of two scores, the lowest and highest their error bars allow, and the ratios of
    their medians and of their best iterations."""
    a, b = results[top], results[bottom]
    low = (a["score"] - a["error"]) / (b["score"] + b["error"])
    high = (a["score"] + a["error"]) / (b["score"] - b["error"]) if b["score"] > b["error"] else float("inf")
    return a["score"] / b["score"], low, high, a["median"] / b["median"], a["best"] / b["best"]


def verdict(value, low, high, limit):
    """Whether `value <= limit` holds, and whether the error bars agree."""
    if high <= limit:
        return "MET"
    if low > limit:
        return "NOT MET"
    return "MET (within noise)" if value <= limit else "NOT MET (within noise)"


def main(argv):
    if len(argv) != 2:
        sys.exit("usage: ratios.py RESULTS.json")
    results = load(argv[1])
    missing = [name for name in LABELS if name not in results]
    if missing:
        sys.exit("no result for " + ", ".join(missing) + " in " + argv[1])

    print()
    print(f"{'benchmark':<42} {'ns/op':>9} {'± error':>9} {'median':>9} {'best':>9} {'B/op':>7}")
    for name, label in LABELS.items():
        r = results[name]
        norm = "-" if r["norm"] is None else f"{r['norm']:.1f}"
        print(f"{label:<42} {r['score']:>9.2f} {r['error']:>9.2f} {r['median']:>9.2f} {r['best']:>9.2f} {norm:>7}")

    print()
    print(f"{'ratio':<32} {'mean':>6} {'error range':>13} {'median':>7} {'best':>6}")
    rows = [
        ("posix4j / bare handle", "posix4j", "bareHandle", 1.1),
        ("posix4j / jnr-posix", "posix4j", "jnrPosix", 1.0),
        ("posix4j / bare critical handle", "posix4j", "bareCriticalHandle", None),
        ("bare critical / bare handle", "bareCriticalHandle", "bareHandle", None),
    ]
    for title, top, bottom, limit in rows:
        value, low, high, median, best = ratio(results, top, bottom)
        goal = "" if limit is None else f"  goal <= {limit:.1f}: " + verdict(value, low, high, limit)
        print(f"{title:<32} {value:>6.3f} {low:>6.3f}-{high:<6.3f} {median:>7.3f} {best:>6.3f}{goal}")

    norm = results["posix4j"]["norm"]
    if norm is None:
        print("posix4j success path: B/op not measured (run with -prof gc)")
    else:
        state = "MET" if norm < NO_ALLOCATION else "NOT MET"
        print(f"posix4j success path: {norm:.3f} B/op  goal 0 (under {NO_ALLOCATION:.0f}): {state}")


if __name__ == "__main__":
    main(sys.argv)
