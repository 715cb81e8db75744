package org.posix4j.broker;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.posix4j.PosixException;
import org.posix4j.landlock.Landlock;
import org.posix4j.spawn.Spawn;
import org.posix4j.testing.ChildJvm;
import org.posix4j.testing.Requires;

/// The ruleset of a policy ([KernelRules#of]), applied to one thread of a child JVM without the
/// broker, as far as exec goes: what the policy lets the program read is executable and nothing else, a denied file
/// or directory deep in an allowed tree is not, symbolic links count where they lead, and
/// executables created after the rules in a directory on the way to a denied path are not (the
/// documented, stricter effect of putting the rules on the siblings), while elsewhere in the
/// tree they are.
class ExecRulesTest {
    private static final List<String> EXISTING = List.of("ok", "a/ok", "a/b/ok", "a/b/secret", "a/b/hidden/tool",
            "c/ok", "link-to-ok", "link-to-secret", "../outside");
    private static final List<String> CREATED_LATER = List.of("new", "a/new", "a/b/new", "c/new");

    @Test
    void onlyWhatThePolicyLetsTheProgramReadIsExecutable(@TempDir Path tmp) throws Exception {
        Requires.that(Landlock.abi() > 0, "the kernel has no Landlock");
        Path dir = Files.createDirectory(tmp.resolve("tree"));
        for (String p : List.of("ok", "a/ok", "a/b/ok", "a/b/secret", "a/b/hidden/tool", "c/ok", "../outside")) {
            Files.createDirectories(dir.resolve(p).getParent());
            Files.copy(Path.of("/usr/bin/true"), dir.resolve(p), StandardCopyOption.COPY_ATTRIBUTES);
        }
        Files.createSymbolicLink(dir.resolve("link-to-ok"), dir.resolve("ok"));
        Files.createSymbolicLink(dir.resolve("link-to-secret"), Path.of("a/b/secret"));
        ChildJvm.Result r = ChildJvm.run(Child.class, dir.toString()).assertSuccess();
        for (String p : EXISTING) {
            assertEquals("0", r.value("unrestricted " + p + ": "), "control: " + p + " runs");
        }
        Map<String, String> expected = new LinkedHashMap<>();
        expected.put("ok", "0");
        expected.put("a/ok", "0");
        expected.put("a/b/ok", "0");
        expected.put("a/b/secret", "EACCES");
        expected.put("a/b/hidden/tool", "EACCES");
        expected.put("c/ok", "0");
        expected.put("link-to-ok", "0");
        expected.put("link-to-secret", "EACCES");
        expected.put("/usr/bin/true", "0");
        expected.put("../outside", "EACCES");
        expected.put("new", "EACCES");
        expected.put("a/new", "EACCES");
        expected.put("a/b/new", "EACCES");
        expected.put("c/new", "0");
        Map<String, String> seen = new LinkedHashMap<>();
        expected.keySet().forEach(p -> seen.put(p, r.value("restricted " + p + ": ")));
        assertEquals(expected, seen, r::toString);
    }

    /// The child JVM: builds the policy (read `DIR` and /usr, where the dynamic loader is; deny
    /// `DIR/a/b/secret` and `DIR/a/b/hidden`),
    /// runs a missing program (so that the restricted thread, which may not read the class
    /// path, finds the failure path's classes loaded), builds its ruleset, then copies the executables created later (from this unrestricted
    /// thread: the ruleset would not let the program create them in a read-only tree),
    /// restricts another thread with it and reports what that thread can execute.
    static final class Child {
        public static void main(String[] args) throws Exception {
            Path dir = Path.of(args[0]);
            for (String p : EXISTING) {
                System.out.println("unrestricted " + p + ": " + run(dir, p));
            }
            System.out.println("unrestricted missing: " + run(dir, "missing"));
            try (Policy policy = Policy.builder().allowRead(dir).allowRead(Path.of("/usr")).deny(dir.resolve("a/b/secret"))
                    .deny(dir.resolve("a/b/hidden")).build();
                    KernelRules rules = KernelRules.of(policy)) {
                for (String p : CREATED_LATER) {
                    Files.copy(Path.of("/usr/bin/true"), dir.resolve(p), StandardCopyOption.COPY_ATTRIBUTES);
                }
                Thread t = Thread.ofPlatform().start(() -> {
                    try {
                        rules.ruleset().restrictCurrentThread();
                        for (String p : List.of("ok", "a/ok", "a/b/ok", "a/b/secret", "a/b/hidden/tool", "c/ok",
                                "link-to-ok", "link-to-secret", "/usr/bin/true", "../outside", "new", "a/new", "a/b/new",
                                "c/new")) {
                            System.out.println("restricted " + p + ": " + run(dir, p));
                        }
                    } catch (IOException e) {
                        throw new RuntimeException(e);
                    }
                });
                t.join();
            }
        }

        private static String run(Path dir, String program) throws IOException {
            try {
                return Integer.toString(Spawn.program(dir.resolve(program).toString()).start().waitFor().shellCode());
            } catch (PosixException e) {
                return e.errno().orElseThrow().name();
            } catch (InterruptedException e) {
                throw new IOException(e);
            }
        }
    }
}
