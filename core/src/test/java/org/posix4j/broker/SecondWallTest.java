package org.posix4j.broker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.posix4j.io.Fd;
import org.posix4j.landlock.Landlock;
import org.posix4j.spawn.ExitStatus;
import org.posix4j.spawn.Redirect;
import org.posix4j.spawn.Spawn;
import org.posix4j.testing.Requires;
import org.posix4j.testing.ScaledTimeout;

/// The kernel's rules stand behind the broker on their own ([Enforcement#BROKER] with Landlock):
/// a broker with a bug that lets every call of the program continue into the kernel (simulated
/// here by a raw loop doing exactly that) still cannot give the program a file outside the
/// policy's allow-lists, nor a write in a read-only tree. The control runs the same buggy loop
/// under a policy that allows the file: the calls really do reach the kernel, which performs
/// them.
@ScaledTimeout(60)
class SecondWallTest {
    private static final String SCRIPT = "cat \"$1\" 2>&1; echo \"cat=$?\"; (echo x > \"$2\") 2>&1; echo \"write=$?\"";

    @Test
    void aBrokerThatLetsEverythingThroughIsStillHeldByTheKernel(@TempDir Path tmp) throws Exception {
        Requires.that(Landlock.abi() > 0, "the kernel has no Landlock");
        Path readable = Files.createDirectory(tmp.resolve("readable"));
        Path secret = Files.writeString(Files.createDirectory(tmp.resolve("secret")).resolve("s"), "secret\n");
        Path written = readable.resolve("new");

        String walled = runLettingEverythingThrough(Policy.builder().allowRead(Path.of("/usr")).allowRead(readable),
                secret, written);
        assertTrue(walled.contains("Permission denied\ncat=1\n"), walled);
        assertFalse(walled.contains("secret\n"), walled);
        assertTrue(walled.contains("new: Permission denied\n") && !walled.contains("write=0"), walled);
        assertFalse(Files.exists(written), "nothing written in the read-only tree");

        String control = runLettingEverythingThrough(Policy.builder().allowRead(Path.of("/usr")).allowCreate(readable)
                .allowRead(secret.getParent()), secret, written);
        assertEquals("secret\ncat=0\nwrite=0\n", control);
        assertEquals("x\n", Files.readString(written));
    }

    /// Starts `sh -c SCRIPT` under the policy in broker mode and answers each of its calls by
    /// letting it continue into the kernel unchecked, the bug this test gives the broker.
    private static String runLettingEverythingThrough(Policy.Builder builder, Path secret, Path written)
            throws Exception {
        try (Policy policy = builder.build();
                Sandbox sandbox = Sandbox.start(Spawn.program("/bin/sh")
                        .args("-c", SCRIPT, "sh", secret.toString(), written.toString())
                        .stdout(Redirect.PIPE), policy, Enforcement.BROKER)) {
            assertTrue(sandbox.execBackedByKernel(), "the kernel's rules are in place");
            Master master = sandbox.master();
            for (Call call; (call = master.receive()) != null; ) {
                assertTrue(call.markAnswered(), call::toString);
                master.continueAsAsked(Scratch.get(), call.id);
            }
            String output = read(sandbox.child().stdoutPipe().orElseThrow());
            ExitStatus status = sandbox.child().waitFor();
            assertEquals(0, status.shellCode(), output);
            return output;
        }
    }

    private static String read(Fd fd) throws IOException {
        return new String(fd.inputStream().readAllBytes(), StandardCharsets.UTF_8);
    }
}
