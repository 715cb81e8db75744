#!/usr/bin/env bash
# Checks the ABI values the Java code assumes against what a C compiler says, for x86_64 and
# aarch64: struct sizes and member offsets, constants, errno numbers and syscall numbers.
#
#   scripts/abi-check.sh [-v] [ARCH...]        (default: x86_64 aarch64)
#
# The Java side is printed by org.posix4j.internal.AbiTable (core's test classes; built with
# Maven if missing). For each architecture the script generates a C file that evaluates every
# value's C expression (scripts/abi/probe.h), compiles it with -S, and reads the values back from
# the assembly: nothing runs, so no emulator is needed. It also lists every __NR_ name of the
# architecture's <asm/unistd.h>, each of which the broker's syscall table must classify.
#
# Values the headers do not have (a syscall or flag newer than them) are reported as not
# verified. Prints the mismatches and a summary per architecture, the whole table with -v or in
# core/target/abi-check.txt; exits 1 on any mismatch. A missing cross compiler skips its
# architecture with a note, or fails under CI=true (.ci/run installs gcc-aarch64-linux-gnu and
# libc6-dev-arm64-cross).
set -euo pipefail
repo=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)
. "$repo/scripts/jdk.sh"
posix4j_find_jdk

verbose=0
if [[ ${1:-} == -v ]]; then
    verbose=1
    shift
fi
archs=("$@")
[ ${#archs[@]} -gt 0 ] || archs=(x86_64 aarch64)

classes=$repo/core/target/classes:$repo/core/target/test-classes
if [ ! -f "$repo/core/target/test-classes/org/posix4j/internal/AbiTable.class" ]; then
    (cd "$repo" && mvn -q -B --no-transfer-progress -pl core test-compile)
fi

work=$(mktemp -d)
trap 'rm -rf -- "$work"' EXIT
report=$repo/core/target/abi-check.txt
: >"$report"
status=0

compiler() {
    local arch=$1
    if [[ $(uname -m) == "$arch" ]]; then
        echo "${CC:-gcc}"
    else
        echo "$arch-linux-gnu-gcc"
    fi
}

for arch in "${archs[@]}"; do
    cc=$(compiler "$arch")
    if ! command -v "$cc" >/dev/null; then
        if [[ ${CI:-} == true ]]; then
            echo "abi-check: $arch: no C compiler $cc (apt-get install gcc-aarch64-linux-gnu libc6-dev-arm64-cross)" >&2
            status=1
        else
            echo "abi-check: $arch: SKIPPED, no C compiler $cc"
        fi
        continue
    fi
    "$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED -cp "$classes" \
        org.posix4j.internal.AbiTable "$arch" >"$work/$arch.java"
    # Every syscall name of this architecture's headers.
    echo '#include <asm/unistd.h>' | "$cc" -dM -E - |
        sed -n 's/^#define __NR_\([a-z0-9_]*\) .*/\1/p' |
        # Not syscalls: the table's length and the base of aarch64's arch-specific range.
        grep -vx 'syscalls\|arch_specific_syscall' | sort -u >"$work/$arch.names"
    {
        echo "#include \"$repo/scripts/abi/probe.h\""
        n=0
        while IFS=$'\t' read -r _ key _ _ expr; do
            echo "/* $key */"
            if [[ $expr == \?* ]]; then
                printf '#ifdef %s\nV(%d, %s)\n#endif\n' "${expr#\?}" "$n" "${expr#\?}"
            else
                printf 'V(%d, %s)\n' "$n" "$expr"
            fi
            n=$((n + 1))
        done <"$work/$arch.java"
        while read -r name; do
            printf 'V(nr_%s, __NR_%s)\n' "$name" "$name"
        done <"$work/$arch.names"
    } >"$work/$arch.c"
    if ! "$cc" -S -o "$work/$arch.s" "$work/$arch.c" 2>"$work/$arch.err"; then
        echo "abi-check: $arch: the probe does not compile (a C expression of AbiTable is wrong):" >&2
        grep -A3 'error' "$work/$arch.err" | head -40 >&2
        status=1
        continue
    fi
    awk '/^abi_.*:$/ { name = substr($1, 5, length($1) - 5); next }
         name != "" && ($1 == ".quad" || $1 == ".xword" || $1 == ".8byte") { print name, $2; name = "" }
         $1 == ".zero" && name != "" { print name, 0; name = "" }' "$work/$arch.s" >"$work/$arch.c.values"
    python3 - "$arch" "$work/$arch.java" "$work/$arch.c.values" "$verbose" "$report" \
        "$repo/scripts/abi/known-mismatches.txt" <<'PY' || status=1
import sys
arch, java_file, c_file, verbose, report, known_file = sys.argv[1:4] + [sys.argv[4] == "1"] + sys.argv[5:7]
known = set()
for line in open(known_file):
    fields = line.split()
    if fields and not fields[0].startswith("#") and fields[0] == arch:
        known.add(fields[1])
c = {}
for line in open(c_file):
    k, v = line.split()
    c[k] = v
headers = {k[3:]: int(v) for k, v in c.items() if k.startswith("nr_")}
by_number = {v: k for k, v in headers.items()}
classified = set()
rows, bad, unverified = [], 0, 0
for i, line in enumerate(open(java_file)):
    _, key, value, bits, expr = line.rstrip("\n").split("\t")
    value, bits = int(value), int(bits)
    got = c.get(str(i), "absent")
    if expr.startswith("?__NR_"):
        name = expr[6:]
        if key.endswith("(BrokerSyscalls)"):
            classified.add(name)
    if got == "absent":
        # A syscall number the headers leave unused is a later kernel's; one they give another
        # name is wrong.
        taken = by_number.get(value) if expr.startswith("?__NR_") else None
        state = ("MISMATCH: the headers' %d is %s" % (value, taken) if taken
                 else "not verified: newer than the headers")
    else:
        mask = (1 << bits) - 1
        state = "ok" if (value - int(got)) & mask == 0 else "MISMATCH"
    if key in known:
        state = "KNOWN mismatch (scripts/abi/known-mismatches.txt)" if state == "MISMATCH" else \
            "MISMATCH: listed in scripts/abi/known-mismatches.txt but " + state
        known.discard(key)
    bad += state.startswith("MISMATCH")
    unverified += state.startswith("not verified")
    rows.append((key, str(value), got, state))
for key in sorted(known):
    rows.append((key, "-", "-", "MISMATCH: listed in scripts/abi/known-mismatches.txt, not in the table"))
    bad += 1
for name in sorted(set(headers) - classified):
    rows.append(("nr." + name + " (headers)", "-", str(headers[name]), "MISMATCH: not in BrokerSyscalls"))
    bad += 1
with open(report, "a") as out:
    for r in rows:
        out.write("%s\t%-58s java=%-12s c=%-12s %s\n" % ((arch,) + r))
for r in rows:
    if verbose or r[3] != "ok":
        print("%s  %-58s java=%-12s c=%-12s %s" % ((arch,) + r))
print("abi-check: %s: %d values, %d mismatches, %d known, %d not verified (headers older than the Java table)"
      % (arch, len(rows), bad, sum(r[3].startswith("KNOWN") for r in rows), unverified))
sys.exit(1 if bad else 0)
PY
done
exit "$status"
