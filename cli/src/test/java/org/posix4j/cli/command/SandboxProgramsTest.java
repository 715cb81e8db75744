package org.posix4j.cli.command;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.posix4j.cli.command.RunCommandTest.concat;
import static org.posix4j.cli.command.RunCommandTest.concurrently;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.posix4j.cli.Main;
import org.posix4j.cli.testing.ChildProcess;
import org.posix4j.cli.testing.ChildProcess.Result;
import org.posix4j.cli.testing.Gcc;
import org.posix4j.cli.testing.Requires;
import org.posix4j.cli.testing.RunThenWait;
import org.posix4j.landlock.Landlock;
import org.posix4j.testing.ScaledTimeout;
import org.posix4j.testing.TimeFactor;

/// Real programs (cat, ls, realpath, readlink, python3, git, gcc, and C programs of our own:
/// static, raw syscalls, threads, fork + exec) run inside `posix4j sandbox` and outside it on the same files: the
/// same stdout, stderr and exit status where the policy allows what they do, and the kernel's
/// own EACCES where it does not. For a denial the outside run is the same command as user
/// nobody on a directory of mode 0700, so that the kernel's permission check gives the reference
/// message ("Permission denied", errno 13) that the sandbox must reproduce.
///
/// Every sandboxed run writes an audit file; when a comparison fails, the message lists the
/// audit lines of the calls the sandbox denied.
///
/// The program cases run in both enforcement modes (`--enforce broker` and `kernel`) against the
/// same outside reference, so each mode gives the same output as the other. The cat case runs
/// under `--enforce auto` too, without an audit, which would have it pick the broker; with this
/// command's defaults auto picks the kernel, so the other cases would only repeat their kernel
/// run.
@ScaledTimeout(120)
class SandboxProgramsTest {
    /// Where the C programs and scripts are on the test class path.
    static final String PROGRAMS = "sandbox/programs/";
    /// The content of every file the sandboxed programs must not read.
    static final String SECRET = "secret content\n";

    private static final AtomicInteger AUDITS = new AtomicInteger();
    private static final Pattern ALLOWED = Pattern.compile("\"decision\"\\s*:\\s*\"allow\"");

    @BeforeAll
    static void root() throws Exception {
        Requires.that(ChildProcess.output("id", "-u").equals("0"),
                "needs root, to run the outside reference as user nobody (CI runs as root)");
        Requires.programs("sh", "cat", "ls", "setpriv", "ps", "kill");
    }

    /// `cat` of an allowed file prints it as outside; `cat` of a file outside every allowance
    /// fails as for a user the kernel refuses: exit 1, `cat: FILE: Permission denied`, and the
    /// content appears nowhere.
    @ParameterizedTest
    @ValueSource(strings = {"auto", "broker", "kernel"})
    void catReadsAllowedFilesAndIsRefusedTheOthers(String mode, @TempDir Path tmp) throws Exception {
        Layout l = Layout.create(tmp);
        Sandboxed allowed = inside(mode, tmp, List.of("--allow-read", l.allowed.toString()),
                List.of("cat", l.allowedFile.toString()), Map.of());
        assertSame(outside(List.of("cat", l.allowedFile.toString())), allowed);
        assertEquals("allowed content\n", allowed.result.stdout());

        Sandboxed denied = inside(mode, tmp, List.of("--allow-read", l.allowed.toString()),
                List.of("cat", l.secretFile.toString()), Map.of());
        Result nobody = asNobody(List.of("cat", l.secretFile.toString()));
        assertEquals(1, nobody.exitCode());
        assertEquals("cat: " + l.secretFile + ": Permission denied\n", nobody.stderr());
        assertSame(nobody, denied);
        assertFalse(denied.result.stdout().contains("secret") || denied.result.stderr().contains("secret content"),
                denied::describe);
    }

    /// `ls -aR` and `ls -laR` of a tree with subdirectories, dotfiles and symlinks (to a file
    /// inside, dangling, pointing outside the tree, and a loop back up) list the same as outside.
    /// The long listing also stats every entry and `..`, reads the links, and looks up owners in
    /// /etc/passwd and /etc/group.
    @ParameterizedTest
    @ValueSource(strings = {"broker", "kernel"})
    void lsListsATreeAsOutside(String mode, @TempDir Path tmp) throws Exception {
        Requires.programs("ls");
        // One level down, so that `..` is a directory the audit files do not change.
        Path tree = Files.createDirectories(tmp.resolve("data/tree"));
        Files.createDirectories(tree.resolve("sub/deep"));
        Files.createDirectories(tree.resolve(".hidden"));
        Files.writeString(tree.resolve("a.txt"), "a\n");
        Files.writeString(tree.resolve(".dotfile"), "dot\n");
        Files.writeString(tree.resolve("sub/deep/c"), "c\n");
        Files.createSymbolicLink(tree.resolve("link"), Path.of("a.txt"));
        Files.createSymbolicLink(tree.resolve("dangling"), Path.of("missing"));
        Files.createSymbolicLink(tree.resolve("out"), Path.of("/etc/hostname"));
        Files.createSymbolicLink(tree.resolve("sub/deep/up"), Path.of("../../sub"));

        List<String> options = List.of("--allow-read", tree.toString());
        List<String> shortListing = List.of("ls", "-aR", tree.toString());
        List<String> longListing = List.of("ls", "-laR", "--time-style=full-iso", tree.toString());
        List<Callable<Sandboxed>> runs = List.of(() -> inside(mode, tmp, options, shortListing, Map.of()),
                () -> inside(mode, tmp, options, longListing, Map.of()));
        try {
            List<Sandboxed> results = concurrently(runs);
            assertSame(outside(shortListing), results.get(0));
            assertTrue(results.get(0).result.stdout().contains(tree + "/sub/deep:\n.\n..\nc\nup\n"),
                    results.get(0)::describe);
            assertSame(outside(longListing), results.get(1));
        } finally {
            // JUnit warns of each link to a place outside the temporary directory it deletes.
            Files.delete(tree.resolve("out"));
        }
    }

