# shellcheck shell=bash
# Finds a JDK 25 or newer for building and running posix4j. Source this file, then call
# posix4j_find_jdk: it exports JAVA_HOME and MAVEN_OPTS, or prints what to install and fails.
#
# Where it looks, in order:
#   1. $JAVA_HOME, if it is a JDK 25+;
#   2. the JDK of the first javac on PATH, if it is 25+;
#   3. the newest JDK 25+ among the directories in $POSIX4J_JVM_DIR (default /usr/lib/jvm), where
#      Debian, Ubuntu and Fedora packages install them. Tests set POSIX4J_JVM_DIR to an empty or
#      missing directory to see the failure.
#
# A JDK, not a JRE: the launcher builds with Maven, which needs javac.

# Sets REPLY to the Java version string (25.0.3, 1.8.0_412) of the JDK at $1, or fails. The
# release file answers without starting a JVM, read by bash itself with no command run, as the
# launcher checks its remembered JDK before every start; old or unusual JDKs without one are asked.
posix4j_read_jdk_version() {
    local home=$1 line
    REPLY=
    [[ -x $home/bin/java && -x $home/bin/javac ]] || return 1
    if [[ -r $home/release ]]; then
        while IFS= read -r line; do
            if [[ $line =~ ^JAVA_VERSION=\"([^\"]*)\" ]]; then
                REPLY=${BASH_REMATCH[1]}
                break
            fi
        done <"$home/release"
    fi
    if [[ -z $REPLY ]]; then
        REPLY=$("$home/bin/java" -XshowSettings:properties -version 2>&1 |
            sed -n 's/^ *java\.specification\.version = //p')
    fi
    [[ -n $REPLY ]]
}

# Prints the Java version string of the JDK at $1, or fails.
posix4j_jdk_version() {
    posix4j_read_jdk_version "$1" || return 1
    printf '%s\n' "$REPLY"
}

# Whether the JDK at $1 is 25 or newer, by its feature version: 25 for 25.0.3, 8 for 1.8.0_412.
posix4j_is_jdk25() {
    posix4j_read_jdk_version "$1" || return 1
    local v=$REPLY
    [[ $v == 1.* ]] && v=${v#1.}
    v=${v%%[!0-9]*}
    (( ${v:-0} >= 25 ))
}

# Sets REPLY to the first javac on PATH, as `command -v javac` finds it, or fails; bash alone, no
# command substitution (a fork), since the launcher asks before every start.
posix4j_javac_on_path() {
    local dirs dir
    REPLY=
    IFS=: read -ra dirs <<<"$PATH"
    for dir in "${dirs[@]}"; do
        if [[ -f ${dir:-.}/javac && -x ${dir:-.}/javac ]]; then
            REPLY=${dir:-.}/javac
            return 0
        fi
    done
    return 1
}

# Sets and exports JAVA_HOME to a JDK 25+, and MAVEN_OPTS with the flag that keeps Maven's own
# sun.misc.Unsafe use quiet on JDK 25. Returns non-zero, after saying what to install, if there is
# no such JDK.
posix4j_find_jdk() {
    local found= candidate javac= path_jdk= best_version= version dir=${POSIX4J_JVM_DIR:-/usr/lib/jvm}
    if [[ -n ${JAVA_HOME:-} ]] && posix4j_is_jdk25 "$JAVA_HOME"; then
        found=$JAVA_HOME
    fi
    if [[ -z $found ]] && posix4j_javac_on_path; then
        javac=$REPLY
        path_jdk=$(dirname -- "$(dirname -- "$(readlink -f -- "$javac")")")
        if posix4j_is_jdk25 "$path_jdk"; then
            found=$path_jdk
        fi
    fi
    if [[ -z $found ]]; then
        for candidate in "$dir"/*; do
            [[ -d $candidate ]] && posix4j_is_jdk25 "$candidate" || continue
            version=$(posix4j_jdk_version "$candidate")
            # sort -V orders 25.0.10 after 25.0.9, as string comparison would not.
            if [[ -z $best_version ]] ||
                [[ $(printf '%s\n%s\n' "$best_version" "$version" | sort -V | tail -n 1) != "$best_version" ]]; then
                found=$candidate
                best_version=$version
            fi
        done
    fi
    if [[ -z $found ]]; then
        {
            echo "posix4j needs a JDK 25 or newer, and found none:"
            if [[ -n ${JAVA_HOME:-} ]]; then
                echo "  JAVA_HOME=$JAVA_HOME is $(posix4j_jdk_version "$JAVA_HOME" || echo "not a JDK")"
            else
                echo "  JAVA_HOME is not set"
            fi
            if [[ -n $javac ]]; then
                echo "  javac on PATH: $javac, in $path_jdk, is $(posix4j_jdk_version "$path_jdk" || echo "not a JDK")"
            else
                echo "  no javac on PATH"
            fi
            echo "  no JDK 25+ in $dir"
            echo "Install one, for example on Debian/Ubuntu: apt-get install temurin-25-jdk (from the"
            echo "Adoptium apt repository), or unpack a JDK 25 and set JAVA_HOME=/path/to/jdk."
        } >&2
        return 1
    fi
    export JAVA_HOME=$found
    posix4j_maven_opts
}

# Adds to MAVEN_OPTS, once, the flag that keeps Maven's own sun.misc.Unsafe use quiet on JDK 25.
posix4j_maven_opts() {
    case " ${MAVEN_OPTS:-} " in
        *" --sun-misc-unsafe-memory-access=allow "*) ;;
        *) export MAVEN_OPTS="${MAVEN_OPTS:+$MAVEN_OPTS }--sun-misc-unsafe-memory-access=allow" ;;
    esac
}
