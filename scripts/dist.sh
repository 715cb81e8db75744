#!/usr/bin/env bash
# Makes dist/posix4j-VERSION-linux-ARCH.tar.gz: the posix4j command with a Java runtime of its own,
# for machines without a JDK. VERSION is the root pom's, ARCH is `uname -m` (x86_64, aarch64).
#
# The archive holds one directory, posix4j-VERSION-linux-ARCH/, with:
#   bin/posix4j         the launcher (bash): runs the command with runtime/bin/java, whatever
#                       PATH and JAVA_HOME say, from any directory and through symlinks;
#   runtime/            a Java runtime made by jlink from the JDK 25 that scripts/jdk.sh finds,
#                       with the CLI's modules (posix4j-cli, posix4j, picocli: the jars of
#                       cli/target/) linked in, and only the JDK modules they require;
#   lib/posix4j.aot     an AOT cache (JEP 483/514) trained by that runtime (org.posix4j.cli.Training);
#   lib/posix4j-broker.aot  the cache of `sandbox --enforce broker` (org.posix4j.cli.Training broker,
#                       with both compilers: see ./posix4j);
#   README.txt          what this is and how to run it.
#
# The CLI's modules are linked into the runtime rather than put on a module path, as ./posix4j
# does, because the JVM uses an AOT cache only with the module path it was made with, string for
# string: a cache made with -p /build/dir/lib is refused once the directory is unpacked anywhere
# else. Modules in the runtime image move with it.
#
# Jars: taken from an existing build (cli/target/posix4j-cli.jar and cli/target/lib/), or built
# with Maven when they are missing or older than a pom or a main source of core/ or cli/, the rule
# ./posix4j follows. With --no-build they are taken as they are: `mvn -Pdist package` runs this
# script that way, right after packaging them (the jar plugin leaves a jar alone when only a pom
# changed, which would look stale here).
#
# Prints the archive's path and size on stdout; stderr stays empty unless a tool warns or fails.
#
# Usage: scripts/dist.sh [--no-build]
set -euo pipefail

build=yes
case ${1:-} in
    '') ;;
    --no-build) build=no ;;
    *) echo "usage: scripts/dist.sh [--no-build]" >&2; exit 2 ;;
esac

repo=$(dirname -- "$(dirname -- "$(readlink -f -- "${BASH_SOURCE[0]}")")")
# shellcheck source=scripts/jdk.sh
. "$repo/scripts/jdk.sh"
posix4j_find_jdk || exit 1

cli_jar=$repo/cli/target/posix4j-cli.jar
lib=$repo/cli/target/lib
# The project version: the first <version> of the root pom, which has no <parent>.
version=$(sed -n 's:^ *<version>\([^<]*\)</version>.*:\1:p' "$repo/pom.xml" | head -n 1)
arch=$(uname -m)
name=posix4j-$version-linux-$arch
work=$repo/target/dist
stage=$work/$name
archive=$repo/dist/$name.tar.gz
# Options shared by the training run and the launcher: the JVM uses an AOT cache only with the
# options it was made with (which compilers run is not among those it checks). -Xmn16m, the serial
# collector and no perf data as in ./posix4j (see there), which also asks for transparent huge
# pages where the kernel offers them. As there, the command runs with both compilers and the
# training run stops at C1.
jvm_options='--enable-native-access=org.posix4j -Xmn16m -XX:+UseSerialGC -XX:-UsePerfData'
main=org.posix4j.cli/org.posix4j.cli.Main

[[ -n $version ]] || { echo "dist: no <version> in $repo/pom.xml" >&2; exit 1; }

stale() {
    [[ -f $cli_jar && -d $lib ]] || return 0
    [[ -n $(find "$repo/pom.xml" "$repo/core/pom.xml" "$repo/cli/pom.xml" "$repo/core/src/main" \
        "$repo/cli/src/main" -newer "$cli_jar" -print -quit 2>/dev/null) ]]
}

if [[ $build == no ]]; then
    [[ -f $cli_jar && -d $lib ]] || { echo "dist: no $cli_jar or $lib to take" >&2; exit 1; }
elif stale; then
    mkdir -p "$work"
    # An older version of a dependency left in lib/ would be a second module of the same name.
    rm -rf "$lib"
    if ! (cd "$repo" && mvn -q -B -Dstyle.color=never -Dmaven.test.skip=true -pl cli -am package) \
        >"$work/build.log" 2>&1; then
        cat "$work/build.log" >&2
        echo "dist: the build failed (log: $work/build.log)" >&2
        exit 1
    fi
fi

rm -rf "$stage"
mkdir -p "$stage/bin" "$stage/lib" "$repo/dist"