    /// `realpath` and `readlink -f` of a file and of a symlink in an allowed tree, and `readlink`
    /// of the symlink and of the file print what they print outside. Canonicalising a path
    /// reads every component with readlink(2): of the allowed tree's parents too, which are
    /// directories, and of the file itself; for anything but a symlink the kernel's answer is
    /// EINVAL, which is how the callers know to go on.
    @ParameterizedTest
    @ValueSource(strings = {"broker", "kernel"})
    void realpathAndReadlinkResolveAsOutside(String mode, @TempDir Path tmp) throws Exception {
        Requires.programs("realpath", "readlink");
        Layout l = Layout.create(tmp);
        Path link = Files.createSymbolicLink(l.allowed.resolve("link"), l.allowedFile.getFileName());
        List<String> options = List.of("--allow-read", l.allowed.toString());
        List<List<String>> commands = List.of(
                List.of("realpath", l.allowedFile.toString(), link.toString(), l.allowed.toString()),
                List.of("readlink", "-f", link.toString()),
                List.of("readlink", link.toString()),
                List.of("readlink", "-v", l.allowedFile.toString()));
        List<Callable<Sandboxed>> runs = new ArrayList<>();
        for (List<String> c : commands) {
            runs.add(() -> inside(mode, tmp, options, c, Map.of()));
        }
        List<Sandboxed> results = concurrently(runs);
        List<Result> expected = new ArrayList<>();
        for (List<String> c : commands) {
            expected.add(outside(c));
        }
        assertEquals(l.allowedFile + "\n" + l.allowedFile + "\n" + l.allowed + "\n", expected.get(0).stdout());
        assertEquals("readlink: " + l.allowedFile + ": Invalid argument\n", expected.get(3).stderr());
        for (int i = 0; i < commands.size(); i++) {
            assertSame(expected.get(i), results.get(i));
        }
    }

    /// A python3 script reads and writes in the allowed write directory (a JSON round trip,
    /// listdir, rename, mkdir, rmdir, unlink, tempfile with TMPDIR there) and prints the same as
    /// outside; another gets PermissionError with errno 13 on a denied file, as nobody does.
    ///
    /// `-I -S`: no user or site directories, so that what this machine installed in
    /// /usr/local/lib/python3 (outside every allowance) plays no part on either side.
    ///
    /// The denied script is left out in kernel mode: there, as documented, its stat of the
    /// denied file succeeds (the sandboxed program is root, the reference nobody).
    @ParameterizedTest
    @ValueSource(strings = {"broker", "kernel"})
    void pythonScriptsWorkInTheWriteDirectoryAndGetErrno13Elsewhere(String mode, @TempDir Path tmp) throws Exception {
        Requires.that(Files.isExecutable(Path.of("/usr/bin/python3")), "needs /usr/bin/python3");
        Layout l = Layout.create(tmp);
        Path scripts = Files.createDirectory(tmp.resolve("scripts"));
        Path fileops = copyResource("fileops.py", scripts);
        Path denied = copyResource("denied.py", scripts);
        Path work = Files.createDirectory(tmp.resolve("work"));
        Path workOutside = Files.createDirectory(tmp.resolve("work-outside"));

        List<String> python = List.of("/usr/bin/python3", "-I", "-S");
        Result expected = outside(concat(python, List.of(fileops.toString(), workOutside.toString())),
                Map.of("TMPDIR", workOutside.toString()));
        assertEquals(0, expected.exitCode(), expected::toString);
        Sandboxed fileopsInside = inside(mode, tmp,
                List.of("--allow-read", scripts.toString(), "--allow-write", work.toString()),
                concat(python, List.of(fileops.toString(), work.toString())), Map.of("TMPDIR", work.toString()));
        assertSame(expected, fileopsInside);
        assertEquals(List.of(), directoryListing(work), "the script removed what it made");
        if (mode.equals("kernel")) {
            return;
        }

        List<String> probe = concat(python, List.of(denied.toString(), l.secretFile.toString()));
        Sandboxed deniedInside = inside(mode, tmp, List.of("--allow-read", scripts.toString()), probe, Map.of());
        Result nobody = asNobody(probe);
        String errno13 = "PermissionError 13 Permission denied\n";
        assertEquals("open " + l.secretFile + " -> " + errno13 + "stat " + l.secretFile + " -> " + errno13
                + "listdir " + l.secret + " -> " + errno13, nobody.stdout(), nobody::toString);
        assertSame(nobody, deniedInside);
    }

