package org.posix4j.broker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;
import org.posix4j.Errno;
import org.posix4j.Features;
import org.posix4j.landlock.FsAccess;
import org.posix4j.landlock.Ruleset;
import org.posix4j.spawn.Redirect;
import org.posix4j.spawn.Spawn;
import org.posix4j.testing.Requires;

/// Policies on a real interpreter: what the program could do is read back from the file system
/// and from what the program printed, and every decision from the audit's Java events.
class PolicyTest {
    @TempDir
    Path dir;
    private final List<AuditEvent> events = new CopyOnWriteArrayList<>();

    @BeforeEach
    void features() {
        Requires.that(Features.seccompUserNotification().available(), Features.seccompUserNotification().reason());
        Requires.that(Files.isExecutable(Path.of("/usr/bin/python3")), "needs /usr/bin/python3");
    }

    /// Runs `script` with python3 under a policy allowing the interpreter plus `rules`; answers
    /// its output (stdout then stderr) and exit code.
    private String python(String script, UnaryOperator<Policy.Builder> rules) throws Exception {
        Policy.Builder b = Policy.builder().allowRead(Path.of("/usr")).allowRead(Path.of("/etc/ld.so.cache"))
                .allowReadWrite(Path.of("/dev/null"));
        Path out = dir.resolve("python.out");
        try (Policy policy = rules.apply(b).build();
                Sandbox sandbox = Sandbox.start(Spawn.program("/usr/bin/python3").args("-S", "-c", script)
                        .stdout(Redirect.file(out)).stderr(Redirect.append(out)))) {
            int code = sandbox.serve(policy, events::add, 2).shellCode();
            return code + ":" + Files.readString(out, StandardCharsets.UTF_8).strip();
        }
    }

    private AuditEvent event(String function, String resolved) {
        return events.stream().filter(e -> e.function().equals(function) && e.resolved().contains(resolved))
                .findFirst().orElseThrow(() -> new AssertionError("no " + function + " of " + resolved + " in " + events));
    }