# jlink adds every module the CLI's modules require, transitively, and nothing else (no service
# binding). jdeps is no help here: it sees java.base and java.logging in the classes, but not
# jdk.unsupported, whose sun.misc.Signal the library reaches by reflection.
# zip-6 is jlink's default compression, spelled out; the numeric levels are deprecated.
"$JAVA_HOME/bin/jlink" --module-path "$cli_jar:$lib" --add-modules org.posix4j.cli \
    --strip-debug --no-header-files --no-man-pages --compress zip-6 --output "$stage/runtime"

# The one-step AOT workflow starts a second JVM to write the cache, and that JVM reports its
# options on stderr ("Picked up JAVA_TOOL_OPTIONS"): the log is shown only if training fails.
# train CACHE JAVA_ARGUMENTS...
train() {
    local cache=$1
    shift
    # shellcheck disable=SC2086 # jvm_options is a list of words
    if ! "$stage/runtime/bin/java" $jvm_options -XX:AOTCacheOutput="$stage/lib/$cache" "$@" \
        >"$work/$cache.log" 2>&1 || [[ ! -s $stage/lib/$cache ]]; then
        cat "$work/$cache.log" >&2
        echo "dist: training the AOT cache $cache failed (log: $work/$cache.log)" >&2
        exit 1
    fi
    rm -f "$stage/lib/$cache.config"
}
train posix4j.aot -XX:TieredStopAtLevel=1 -m org.posix4j.cli/org.posix4j.cli.Training
train posix4j-broker.aot -m org.posix4j.cli/org.posix4j.cli.Training broker

cat >"$stage/bin/posix4j" <<EOF
#!/usr/bin/env bash
# Runs the posix4j command of this distribution with the Java runtime beside it: no Java on
# PATH is needed, JAVA_HOME is ignored. Works from any directory and through symlinks. The exit
# code is the command's. Made by scripts/dist.sh of posix4j for $name.
set -euo pipefail

# The directory above bin/: parameter expansions rather than dirname, and readlink only when
# this script is a symlink, since every command run here is a fork and an exec before each start.
self=\${BASH_SOURCE[0]}
if [[ -L \$self ]]; then
    self=\$(readlink -f -- "\$self")
elif [[ \$self != /* ]]; then
    self=\$PWD/\${self#./}
fi
home=\${self%/*}/..
java=("\$home/runtime/bin/java" $jvm_options)
# Transparent huge pages where the kernel offers them: fewer page faults, a shorter start. With
# 'never' the JVM would warn, so it is not asked then.
{ read -r thp </sys/kernel/mm/transparent_hugepage/enabled; } 2>/dev/null || thp=
if [[ \$thp == *'[madvise]'* || \$thp == *'[always]'* ]]; then
    java+=(-XX:+UseTransparentHugePages)
fi
# The AOT caches were made by this runtime when the archive was built; \`sandbox --enforce broker\`
# (told by the arguments before a program's "--") has its own. A cache that does not fit (a
# runtime changed in place, a JVM that cannot map it) is ignored by the JVM; the logging options
# keep it from saying so.
aot=\$home/lib/posix4j.aot
previous=
for argument; do
    if [[ \$argument == -- ]]; then
        break
    elif [[ \$argument == --enforce=broker || \$previous == --enforce && \$argument == broker ]]; then
        aot=\$home/lib/posix4j-broker.aot
        break
    fi
    previous=\$argument
done
if [[ -s \$aot ]]; then
    java+=(-XX:AOTCache="\$aot" -Xlog:aot*=off,cds*=off)
fi
exec "\${java[@]}" -m $main "\$@"
EOF
chmod 755 "$stage/bin/posix4j"

java_version=$(sed -n 's/^JAVA_VERSION="\([^"]*\)".*/\1/p' "$stage/runtime/release")
cat >"$stage/README.txt" <<EOF
posix4j $version for Linux $arch

The posix4j command (sandbox, run, info, logger, daemon, ipc) with a Java $java_version runtime of
its own: no JDK or Java on PATH is needed, and JAVA_HOME is ignored. Unpack anywhere and run

    bin/posix4j --help
    bin/posix4j sandbox --allow-read /etc/hostname -- cat /etc/hostname /etc/shadow

or put a symlink to bin/posix4j in a directory on PATH. Linux with glibc 2.33 or newer.

bin/posix4j       the launcher
runtime/          the Java runtime (jlink), with the posix4j modules linked in
lib/posix4j.aot   an AOT cache made by that runtime, which shortens every start
lib/posix4j-broker.aot  the same for sandbox --enforce broker, whose serving code it holds
                  compiled

Source and documentation: the posix4j repository, whose README.md describes every command and
option.
EOF

# Owner and order fixed, so that the archive does not depend on who built it or on the directory
# order of the file system.
tar -C "$work" --owner=0 --group=0 --numeric-owner --sort=name -czf "$archive.tmp" "$name"
mv "$archive.tmp" "$archive"
echo "$archive ($(du -k "$archive" | cut -f1) KiB)"