    /// git init, add, commit, status and log in a repository in the write directory, with HOME
    /// there too and no system configuration or attributes, print the same as outside, commit
    /// hashes included (the dates are fixed), and leave the same objects.
    @ParameterizedTest
    @ValueSource(strings = {"broker", "kernel"})
    void gitCommitsAsOutside(String mode, @TempDir Path tmp) throws Exception {
        Requires.programs("git");
        // The script enters the repository itself and no parent can hold one: whatever the
        // sandbox does with the directory, git never acts on a repository outside the test's.
        String script = String.join("\n",
                "cd \"$1\"",
                "g() { git -c user.name=Sandbox -c user.email=sandbox@example.org -c init.defaultBranch=main \"$@\"; }",
                "g init",
                "g add . && g commit -m first",
                "echo changed >>a.txt && echo new >c.txt",
                "g status --short",
                "g commit -a -m second && g log --oneline && g status && g rev-parse HEAD^{tree}");
        Map<String, Result> results = new HashMap<>();
        for (String side : List.of("outside", "inside")) {
            Path dir = Files.createDirectory(tmp.resolve(side));
            Path repo = dir.resolve("repo");
            Files.createDirectories(repo.resolve("d"));
            Files.createDirectory(dir.resolve("home"));
            Files.writeString(repo.resolve("a.txt"), "one\n");
            Files.writeString(repo.resolve("d/b.txt"), "two\n");
            Map<String, String> env = Map.of("HOME", dir.resolve("home").toString(), "GIT_CONFIG_NOSYSTEM", "1",
                    "GIT_ATTR_NOSYSTEM", "1", "GIT_AUTHOR_DATE", "2026-01-02T03:04:05Z",
                    "GIT_COMMITTER_DATE", "2026-01-02T03:04:05Z", "GIT_CEILING_DIRECTORIES", tmp.toString());
            List<String> command = List.of("sh", "-ec", script, "sh", repo.toString());
            Result r;
            if (side.equals("outside")) {
                r = outside(command, env);
            } else {
                // /usr/share/git-core holds the templates git init copies into .git.
                Sandboxed s = inside(mode, tmp, List.of("--allow-write", dir.toString(),
                        "--allow-read", "/usr/share/git-core"), command, env);
                assertEquals(0, s.result.exitCode(), s::describe);
                r = s.result;
            }
            String where = repo.toString();
            results.put(side, new Result(r.exitCode(), r.stdout().replace(where, "REPO"),
                    r.stderr().replace(where, "REPO")));
        }
        Result expected = results.get("outside");
        assertEquals(0, expected.exitCode(), expected::toString);
        assertTrue(expected.stdout().startsWith("Initialized empty Git repository in REPO/.git/\n"), expected::stdout);
        assertEquals(expected, results.get("inside"));
        assertEquals(directoryListing(tmp.resolve("outside/repo/.git/objects")),
                directoryListing(tmp.resolve("inside/repo/.git/objects")));
    }

    /// tar archives a tree (subdirectories, a symlink, an empty file) into the write directory
    /// and lists the archive: the same listing as outside, and a byte-identical archive.
    @ParameterizedTest
    @ValueSource(strings = {"broker", "kernel"})
    void tarArchivesATreeAsOutside(String mode, @TempDir Path tmp) throws Exception {
        Requires.programs("tar");
        Path data = Files.createDirectory(tmp.resolve("data"));
        Path tree = Files.createDirectories(data.resolve("tree/sub/deep"));
        Files.writeString(data.resolve("tree/a.txt"), "a\n");
        Files.writeString(tree.resolve("c.txt"), "c\n");
        Files.createFile(data.resolve("tree/sub/empty"));
        Files.createSymbolicLink(data.resolve("tree/link"), Path.of("a.txt"));
        String script = "tar --sort=name -cf \"$1/a.tar\" -C \"$2\" tree && tar --full-time -tvf \"$1/a.tar\"";
        Path outOutside = Files.createDirectory(tmp.resolve("out-outside"));
        Path out = Files.createDirectory(tmp.resolve("out"));
        Result expected = outside(List.of("sh", "-c", script, "sh", outOutside.toString(), data.toString()));
        assertEquals(0, expected.exitCode(), expected::toString);
        assertTrue(expected.stdout().contains("tree/sub/deep/c.txt"), expected::toString);
        Sandboxed archived = inside(mode, tmp, List.of("--allow-read", data.toString(), "--allow-write", out.toString()),
                List.of("sh", "-c", script, "sh", out.toString(), data.toString()), Map.of());
        assertSame(expected, archived);
        assertArrayEquals(Files.readAllBytes(outOutside.resolve("a.tar")), Files.readAllBytes(out.resolve("a.tar")));
    }

