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

# Prints the Java feature version (25 for 25.0.3, 8 for 1.8.0_412) of the JDK at $1, or fails.
# The release file answers without starting a JVM; old or unusual JDKs without one are asked.
posix4j_jdk_version() {
    local home=$1 version= line
    [[ -x $home/bin/java && -x $home/bin/javac ]] || return 1
    if [[ -r $home/release ]]; then
        # Read by bash itself: the launcher checks its remembered JDK this way before every start.
        while IFS= read -r line; do
            if [[ $line =~ ^JAVA_VERSION=\"([^\"]*)\" ]]; then
                version=${BASH_REMATCH[1]}
                break
            fi
        done <"$home/release"
    fi
    if [[ -z $version ]]; then
        version=$("$home/bin/java" -XshowSettings:properties -version 2>&1 |
            sed -n 's/^ *java\.specification\.version = //p')
    fi
    [[ -n $version ]] || return 1
    printf '%s\n' "$version"
}

# Prints the feature version of a version string: 25 for 25.0.3, 8 for 1.8.0_412.
posix4j_feature_version() {
    local v=$1
    [[ $v == 1.* ]] && v=${v#1.}
    v=${v%%[!0-9]*}
    printf '%s\n' "${v:-0}"
}

# Whether the JDK at $1 is 25 or newer.
posix4j_is_jdk25() {
    local version
    version=$(posix4j_jdk_version "$1") || return 1
    (( $(posix4j_feature_version "$version") >= 25 ))
}

# Sets and exports JAVA_HOME to a JDK 25+, and MAVEN_OPTS with the flag that keeps Maven's own
# sun.misc.Unsafe use quiet on JDK 25. Returns non-zero, after saying what to install, if there is
# no such JDK.
posix4j_find_jdk() {
    local found= candidate javac= path_jdk= best_version= version dir=${POSIX4J_JVM_DIR:-/usr/lib/jvm}
    if [[ -n ${JAVA_HOME:-} ]] && posix4j_is_jdk25 "$JAVA_HOME"; then
        found=$JAVA_HOME
    fi
    if [[ -z $found ]] && javac=$(command -v javac); then
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
