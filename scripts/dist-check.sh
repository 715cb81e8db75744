#!/usr/bin/env bash
# Checks the archive scripts/dist.sh makes, as a user without Java would use it: builds it (from
# the jars of an existing build when they are current), unpacks it in a temporary directory whose
# path holds a space, and runs bin/posix4j with `env -i`, JAVA_HOME unset and a PATH that has
# every program of /usr/bin and /bin except java (Debian's default java is /usr/bin/java).
#
# Checks: dist.sh prints nothing on stderr; `info` works and reports this kernel; `run` passes
# exit codes through, and the program's parent is the runtime inside the unpacked directory;
# `sandbox` lets the program read an allowed file and refuses it another, which it reads without
# the sandbox; the launcher works through a symlink and ignores a JAVA_HOME naming an old JDK;
# the AOT cache is usable where the archive was unpacked (the JVM is told to fail otherwise);
# a cache that does not fit is ignored without a word.
#
# Prints one PASS or FAIL line per check; exits non-zero if any check failed.
set -uo pipefail

repo=$(dirname -- "$(dirname -- "$(readlink -f -- "${BASH_SOURCE[0]}")")")
# shellcheck source=scripts/checks.sh
. "$repo/scripts/checks.sh"

run bash "$repo/scripts/dist.sh"
expect "scripts/dist.sh" 0 || exit 1
archive=$(sed -n 's/ ([0-9]* KiB)$//p' "$work/out")
pass "scripts/dist.sh made $(cat "$work/out")"

# A PATH without java: links to the programs of /usr/bin and /bin but java and the programs of
# the JDKs under /usr/lib/jvm (whatever their alternatives point at), made without a process per
# program (there are a thousand, and forks are slow on a loaded machine).
nojava=$work/path
mkdir "$nojava"
declare -A skip=([java]=1) seen=()
for program in /usr/lib/jvm/*/bin/*; do
    skip[${program##*/}]=1
done
links=()
for program in /usr/bin/* /bin/*; do
    name=${program##*/}
    [[ -n ${skip[$name]:-} || -n ${seen[$name]:-} ]] && continue
    seen[$name]=1
    links+=("$program")
done
ln -s -t "$nojava" -- "${links[@]}"
clean=(env -i "PATH=$nojava")
if "${clean[@]}" bash -c 'command -v java' >/dev/null; then
    fail "java is still on the check's PATH: $("${clean[@]}" bash -c 'command -v java')"
    exit 1
fi

unpacked="$work/un packed"
mkdir "$unpacked"
if ! tar -C "$unpacked" -xzf "$archive"; then
    fail "tar could not unpack $archive"
    exit 1
fi
home=$(echo "$unpacked"/posix4j-*)
posix4j=$home/bin/posix4j

run "${clean[@]}" "$posix4j" info
if expect "bin/posix4j info" 0; then
    if grep -q '^System$' "$work/out" && grep -q '^  release  *'"$(uname -r)"'$' "$work/out"; then
        pass "bin/posix4j info prints the System section, with uname -r as release"
    else
        fail "bin/posix4j info: section or release missing: $(head -c 2000 "$work/out")"
    fi
fi

# The program's parent is the JVM: its executable tells which Java runs the command.
run "${clean[@]}" "$posix4j" run -- /bin/sh -c 'readlink /proc/$PPID/exe'
if expect "bin/posix4j run" 0; then
    if [[ $(cat "$work/out") == "$home/runtime/bin/java" ]]; then
        pass "bin/posix4j run: the command runs on the archive's own runtime"
    else
        fail "bin/posix4j run: the JVM is $(cat "$work/out"), not $home/runtime/bin/java"
    fi
fi

run "${clean[@]}" "$posix4j" run -- /bin/sh -c 'exit 7'
expect "bin/posix4j run -- sh -c 'exit 7'" 7 && pass "bin/posix4j run passes the exit code 7 through"

echo allowed >"$work/allowed"
echo secret >"$work/secret"
if [[ $(cat "$work/secret") != secret ]]; then
    fail "control: cat cannot read $work/secret without the sandbox"
fi
run "${clean[@]}" "$posix4j" sandbox --allow-read "$work/allowed" -- /bin/cat "$work/allowed" "$work/secret"
if expect "bin/posix4j sandbox" 1 any; then
    if [[ $(cat "$work/out") == allowed ]] &&
        [[ $(cat "$work/err") == "/bin/cat: $work/secret: Permission denied" ]]; then
        pass "bin/posix4j sandbox: cat read the allowed file and was refused the other"
    else
        fail "bin/posix4j sandbox: stdout $(head -c 500 "$work/out"), stderr $(head -c 2000 "$work/err")"
    fi
fi

# Named by a relative path from the unpacked directory, and as ./posix4j from bin/.
run "${clean[@]}" sh -c 'cd "$1" && exec bin/posix4j run -- /bin/true' sh "$home"
expect "bin/posix4j named relatively from the unpacked directory" 0 &&
    pass "bin/posix4j works named as bin/posix4j"
run "${clean[@]}" sh -c 'cd "$1/bin" && exec ./posix4j run -- /bin/true' sh "$home"
expect "./posix4j from bin/" 0 && pass "bin/posix4j works named as ./posix4j from bin/"

# Through a symlink in another directory, with JAVA_HOME naming something that is no JDK 25.
ln -s "$posix4j" "$nojava/posix4j"
run env -i "PATH=$nojava" JAVA_HOME=/usr/lib/jvm/java-17-openjdk-amd64 posix4j run -- /bin/true
expect "posix4j through a symlink on PATH, JAVA_HOME set" 0 &&
    pass "bin/posix4j works through a symlink and ignores JAVA_HOME"

# AOTMode=on makes the JVM fail when it cannot use the cache; the java launcher reports the
# option it picked up from JDK_JAVA_OPTIONS on stderr, and nothing else may be there.
run "${clean[@]}" JDK_JAVA_OPTIONS=-XX:AOTMode=on "$posix4j" info
if expect "bin/posix4j info with -XX:AOTMode=on" 0 any; then
    if [[ $(cat "$work/err") == "NOTE: Picked up JDK_JAVA_OPTIONS: -XX:AOTMode=on" ]]; then
        pass "the AOT cache is usable where the archive was unpacked"
    else
        fail "bin/posix4j info with -XX:AOTMode=on: stderr $(head -c 2000 "$work/err")"
    fi
fi

run "${clean[@]}" JDK_JAVA_OPTIONS=-XX:AOTMode=on "$posix4j" sandbox --enforce broker -- /bin/true
if expect "bin/posix4j sandbox --enforce broker with -XX:AOTMode=on" 0 any; then
    if [[ $(cat "$work/err") == "NOTE: Picked up JDK_JAVA_OPTIONS: -XX:AOTMode=on" ]]; then
        pass "broker mode's AOT cache is usable where the archive was unpacked"
    else
        fail "bin/posix4j sandbox --enforce broker with -XX:AOTMode=on: stderr $(head -c 2000 "$work/err")"
    fi
fi

# A cache cut short, as a cache that does not fit this JVM: it must be ignored silently.
truncate -s 65536 "$home/lib/posix4j.aot"
run "${clean[@]}" "$posix4j" info
expect "bin/posix4j info with a broken AOT cache" 0 &&
    pass "bin/posix4j ignores a broken AOT cache without a word"

if ((failures > 0)); then
    echo "$failures check(s) of the distribution failed"
    exit 1
fi