    /// tar extracts files into the write directory (setting their times by futimens), `cp
    /// --preserve=timestamps` copies one keeping its times (futimens), and `touch -d` dates a
    /// directory and, with `-h`, a symbolic link (utimensat on their paths, the link's with
    /// AT_SYMLINK_NOFOLLOW): the same listing of types, modes and modification times as outside,
    /// and no complaint from tar. (The archive holds no directory: tar sets a directory's mode
    /// through /proc/self/fd/N of an O_PATH descriptor, which the sandbox refuses.)
    @ParameterizedTest
    @ValueSource(strings = {"broker", "kernel"})
    void tarExtractsAndCpPreservesTimesAsOutside(String mode, @TempDir Path tmp) throws Exception {
        Requires.programs("tar", "cp", "touch", "find", "sort");
        Path data = Files.createDirectory(tmp.resolve("data"));
        Files.writeString(data.resolve("a.txt"), "a\n");
        Files.writeString(data.resolve("c.txt"), "c\n");
        Result archived = outside(List.of("tar", "--sort=name", "--mtime=@978307200", "-cf",
                data.resolve("a.tar").toString(), "-C", data.toString(), "a.txt", "c.txt"));
        assertEquals(0, archived.exitCode(), archived::toString);
        // Ownership is not kept (--no-same-owner, cp's timestamps only): root's tar and cp -p
        // would chown each file to itself, and chown is refused.
        String script = "TZ=UTC; export TZ; tar --no-same-owner -xf \"$2\" -C \"$1\""
                + " && cp --preserve=timestamps \"$1/a.txt\" \"$1/copy.txt\""
                + " && touch -d @1000000000 \"$1/dir\" && touch -h -d @1000000000 \"$1/link\""
                + " && cd \"$1\" && find . -mindepth 1 -printf '%p %y %M %TY-%Tm-%Td+%TT\\n' | sort";
        String archive = data.resolve("a.tar").toString();
        Path outOutside = outWithDirAndLink(tmp.resolve("out-outside"));
        Path out = outWithDirAndLink(tmp.resolve("out"));
        Result expected = outside(List.of("sh", "-c", script, "sh", outOutside.toString(), archive));
        assertEquals(0, expected.exitCode(), expected::toString);
        for (String kept : List.of("./copy.txt f .* 2001-01-01\\+00:00:00\\.0+", "./c.txt f .* 2001-01-01\\+00:00:00\\.0+",
                "./dir d .* 2001-09-09\\+01:46:40\\.0+", "./link l .* 2001-09-09\\+01:46:40\\.0+")) {
            assertTrue(expected.stdout().lines().anyMatch(line -> line.matches(kept)), expected::toString);
        }
        Sandboxed extracted = inside(mode, tmp, List.of("--allow-read", data.toString(), "--allow-write", out.toString()),
                List.of("sh", "-c", script, "sh", out.toString(), archive), Map.of());
        assertSame(expected, extracted);
    }

    /// tar extracts an archive holding a symbolic link, a hard link and a FIFO, and python3 makes
    /// a virtual environment (its interpreter a symbolic link) whose interpreter then runs: the
    /// same tree (types, link counts, link targets) and output as outside, in both modes. Broker
    /// mode refused symlink, link and mknod before 2026-12-06, and both failed there.
    @ParameterizedTest
    @ValueSource(strings = {"broker", "kernel"})
    void tarAndVenvMakeLinksAndFifosAsOutside(String mode, @TempDir Path tmp) throws Exception {
        Requires.programs("tar", "mkfifo", "find", "sort", "python3");
        Path data = Files.createDirectory(tmp.resolve("data"));
        Path src = Files.createDirectory(data.resolve("src"));
        Files.writeString(src.resolve("a.txt"), "a\n");
        Files.createSymbolicLink(src.resolve("sym"), Path.of("a.txt"));
        Files.createLink(src.resolve("hard"), src.resolve("a.txt"));
        assertEquals(0, outside(List.of("mkfifo", src.resolve("fifo").toString())).exitCode());
        Result archived = outside(List.of("tar", "--sort=name", "-cf", data.resolve("links.tar").toString(), "-C",
                data.toString(), "src"));
        assertEquals(0, archived.exitCode(), archived::toString);
        String script = "tar --no-same-owner -xf \"$2\" -C \"$1\" && python3 -m venv --without-pip \"$1/venv\""
                + " && \"$1/venv/bin/python\" -c 'import sys; print(\"venv\", sys.prefix != sys.base_prefix)'"
                + " && cd \"$1\" && find src venv/bin -printf '%p %y %n %l\\n' | sort";
        String archive = data.resolve("links.tar").toString();
        Path outOutside = Files.createDirectory(tmp.resolve("out-outside"));
        Path out = Files.createDirectory(tmp.resolve("out"));
        Result expected = outside(List.of("sh", "-c", script, "sh", outOutside.toString(), archive));
        assertEquals(0, expected.exitCode(), expected::toString);
        for (String made : List.of("venv True", "src/sym l 1 a.txt", "src/hard f 2 ", "src/fifo p 1 ")) {
            assertTrue(expected.stdout().contains(made + "\n"), () -> made + ": " + expected);
        }
        try {
            List<String> options = List.of("--allow-read", data.toString(), "--allow-write", out.toString());
            Sandboxed made = inside(mode, tmp, options, List.of("sh", "-c", script, "sh", out.toString(), archive),
                    Map.of());
            assertSame(expected, made);
        } finally {
            // The venvs' interpreters link to /usr/bin: JUnit warns of each such link it deletes.
            for (Path venv : List.of(outOutside.resolve("venv"), out.resolve("venv"))) {
                deleteTree(venv);
            }
        }
    }

    /// Deletes `dir` and everything below it, links as links, if it exists.
    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    /// A new directory `out` holding a directory `dir` and a symbolic link `link` to a.txt.
    private static Path outWithDirAndLink(Path out) throws IOException {
        Files.createDirectories(out.resolve("dir"));
        Files.createSymbolicLink(out.resolve("link"), Path.of("a.txt"));
        return out;
    }

