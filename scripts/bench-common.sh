# Sourced by the benchmark scripts, from the repository root: finds the JDK, checks the tools a
# script needs, and builds benchmarks/target/benchmarks.jar quietly. Sets `java` and
# `load_start` (the load average before the run, which the reports show, since other work on
# the machine moves the numbers).
#
# Usage: source scripts/bench-common.sh; bench_prepare SCRIPT-NAME [TOOL...]

bench_prepare() {
    local name=$1 tool
    shift
    source scripts/jdk.sh
    posix4j_find_jdk
    java="$JAVA_HOME/bin/java"
    for tool in "$@"; do
        command -v "$tool" >/dev/null || { echo "$name: $tool is needed" >&2; exit 1; }
    done
    load_start=$(cut -d' ' -f1-3 /proc/loadavg)
    echo "Building benchmarks/target/benchmarks.jar..."
    # Maven 3.8 prints colour-reset codes even in batch mode; only its warnings and errors matter.
    mvn -q -B -pl benchmarks -am package -DskipTests 2>&1 | sed -e 's/\x1b\[[0-9;]*m//g'
}
