#!/usr/bin/env bash
# Smoke test of the ./posix4j launcher, run after the test suite: the command works through the
# launcher as a user runs it, prints nothing on stderr, passes exit codes through, finds a JDK 25
# when JAVA_HOME names an older one, and says what to install when there is none.
#
# Prints one PASS, FAIL or SKIP line per check; exits non-zero if any check failed.
#
# Environment:
#   JDK17             an older JDK for the JAVA_HOME checks (default
#                     /usr/lib/jvm/java-17-openjdk-amd64); a fake one stands in if it is missing.
#   POSIX4J_JVM_DIR   read by scripts/jdk.sh: the directory searched for JDKs instead of
#                     /usr/lib/jvm. This script sets it to a missing directory, and puts an old
#                     JDK first on PATH and in JAVA_HOME, to simulate a machine without JDK 25.
set -uo pipefail

repo=$(dirname -- "$(dirname -- "$(readlink -f -- "${BASH_SOURCE[0]}")")")
launcher=$repo/posix4j
jdk17=${JDK17:-/usr/lib/jvm/java-17-openjdk-amd64}
# shellcheck source=scripts/checks.sh
. "$repo/scripts/checks.sh"

# The value at a path of keys in the JSON of $work/out, such as: json ids uid
json() {
    python3 -c 'import json, sys
value = json.load(open(sys.argv[1]))
for key in sys.argv[2:]:
    value = value[key]
print(value)' "$work/out" "$@"
}

run "$launcher" info
if expect "posix4j info" 0; then
    if grep -q '^System$' "$work/out" && grep -q '^Resource limits$' "$work/out" \
        && grep -q '^  release  *'"$(uname -r)"'$' "$work/out"; then
        pass "posix4j info prints the sections, with uname -r as release"
    else
        fail "posix4j info: sections or release missing: $(head -c 2000 "$work/out")"
    fi
fi

# The first run trained the AOT caches (the commands' and broker mode's); a training run that
# failed (the JVM crashing while it writes the cache, say) leaves an empty file, and every start
# is then slower without a word.
for cache in "$repo"/target/launcher/aot/*.aot; do
    if [[ -s $cache ]]; then
        pass "the launcher trained its AOT cache ${cache##*/}"
    else
        fail "the AOT cache $cache is empty: $(tail -n 20 "$cache.log" 2>/dev/null)"
    fi