    /// gcc compiles a C program into the write directory and the binary runs, both inside the
    /// sandbox: the same output as outside and a byte-identical binary.
    ///
    /// The allowances are the fewest that work, found from the would-deny lines of a --dry-run
    /// audit. Beyond the defaults (/usr/lib holds cc1, collect2, crt*.o and libgcc; /usr/bin as
    /// and ld): /usr/include for the headers; /usr/local/include, because cc1 stats every
    /// directory of its include path and takes any error but ENOENT and EPERM as fatal (the
    /// sandbox answers EACCES there), and --reveal-missing for the include directories it probes
    /// that do not exist; the source directory; the output directory writable, with
    /// TMPDIR there for gcc's temporary files. The other would-deny lines are probes gcc does
    /// without: readlink of /usr and /tmp, libraries looked for in the current directory.
    @ParameterizedTest
    @ValueSource(strings = {"broker", "kernel"})
    void gccCompilesAndTheBinaryRuns(String mode, @TempDir Path tmp) throws Exception {
        Requires.programs("gcc");
        Path src = Files.createDirectory(tmp.resolve("src"));
        Path source = copyResource("hello.c", src);
        String script = "gcc -O2 -Wall -Werror -o \"$1/hello\" \"$2\" && \"$1/hello\" zeta alpha mu";
        Path outOutside = Files.createDirectory(tmp.resolve("out-outside"));
        Path out = Files.createDirectory(tmp.resolve("out"));
        Result expected = outside(List.of("sh", "-c", script, "sh", outOutside.toString(), source.toString()),
                Map.of("TMPDIR", outOutside.toString()));
        assertEquals("alpha 5\nmu 2\nzeta 4\n3 words, 11 letters\n", expected.stdout(), expected::toString);

        List<String> allowances = new ArrayList<>(List.of("--reveal-missing", "--allow-read", "/usr/include",
                "--allow-read", src.toString(), "--allow-write", out.toString()));
        // Where it does not exist, cc1 gets ENOENT and skips it; an allowance must exist.
        if (Files.isDirectory(Path.of("/usr/local/include"))) {
            allowances.addAll(List.of("--allow-read", "/usr/local/include"));
        }
        Sandboxed compiled = inside(mode, tmp, allowances,
                List.of("sh", "-c", script, "sh", out.toString(), source.toString()), Map.of("TMPDIR", out.toString()));
        assertSame(expected, compiled);
        assertArrayEquals(Files.readAllBytes(outOutside.resolve("hello")), Files.readAllBytes(out.resolve("hello")));
        assertEquals(List.of("hello"), directoryListing(out), "gcc removed its temporary files");
    }

