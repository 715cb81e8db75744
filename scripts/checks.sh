# Shared by the whole-command checks (smoke-launcher.sh, dist-check.sh): sourced, not run.
# Makes a temporary directory $work (removed on exit) and counts failed checks in $failures.

work=$(mktemp -d)
trap 'rm -rf -- "$work"' EXIT
failures=0
rc=0

pass() { echo "PASS: $*"; }
fail() {
    echo "FAIL: $*"
    failures=$((failures + 1))
}

# Runs a command with stdout and stderr in $work/out and $work/err, its exit code in $rc.
run() {
    "$@" >"$work/out" 2>"$work/err"
    rc=$?
}

# Checks the last run: exit code $2 (or "nonzero"), then an empty stderr unless $3 says "any"
# or "nonempty" (which the caller then checks).
expect() {
    local name=$1 want=$2 stderr=${3:-empty}
    if [[ $want == nonzero && $rc == 0 ]] || [[ $want != nonzero && $rc != "$want" ]]; then
        fail "$name: exit code $rc, expected $want; stderr: $(head -c 2000 "$work/err")"
        return 1
    fi
    if [[ $stderr == empty && -s $work/err ]]; then
        fail "$name: stderr is not empty: $(head -c 2000 "$work/err")"
        return 1
    fi
    return 0
}