done
caches=("$repo"/target/launcher/aot/*.broker.aot)
if [[ -e ${caches[0]} ]]; then
    pass "the launcher made broker mode's AOT cache"
else
    fail "no broker mode AOT cache in $repo/target/launcher/aot"
fi

# `sandbox --enforce broker` starts with broker mode's cache, which holds the broker's classes.
JDK_JAVA_OPTIONS="-Xlog:class+load=info:file=$work/broker-classes" run "$launcher" sandbox --enforce broker -- /bin/true
if expect "posix4j sandbox --enforce broker -- /bin/true" 0 any; then
    if grep -q 'org.posix4j.broker.Performer source: shared objects file' "$work/broker-classes"; then
        pass "a brokered sandbox's start loads the broker's classes from its AOT cache"
    else
        fail "the broker's classes are not in broker mode's AOT cache: $(grep -E 'broker.Performer' "$work/broker-classes")"
    fi
fi

# Training runs sandboxes too (org.posix4j.cli.Training), so that a sandbox's start finds the
# broker's classes in the cache: the JVM's class loading log says where each class came from.
JDK_JAVA_OPTIONS="-Xlog:class+load=info:file=$work/classes" run "$launcher" sandbox -- /bin/true
if expect "posix4j sandbox -- /bin/true" 0 any; then
    if grep -q 'org.posix4j.broker.Performer source: shared objects file' "$work/classes" \
        && grep -q 'org.posix4j.internal.BrokerFilter source: shared objects file' "$work/classes"; then
        pass "a sandbox's start loads the broker's classes from the AOT cache"
    else
        fail "the broker's classes are not in the AOT cache: $(grep -E 'broker.Performer|BrokerFilter ' "$work/classes")"
    fi
    # picocli's classes too, which the build rewrites from class file version 49 (an AOT cache
    # leaves such old classes out; see cli/src/build/UpgradeOldClasses.java).
    from_jar=$(grep -c 'picocli\..* source: file:' "$work/classes")
    if grep -q 'picocli.CommandLine source: shared objects file' "$work/classes" && ((from_jar == 0)); then
        pass "a start loads picocli's classes from the AOT cache"
    else
        fail "$from_jar of picocli's classes were read from the jar: $(grep -m 3 'picocli\.' "$work/classes")"
    fi
fi

# The launcher's JVM runs with the serial collector (no G1 thread among its threads) and, where
# the kernel offers transparent huge pages to a process that asks, with huge pages under its heap
# (AnonHugePages in /proc); where it does not, without asking, so that the JVM has no warning to
# print. The JVM is the launcher's own process (it execs java).
"$launcher" run -- sleep 30 >"$work/out" 2>"$work/err" &
jvm=$!
for _ in $(seq 200); do
    pgrep -P "$jvm" -x sleep >/dev/null && break
    sleep 0.1
done
if ! pgrep -P "$jvm" -x sleep >/dev/null; then
    fail "posix4j run -- sleep 30 did not start sleep: $(head -c 2000 "$work/err")"
else
    huge=$(sed -n 's/^AnonHugePages: *\([0-9]*\) kB/\1/p' "/proc/$jvm/smaps_rollup")
    threads=$(cat "/proc/$jvm/task/"*/comm)
    offered=no
    if grep -Eq '\[(madvise|always)\]' /sys/kernel/mm/transparent_hugepage/enabled 2>/dev/null; then
        offered=yes
    fi
    if grep -q '^G1 ' <<<"$threads"; then
        fail "the launcher's JVM runs G1, not the serial collector: $(grep '^G1 ' <<<"$threads" | head -n 3)"
    elif [[ $offered == yes && ${huge:-0} -eq 0 ]]; then
        fail "the kernel offers transparent huge pages, but the launcher's JVM has none (AnonHugePages ${huge:-missing})"
    elif [[ $offered == no ]] && tr '\0' '\n' <"/proc/$jvm/cmdline" | grep -q UseTransparentHugePages; then
        fail "the launcher asks for transparent huge pages the kernel does not offer"
    else
        pass "the launcher's JVM runs the serial collector, huge pages offered: $offered, AnonHugePages ${huge:-0} kB"
    fi
fi
kill "$jvm" 2>/dev/null
wait "$jvm" 2>/dev/null

run "$launcher" info --json
if expect "posix4j info --json" 0; then
    if ! python3 -m json.tool "$work/out" >/dev/null 2>"$work/json-err"; then
        fail "posix4j info --json is not JSON: $(cat "$work/json-err")"
    elif [[ $(json ids uid) != "$(id -u)" ]]; then
        fail "posix4j info --json: ids.uid is $(json ids uid), id -u says $(id -u)"
    elif [[ $(json ids gid) != "$(id -g)" ]]; then
        fail "posix4j info --json: ids.gid is $(json ids gid), id -g says $(id -g)"
    elif [[ $(json uname release) != "$(uname -r)" ]]; then
        fail "posix4j info --json: uname.release is $(json uname release), uname -r says $(uname -r)"
    elif [[ $(json uname machine) != "$(uname -m)" ]]; then
        fail "posix4j info --json: uname.machine is $(json uname machine), uname -m says $(uname -m)"
    else
        pass "posix4j info --json is valid JSON agreeing with id and uname"
    fi
fi

run "$launcher" --help
if expect "posix4j --help" 0; then
    if grep -q '^Usage: posix4j' "$work/out" && grep -q '^  info ' "$work/out"; then
        pass "posix4j --help shows the usage and the info command"
    else
        fail "posix4j --help: no usage: $(head -c 2000 "$work/out")"
    fi
fi

run "$launcher" info --bogus
if expect "posix4j info --bogus" 2 nonempty; then
    if grep -q "^Unknown option: '--bogus'" "$work/err" && [[ ! -s $work/out ]]; then
        pass "posix4j info --bogus is a usage error with exit code 2"
    else
        fail "posix4j info --bogus: unexpected output: $(head -c 2000 "$work/err")"
    fi
fi

ln -s "$launcher" "$work/posix4j-link"
run sh -c 'cd "$1" && exec ./posix4j-link info --json' sh "$work"
if expect "posix4j through a symlink from another directory" 0; then
    if python3 -m json.tool "$work/out" >/dev/null 2>&1; then
        pass "posix4j works through a symlink from another directory"
    else
        fail "posix4j through a symlink: output is not JSON"
    fi