    /// Our C program opens an allowed and a denied file through open(3), raw syscall(SYS_openat)
    /// and syscall(SYS_open), and from 8 threads at once; and another forks and execs
    /// `/bin/sh -c 'cat FILE'`. Dynamically and statically linked (a static binary has no loader
    /// for an LD_PRELOAD broker to hook), each prints inside what it prints as nobody outside:
    /// the allowed file's line, EACCES for the other.
    @ParameterizedTest
    @ValueSource(strings = {"broker", "kernel"})
    void staticBinariesRawSyscallsThreadsAndChildrenAreAllSupervised(String mode, @TempDir Path tmp) throws Exception {
        Layout l = Layout.create(tmp);
        Path bin = Files.createDirectory(tmp.resolve("bin"));
        Files.setPosixFilePermissions(bin, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path files = Gcc.compile(PROGRAMS + "files.c", bin);
        Path filesStatic = Gcc.compile(PROGRAMS + "files.c", bin, "-static");
        Path forkexec = Gcc.compile(PROGRAMS + "forkexec.c", bin);
        Path forkexecStatic = Gcc.compile(PROGRAMS + "forkexec.c", bin, "-static");

        String allOpens = "for m in libc openat open threads; do echo \"== $m\"; \"$0\" \"$m\" \"$1\" \"$2\"; done";
        String bothCats = "\"$0\" \"$1\"; \"$0\" \"$2\"";
        List<List<String>> commands = new ArrayList<>();
        String a = l.allowedFile.toString();
        String s = l.secretFile.toString();
        for (Path p : List.of(files, filesStatic)) {
            commands.add(List.of("sh", "-c", allOpens, p.toString(), a, s));
        }
        for (Path p : List.of(forkexec, forkexecStatic)) {
            commands.add(List.of("sh", "-c", bothCats, p.toString(), a, s));
        }
        List<Callable<Sandboxed>> runs = new ArrayList<>();
        for (List<String> c : commands) {
            runs.add(() -> inside(mode, tmp, List.of("--allow-read", l.allowed.toString(), "--allow-read", bin.toString()),
                    c, Map.of()));
        }
        List<Sandboxed> results = concurrently(runs);

        Result dynamicOpens = asNobody(commands.get(0));
        assertEquals("== libc\n" + a + ": allowed content\n" + s + ": EACCES\n"
                + "== openat\n" + a + ": allowed content\n" + s + ": EACCES\n"
                + "== open\n" + a + ": allowed content\n" + s + ": EACCES\n"
                + "== threads\n" + a + ": 800 opened\n" + s + ": 0 opened, 800 failed with EACCES\n",
                dynamicOpens.stdout(), dynamicOpens::toString);
        assertSame(dynamicOpens, results.get(0));
        assertSame(asNobody(commands.get(1)), results.get(1));
        Result cats = asNobody(commands.get(2));
        assertEquals("allowed content\nchild exited with 0\nchild exited with 1\n", cats.stdout(), cats::toString);
        assertEquals("cat: " + s + ": Permission denied\n", cats.stderr());
        assertSame(cats, results.get(2));
        assertSame(asNobody(commands.get(3)), results.get(3));
    }

    /// The program's exit status is posix4j's, as `sh` reports its child's in `$?`: 3 for `exit
    /// 3`, 143 for death by SIGTERM; a missing program is 127 and a file that cannot be executed
    /// 126, each with `posix4j sandbox: PROGRAM: <strerror>` on stderr.
    @Test
    void exitStatusIsTheProgramsAsTheShellReportsIt(@TempDir Path tmp) throws Exception {
        Path notExecutable = Files.writeString(tmp.resolve("not-executable"), "#!/bin/sh\necho never\n");
        String missing = "posix4j-no-such-program";
        record Case(List<String> program, int status, String stderr) {}
        List<Case> cases = List.of(
                new Case(List.of("sh", "-c", "exit 3"), 3, ""),
                new Case(List.of("sh", "-c", "kill -TERM $$"), 128 + 15, ""),
                new Case(List.of(missing), 127, "posix4j sandbox: " + missing + ": No such file or directory\n"),
                new Case(List.of(notExecutable.toString()), 126,
                        "posix4j sandbox: " + notExecutable + ": Permission denied\n"));
        List<Callable<Result>> shells = new ArrayList<>();
        List<Callable<Sandboxed>> sandboxes = new ArrayList<>();
        for (Case c : cases) {
            shells.add(() -> outside(concat(List.of("sh", "-c", "\"$@\"; echo $?", "sh"), c.program)));
            sandboxes.add(() -> inside(tmp, List.of(), c.program));
        }
        List<Result> shell = concurrently(shells);
        List<Sandboxed> sandboxed = concurrently(sandboxes);
        for (int i = 0; i < cases.size(); i++) {
            Case c = cases.get(i);
            Result sh = shell.get(i);
            Sandboxed s = sandboxed.get(i);
            assertEquals(c.status + "\n", sh.stdout(), () -> c.program + ": " + sh);
            assertEquals(c.status, s.result.exitCode(), () -> c.program + ": " + s.describe());
            assertEquals("", s.result.stdout(), s::describe);
            assertEquals(c.stderr, s.result.stderr(), s::describe);
        }
    }

    /// 100,000 open + close of an allowed file from one program: every call succeeds, and the
    /// descriptor count of the sandbox's JVM, read from its /proc/PID/fd every 10,000 calls,
    /// stays flat and is back to where it started once the program has ended, with no pidfd of a
    /// reaped process among them.
    @Test
    void aHundredThousandCallsLeakNothing(@TempDir Path tmp) throws Exception {
        Layout l = Layout.create(tmp);
        Path openloop = Gcc.compile(PROGRAMS + "openloop.c", Files.createDirectory(tmp.resolve("bin")));
        try (WarmThenRunJvm jvm = WarmThenRunJvm.start(tmp, "--allow-read", l.allowed.toString(), "--",
                openloop.toString(), l.allowedFile.toString(), "100000")) {
            int start = jvm.awaitReady();
            jvm.release();
            List<Integer> during = new ArrayList<>();
            for (int i = 1; i <= 10; i++) {
                jvm.child.readUntil("progress ");
                during.add(fdCount(jvm.child.pid()));
            }
            String done = jvm.child.readUntil("done: ")[1];
            String code = jvm.child.readUntil(RunThenWait.MARKER)[1];
            int after = fdCount(jvm.child.pid());
            assertEquals("100000 opened, 0 failed", done);
            assertEquals("0", code);
            int max = during.stream().mapToInt(Integer::intValue).max().orElseThrow();
            // A call or two may be in flight at a sample, each holding for a moment four
            // descriptors: its caller's thread pidfd, /proc/TID/mem and /proc/TID directory, and
            // the file it opens. A leak grows past that. The count may fall below the first
            // sample: the last progress line comes as the program ends, and the JVM then lets go
            // of the program's descriptors.
            assertTrue(max - during.get(0) <= 8, () -> "fd counts of the JVM during the calls: " + during);
            assertEquals(start, after, () -> "fd count before " + start + ", during " + during + ", after " + after);
            assertEquals(List.of(), deadPidfds(jvm.child.pid()),
                    () -> "pidfds of reaped processes: " + fdList(jvm.child.pid()));
            Result r = jvm.child.finish();
            assertEquals(0, r.exitCode(), r::toString);
        }
    }

    /// A program with 8 threads looping on open is SIGKILLed 200 ms into its run, in the middle
    /// of brokered calls: the sandbox exits 137 within 2 s, leaves no child (no zombie) under its
    /// JVM (`ps --ppid`), and the JVM's descriptor count is back to where it was before, with no
    /// pidfd of a reaped process among them.
    @Test
    void aTargetKilledMidCallLeavesNothingBehind(@TempDir Path tmp) throws Exception {
        Layout l = Layout.create(tmp);
        Path spinner = Gcc.compile(PROGRAMS + "spinner.c", Files.createDirectory(tmp.resolve("bin")));
        try (WarmThenRunJvm jvm = WarmThenRunJvm.start(tmp, "--allow-read", l.allowed.toString(), "--",
                spinner.toString(), l.allowedFile.toString())) {
            int start = jvm.awaitReady();
            String before = fdList(jvm.child.pid());
            jvm.release();
            long begun = System.nanoTime();
            jvm.child.readUntil("running");
            List<String> children = children(jvm.child.pid());
            assertEquals(1, children.size(), () -> "children of the JVM: " + children);
            String[] target = children.get(0).strip().split("\\s+");
            assertEquals("spinner", target[2], children::toString);
            Thread.sleep(Math.max(0, 200 - TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - begun)));
            ChildProcess.output("kill", "-KILL", target[0]);
            long killed = System.nanoTime();
            String code = jvm.child.readUntil(RunThenWait.MARKER)[1];
            long took = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killed);
            assertEquals("137", code);
            assertTrue(took < TimeFactor.scale(2000), "the sandbox took " + took + " ms to see its program die");
            assertEquals(List.of(), children(jvm.child.pid()), "no child, no zombie left under the JVM");
            // The sandbox has returned its status; give the descriptors a second to follow.
            long deadline = TimeFactor.deadline(Duration.ofSeconds(1));
            while (fdCount(jvm.child.pid()) != start && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertEquals(start, fdCount(jvm.child.pid()),
                    () -> "the JVM's descriptors are back to where they were; before: " + before + "now: "
                            + fdList(jvm.child.pid()));
            assertEquals(List.of(), deadPidfds(jvm.child.pid()),
                    () -> "pidfds of reaped processes: " + fdList(jvm.child.pid()));
            Result r = jvm.child.finish();
            assertEquals(137, r.exitCode(), r::toString);
        }
    }