    /// A file named by the byte 0xff (made by a shell: Java cannot name it) reads back in Java as
    /// U+FFFD, the name of another file, which exists here too: a rule given the path would be
    /// about that other file (found by an audit, 2026-12-07). The policy's and the Landlock
    /// ruleset's builders refuse the path, naming the argument; the other file's path is taken
    /// where the JVM encodes file names as UTF-8.
    @Test
    void aNameTheJvmCannotPassOnIsRefused() throws Exception {
        Process shell = new ProcessBuilder("sh", "-c",
                "printf ff > \"$1/$(printf '\\377')\"; printf fffd > \"$1/$(printf '\\357\\277\\275')\"", "sh",
                dir.toString()).start();
        assertEquals(0, shell.waitFor());
        Path unnamed = null;
        Path replacement = null;
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
            for (Path entry : entries) {
                String content = Files.readString(entry);
                if (content.equals("ff")) {
                    unnamed = entry;
                } else if (content.equals("fffd")) {
                    replacement = entry;
                }
            }
        }
        assertTrue(unnamed != null && replacement != null, "both files listed");
        boolean utf8 = System.getProperty("sun.jnu.encoding").equals("UTF-8");
        if (utf8) {
            assertEquals(replacement.toString(), unnamed.toString(), "Java spells both names alike");
        }
        Path bad = unnamed;
        for (Executable e : List.<Executable>of(() -> Policy.builder().allowRead(bad), () -> Policy.builder().deny(bad),
                () -> Policy.builder().allowConnectUnix(bad), () -> Policy.builder().allowBindUnix(bad),
                () -> Ruleset.builder().handle(FsAccess.READ_FILE).allow(bad, Set.of(FsAccess.READ_FILE)))) {
            IllegalArgumentException thrown = assertThrows(IllegalArgumentException.class, e);
            assertTrue(thrown.getMessage().startsWith("path: "), thrown::getMessage);
        }
        Path other = replacement;
        if (utf8) {
            Policy.builder().allowRead(other).deny(other);
        } else {
            // Under another encoding of file names (the C locale's ASCII) the valid UTF-8 name
            // would be passed on as other bytes: refused too.
            assertThrows(IllegalArgumentException.class, () -> Policy.builder().allowRead(other));
        }
    }

    @Test
    void aDenialInsideAnAllowedTreeWinsAndIsAudited() throws Exception {
        Path tree = Files.createDirectories(dir.resolve("tree"));
        Files.writeString(tree.resolve("open.txt"), "visible");
        Path secret = Files.createDirectories(tree.resolve("secret"));
        Files.writeString(secret.resolve("key"), "TOKEN-7f3a");
        String r = python("""
                print(open('%s/open.txt').read())
                try:
                    print(open('%s/secret/key').read())
                except OSError as e:
                    print('errno', e.errno)
                """.formatted(tree, tree), b -> b.allowRead(tree).deny(secret));
        assertEquals("0:visible\nerrno 13", r);
        AuditEvent denied = event("open", secret.resolve("key").toString());
        assertEquals(Decision.DENY, denied.decision());
        assertEquals(Errno.EACCES.number(), denied.errno());
        assertEquals(-1, denied.result());
        assertTrue(denied.toJson().contains("\"decision\":\"deny\""), denied.toJson());
        AuditEvent allowed = event("open", tree.resolve("open.txt").toString());
        assertEquals(Decision.ALLOW, allowed.decision());
        assertTrue(allowed.result() >= 0);
    }

    @Test
    void aDryRunAllowsAndRecordsWhatItWouldDeny() throws Exception {
        Path secret = Files.writeString(dir.resolve("secret"), "TOKEN-dry");
        String r = python("print(open('%s').read())".formatted(secret), b -> b.dryRun(true));
        assertEquals("0:TOKEN-dry", r);
        assertEquals(Decision.WOULD_DENY, event("open", secret.toString()).decision());
    }

    @Test
    void writingNeedsCreateAndCreatedFilesFollowTheProgramsUmask() throws Exception {
        Path ro = Files.createDirectories(dir.resolve("ro"));
        Path rw = Files.createDirectories(dir.resolve("rw"));
        String r = python("""
                import os
                os.umask(0o027)
                try:
                    open('%s/x', 'w')
                except OSError as e:
                    print('ro', e.errno)
                with open('%s/x', 'w') as f:
                    f.write('written')
                os.mkdir('%s/d', 0o777)
                os.rename('%s/x', '%s/d/y')
                os.chmod('%s/d/y', 0o4755)
                print(sorted(os.listdir('%s/d')))
                """.formatted(ro, rw, rw, rw, rw, rw, rw), b -> b.allowRead(ro).allowCreate(rw));
        assertEquals("0:ro 13\n['y']", r);
        assertFalse(Files.exists(ro.resolve("x")));
        assertEquals("written", Files.readString(rw.resolve("d/y")));
        assertEquals("rwxr-x---", java.nio.file.attribute.PosixFilePermissions.toString(
                Files.getPosixFilePermissions(rw.resolve("d"))), "mkdir 0777 under umask 027");
        assertEquals(0755, (int) Files.getAttribute(rw.resolve("d/y"), "unix:mode") & 07777,
                "chmod 04755 lost its setuid bit");
    }

    @Test
    void temporaryOnlyAllowsUnnamedFiles() throws Exception {
        Path tmp = Files.createDirectories(dir.resolve("tmp"));
        String r = python("""
                import os
                fd = os.open('%s', os.O_TMPFILE | os.O_RDWR, 0o600)
                os.write(fd, b'unnamed')
                os.lseek(fd, 0, 0)
                print(os.read(fd, 10).decode())
                try:
                    os.open('%s/named', os.O_CREAT | os.O_RDWR, 0o600)
                except OSError as e:
                    print('named', e.errno)
                """.formatted(tmp, tmp), b -> b.allowTemporary(tmp));
        assertEquals("0:unnamed\nnamed 13", r);
        try (var listing = Files.list(tmp)) {
            assertEquals(0, listing.count(), "nothing named was created");
        }
    }

    @Test
    void parentsMayBeStatedNotListedAndMissingPathsAreHiddenUnlessRevealed() throws Exception {
        Path deep = Files.createDirectories(dir.resolve("a/b"));
        Files.writeString(dir.resolve("a/sibling"), "x");
        String script = """
                import os
                print(os.path.isdir('%s'))
                for p in ('%s', '%s/sibling', '/nonexistent-%d'):
                    try:
                        os.listdir(p) if p.endswith('a') else open(p)
                    except OSError as e:
                        print(e.errno)
                """.formatted(dir.resolve("a"), dir.resolve("a"), dir.resolve("a"), ProcessHandle.current().pid());
        assertEquals("0:True\n13\n13\n13", python(script, b -> b.allowRead(deep)));
        assertEquals("0:True\n13\n13\n2", python(script, b -> b.allowRead(deep).revealMissing(true)));
    }
}