fi

# Named by relative paths, as a user in the repository or next to it types them: the launcher
# finds its repository without resolving a path that is no symlink.
# Usage: named DIR COMMAND... (the launcher as COMMAND names it, run from DIR)
named() {
    local dir=$1
    shift
    run sh -c 'cd "$1" && shift && exec "$@" info --json' sh "$dir" "$@"
    if expect "posix4j named as $* from $dir" 0; then
        if python3 -m json.tool "$work/out" >/dev/null 2>&1; then
            pass "posix4j works named as $* from $dir"
        else
            fail "posix4j named as $*: output is not JSON"
        fi
    fi
}
named "$repo" ./posix4j
named "${repo%/*}" "${repo##*/}/posix4j"
named "$repo" bash posix4j

# A stand-in for an old JDK where none is installed: the launcher reads its release file.
if [[ ! -x $jdk17/bin/javac ]]; then
    echo "SKIP: no JDK 17 at $jdk17; a fake JDK 17 stands in for the checks below"
    jdk17=$work/fake-jdk-17
    mkdir -p "$jdk17/bin"
    printf '#!/bin/sh\necho "fake JDK 17" >&2\nexit 1\n' >"$jdk17/bin/java"
    cp "$jdk17/bin/java" "$jdk17/bin/javac"
    chmod +x "$jdk17/bin/java" "$jdk17/bin/javac"
    echo 'JAVA_VERSION="17.0.1"' >"$jdk17/release"
fi

run env JAVA_HOME="$jdk17" "$launcher" --version
if expect "posix4j with JAVA_HOME at JDK 17" 0; then
    runtime=$(sed -n 2p "$work/out")
    if [[ $runtime =~ ^Java\ (2[5-9]|[3-9][0-9]) ]]; then
        pass "with JAVA_HOME=$jdk17 the launcher still runs on a JDK 25+ ($runtime)"
    else
        fail "with JAVA_HOME=$jdk17 the command ran on: $runtime"
    fi
fi

run env JAVA_HOME="$jdk17" "$launcher" info --json
if expect "posix4j info --json with JAVA_HOME at JDK 17" 0; then
    if python3 -m json.tool "$work/out" >/dev/null 2>&1; then
        pass "with JAVA_HOME=$jdk17, posix4j info --json works"
    else
        fail "with JAVA_HOME=$jdk17, posix4j info --json is not JSON"
    fi
fi

# The launcher remembers the JDK it found (target/launcher/jdk); one remembered for these same
# settings that is not a JDK 25+ (replaced in place, say) is searched for again, not run.
printf '%s\n%s\n' "$jdk17|$(command -v javac || :)|${POSIX4J_JVM_DIR:-}" "$jdk17" >"$repo/target/launcher/jdk"
run env JAVA_HOME="$jdk17" "$launcher" --version
if expect "posix4j with a remembered JDK 17" 0; then
    runtime=$(sed -n 2p "$work/out")
    if [[ $runtime =~ ^Java\ (2[5-9]|[3-9][0-9]) ]] && ! grep -qx "$jdk17" "$repo/target/launcher/jdk"; then
        pass "a remembered JDK that is not 25+ is replaced by the search ($runtime)"
    else
        fail "with a remembered JDK 17 the command ran on: $runtime; remembered: $(cat "$repo/target/launcher/jdk")"
    fi
fi

run env POSIX4J_JVM_DIR=/nonexistent JAVA_HOME="$jdk17" PATH="$jdk17/bin:$PATH" "$launcher" info
if expect "posix4j without any JDK 25" nonzero nonempty; then
    if grep -q '^posix4j needs a JDK 25 or newer' "$work/err" \
        && grep -q 'apt-get install temurin-25-jdk' "$work/err" && grep -q 'JAVA_HOME=/path/to/jdk' "$work/err" \
        && [[ ! -s $work/out ]]; then
        pass "without a JDK 25 the launcher says what to install and exits with $rc"
    else
        fail "without a JDK 25: unexpected message: $(head -c 2000 "$work/err")"
    fi
fi