    /// The children of `pid` as `ps --ppid` lists them: "PID STAT COMMAND" lines.
    private static List<String> children(long pid) throws IOException, InterruptedException {
        Result ps = ChildProcess.run(List.of("ps", "--ppid", Long.toString(pid), "-o", "pid=,stat=,comm="));
        return ps.stdout().lines().filter(line -> !line.isBlank()).toList();
    }

    /// How many descriptors process `pid` has open, from /proc/PID/fd.
    static int fdCount(long pid) throws IOException {
        try (Stream<Path> fds = Files.list(Path.of("/proc/" + pid + "/fd"))) {
            return (int) fds.count();
        }
    }

    /// The descriptors of `pid` that are pidfds of processes already reaped: fdinfo says "Pid:
    /// -1". Whoever started such a process is done with it, so each one is a leak (only a
    /// garbage collection might close it).
    static List<String> deadPidfds(long pid) throws IOException {
        List<String> dead = new ArrayList<>();
        try (Stream<Path> fds = Files.list(Path.of("/proc/" + pid + "/fd"))) {
            for (Path fd : fds.toList()) {
                String target;
                try {
                    target = Files.readSymbolicLink(fd).toString();
                } catch (NoSuchFileException e) {
                    continue;
                }
                if (target.equals("anon_inode:[pidfd]") && Files.readAllLines(Path.of("/proc/" + pid + "/fdinfo/"
                        + fd.getFileName())).contains("Pid:\t-1")) {
                    dead.add(fd.getFileName().toString());
                }
            }
        }
        return dead;
    }

    /// `ls -l /proc/PID/fd` of `pid`, for a failure message.
    static String fdList(long pid) {
        try {
            return ChildProcess.run(List.of("ls", "-l", "/proc/" + pid + "/fd")).stdout();
        } catch (IOException | InterruptedException e) {
            return e.toString();
        }
    }

    /// The files the tests read: one the sandbox allows, in a directory the tests allow, and one
    /// in a directory of mode 0700 that the sandbox never allows, so that user nobody outside is
    /// refused it by the kernel.
    record Layout(Path allowed, Path allowedFile, Path secret, Path secretFile) {
        static Layout create(Path tmp) throws IOException {
            // The test's own directory must be searchable by nobody for the outside reference.
            Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwxr-xr-x"));
            Path allowed = Files.createDirectory(tmp.resolve("allowed"));
            Files.setPosixFilePermissions(allowed, PosixFilePermissions.fromString("rwxr-xr-x"));
            Path allowedFile = Files.writeString(allowed.resolve("allowed.txt"), "allowed content\n");
            Files.setPosixFilePermissions(allowedFile, PosixFilePermissions.fromString("rw-r--r--"));
            Path secret = Files.createDirectory(tmp.resolve("secret"));
            Files.setPosixFilePermissions(secret, PosixFilePermissions.fromString("rwx------"));
            Path secretFile = Files.writeString(secret.resolve("denied.txt"), SECRET);
            return new Layout(allowed, allowedFile, secret, secretFile);
        }
    }

    /// What a sandboxed run did, and the audit file it wrote.
    record Sandboxed(Result result, Path audit) {
        /// The audit lines whose decision is not "allow".
        List<String> denials() {
            try (Stream<String> lines = Files.lines(audit)) {
                return lines.filter(line -> !ALLOWED.matcher(line).find()).toList();
            } catch (IOException e) {
                return List.of("(no audit file: " + e + ")");
            }
        }

        /// The result and the denied calls, for an assertion message.
        String describe() {
            return result + "\naudit lines of the calls not allowed:\n" + String.join("\n", denials());
        }
    }

    /// Asserts that the sandboxed run printed what the outside run printed, on stdout and
    /// stderr, and ended with the same status.
    static void assertSame(Result outside, Sandboxed inside) {
        String message = "outside: " + outside + "\ninside: " + inside.describe();
        assertEquals(outside.exitCode(), inside.result.exitCode(), message);
        assertEquals(outside.stdout(), inside.result.stdout(), message);
        assertEquals(outside.stderr(), inside.result.stderr(), message);
    }

    /// The environment of every run, inside and outside: a PATH of system directories only (the
    /// developer's pyenv shims in /root would be outside every allowance) and the C locale, so
    /// that messages compare.
    static Map<String, String> environment(Map<String, String> extra) {
        Map<String, String> env = new HashMap<>(Map.of("PATH", "/usr/local/bin:/usr/bin:/bin", "LC_ALL", "C"));
        env.putAll(extra);
        return env;
    }

    /// Runs `command` outside the sandbox.
    static Result outside(List<String> command) throws IOException, InterruptedException {
        return outside(command, Map.of());
    }

    static Result outside(List<String> command, Map<String, String> env) throws IOException, InterruptedException {
        return run(command, env);
    }

    /// Runs `command` outside the sandbox as user and group nobody with no supplementary groups.
    static Result asNobody(List<String> command) throws IOException, InterruptedException {
        return outside(concat(List.of("setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", "--"), command));
    }