run env -u JAVA_HOME POSIX4J_JVM_DIR=/nonexistent PATH="$jdk17/bin:$PATH" "$launcher" info
if expect "posix4j without JAVA_HOME or any JDK 25" nonzero nonempty; then
    if grep -q '^posix4j needs a JDK 25 or newer' "$work/err" && grep -q 'JAVA_HOME is not set' "$work/err"; then
        pass "without JAVA_HOME or a JDK 25 the launcher says what to install and exits with $rc"
    else
        fail "without JAVA_HOME or a JDK 25: unexpected message: $(head -c 2000 "$work/err")"
    fi
fi

# posix4j run, through the launcher (module path): exit codes pass through, nothing else is
# printed, and a signal sent to posix4j reaches the program, which needs the JVM's signal API
# (module jdk.unsupported) to be in the module graph.
run "$launcher" run -- true
if expect "posix4j run -- true" 0; then
    if [[ ! -s $work/out ]]; then
        pass "posix4j run -- true exits with 0 and prints nothing"
    else
        fail "posix4j run -- true printed: $(head -c 2000 "$work/out")"
    fi
fi

run "$launcher" run -- sh -c 'echo out; exit 7'
if expect "posix4j run -- sh -c 'exit 7'" 7; then
    if [[ $(cat "$work/out") == out ]]; then
        pass "posix4j run passes the program's output and exit code 7 through"
    else
        fail "posix4j run -- sh -c 'echo out; exit 7': stdout is $(head -c 2000 "$work/out")"
    fi
fi

run "$launcher" run -- posix4j-no-such-program
if expect "posix4j run of a missing program" 127 nonempty; then
    if [[ $(cat "$work/err") == 'posix4j run: posix4j-no-such-program: No such file or directory' ]]; then
        pass "posix4j run of a missing program exits with 127 and says why"
    else
        fail "posix4j run of a missing program: stderr is $(head -c 2000 "$work/err")"
    fi
fi

run "$launcher" run --timeout 0.2 -- sleep 10
expect "posix4j run --timeout 0.2 -- sleep 10" 124 && pass "posix4j run --timeout exits with 124 as timeout(1) does"

"$launcher" run --pgroup new -- sh -c 'trap "exit 9" TERM; echo ready; sleep 30 & wait' \
    >"$work/out" 2>"$work/err" &
posix4j_pid=$!
for _ in $(seq 100); do
    [[ -s $work/out ]] && break
    sleep 0.1
done
kill -TERM "$posix4j_pid"
wait "$posix4j_pid"
rc=$?
expect "posix4j run given SIGTERM" 9 && pass "SIGTERM sent to posix4j run reaches the program, whose exit code 9 it returns"

# The first use on a fresh machine, where Maven's local repository holds no posix4j yet (the suite
# run before this script installed it here): a copy of the sources, built by its own launcher with
# a local repository that holds everything of this one but org/posix4j, by symlinks.
local_repo=$HOME/.m2/repository
if [[ ! -d $local_repo/org ]]; then
    echo "SKIP: no Maven local repository at $local_repo to make a fresh one from"
else
    fresh=$work/fresh
    mkdir -p "$fresh/src" "$fresh/m2/org"
    for entry in "$local_repo"/*; do
        [[ ${entry##*/} == org ]] || ln -s "$entry" "$fresh/m2/"
    done
    for entry in "$local_repo"/org/*; do
        [[ ${entry##*/} == posix4j ]] || ln -s "$entry" "$fresh/m2/org/"
    done
    tar -C "$repo" --exclude=./.git --exclude=./target --exclude=./dist --exclude='./*/target' -cf - . \
        | tar -C "$fresh/src" -xf -
    run env MAVEN_OPTS="${MAVEN_OPTS:+$MAVEN_OPTS }-Dmaven.repo.local=$fresh/m2" "$fresh/src/posix4j" info
    if expect "posix4j info, built with no posix4j in Maven's local repository" 0; then
        if grep -q '^System$' "$work/out" && [[ ! -e $fresh/m2/org/posix4j ]]; then
            pass "the first build needs no posix4j in Maven's local repository"
        else
            fail "posix4j info from a fresh build: $(head -c 2000 "$work/out")"
        fi
    fi
fi

if ((failures > 0)); then
    echo "smoke-launcher: $failures check(s) failed"
    exit 1
fi
echo "smoke-launcher: all checks passed"