    /// Runs `posix4j sandbox OPTIONS --audit FILE -- PROGRAM...` in a child JVM, with the audit
    /// file in `auditDir`.
    static Sandboxed inside(Path auditDir, List<String> options, List<String> program)
            throws IOException, InterruptedException {
        return inside(auditDir, options, program, Map.of());
    }

    static Sandboxed inside(Path auditDir, List<String> options, List<String> program, Map<String, String> env)
            throws IOException, InterruptedException {
        Path audit = auditDir.resolve("audit-" + AUDITS.incrementAndGet() + ".jsonl");
        List<String> command = sandbox(concat(options, List.of("--audit", audit.toString())), program);
        return new Sandboxed(run(command, env), audit);
    }

    /// Runs `posix4j sandbox --enforce MODE OPTIONS -- PROGRAM...` in a child JVM: with
    /// `--audit FILE` (file in `auditDir`) for `broker` and `kernel`, without for `auto`, which an
    /// audit would turn into the broker. Kernel mode needs Landlock ABI 3 (skipped without it).
    static Sandboxed inside(String mode, Path auditDir, List<String> options, List<String> program,
            Map<String, String> env) throws IOException, InterruptedException {
        Requires.that(!mode.equals("kernel") || Landlock.abi() >= 3, "kernel mode needs Landlock ABI 3");
        List<String> enforced = concat(List.of("--enforce", mode), options);
        if (mode.equals("auto")) {
            return new Sandboxed(run(sandbox(enforced, program), env), auditDir.resolve("no-audit-in-auto-mode"));
        }
        return inside(auditDir, enforced, program, env);
    }

    /// The `posix4j sandbox OPTIONS -- PROGRAM...` command line of a child JVM.
    static List<String> sandbox(List<String> options, List<String> program) {
        return ChildProcess.java(Main.class, concat(List.of("sandbox"), options, List.of("--"), program)
                .toArray(String[]::new));
    }

    /// Runs `command` to its end with [#environment] plus `env`.
    static Result run(List<String> command, Map<String, String> env) throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().clear();
        builder.environment().putAll(environment(env));
        try (ChildProcess child = ChildProcess.start(builder)) {
            return child.finish();
        }
    }

    /// Copies the class path resource PROGRAMS + `name` into `dir`, readable by everyone.
    static Path copyResource(String name, Path dir) throws IOException {
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        try (InputStream in = SandboxProgramsTest.class.getClassLoader().getResourceAsStream(PROGRAMS + name)) {
            if (in == null) {
                throw new AssertionError("no resource " + PROGRAMS + name);
            }
            Path copy = dir.resolve(name);
            Files.copy(in, copy);
            Files.setPosixFilePermissions(copy, PosixFilePermissions.fromString("rw-r--r--"));
            return copy;
        }
    }

    /// The names in `dir`, recursively, relative to it, sorted.
    static List<String> directoryListing(Path dir) throws IOException {
        try (Stream<Path> all = Files.walk(dir)) {
            return all.filter(p -> !p.equals(dir)).map(p -> dir.relativize(p).toString()).sorted().toList();
        }
    }

    /// A JVM that runs one `posix4j sandbox -- true` first, so that every class is loaded and
    /// every jar is open, then prints [#READY] and waits for a file to appear: the test reads its
    /// descriptor count in between, as the baseline. Then it runs `posix4j sandbox ARGS`, prints
    /// [RunThenWait#MARKER] and the exit code, and stays alive until stdin closes, so that the
    /// test reads /proc/PID/fd and `ps --ppid` of the very JVM that supervised the program.
    public static final class WarmThenRun {
        /// The line printed once the warm-up run is over, followed by its exit code.
        static final String READY = "=== warmed up with ";

        private WarmThenRun() {}

        /// `args`: the file whose creation starts the real run, then the sandbox's arguments.
        public static void main(String[] args) throws IOException, InterruptedException {
            int warm = Main.run("sandbox", "--", "true");
            System.out.println(READY + warm);
            System.out.flush();
            Path go = Path.of(args[0]);
            while (!Files.exists(go)) {
                Thread.sleep(5);
            }
            List<String> line = concat(List.of("sandbox"), List.of(args).subList(1, args.length));
            int code = Main.run(line.toArray(String[]::new));
            System.out.println(RunThenWait.MARKER + code);
            System.out.flush();
            System.in.readAllBytes();
            System.exit(code);
        }
    }

    /// A running [WarmThenRun] JVM and the file that starts its real run.
    record WarmThenRunJvm(ChildProcess child, Path go) implements AutoCloseable {
        /// Starts a JVM that will run `posix4j sandbox ARGS` after its warm-up, once told to by
        /// [#release()]; `dir` holds the file that tells it.
        static WarmThenRunJvm start(Path dir, String... args) throws IOException {
            Path go = dir.resolve("go");
            ProcessBuilder builder = new ProcessBuilder(ChildProcess.java(WarmThenRun.class,
                    concat(List.of(go.toString()), List.of(args)).toArray(String[]::new)));
            builder.environment().clear();
            builder.environment().putAll(environment(Map.of()));
            return new WarmThenRunJvm(ChildProcess.start(builder), go);
        }

        /// Waits for the end of the warm-up and answers the JVM's descriptor count then.
        int awaitReady() throws IOException {
            assertEquals("0", child.readUntil(WarmThenRun.READY)[1], "the warm-up run of `sandbox -- true`");
            return fdCount(child.pid());
        }

        /// Lets the JVM start the real run.
        void release() throws IOException {
            Files.createFile(go);
        }

        @Override
        public void close() {
            child.close();
        }
    }
}
