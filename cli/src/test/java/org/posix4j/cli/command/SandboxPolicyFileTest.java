package org.posix4j.cli.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.posix4j.Feature;
import org.posix4j.Features;
import org.posix4j.cli.Main;
import org.posix4j.cli.testing.ChildProcess;
import org.posix4j.cli.testing.ChildProcess.Result;
import org.posix4j.cli.testing.Requires;
import org.posix4j.testing.ScaledTimeout;
import org.posix4j.testing.TimeFactor;

/// `posix4j sandbox --policy FILE` (docs/policy-files.md): a real program is allowed and refused
/// what the file says, read back from the file system and from a real network peer; flags add
/// to the file; `--print-policy` prints what it reads back to the same text; a bad file is a
/// command-line error (exit 2) naming the file, the line and the key, and runs nothing.
@ScaledTimeout(120)
class SandboxPolicyFileTest {
    private static final String PYTHON = "/usr/bin/python3";
    @TempDir
    Path tmp;

    private static void requireBroker() throws Exception {
        Requires.that(ChildProcess.output("id", "-u").equals("0"), "needs root (CI runs as root)");
        Feature notification = Features.seccompUserNotification();
        Requires.that(notification.available(), "needs seccomp user notification: " + notification.reason());
        Requires.programs("sh", "cat");
    }

    /// Runs `posix4j sandbox ARGS` in the temporary directory.
    private Result posix4j(String... args) throws Exception {
        List<String> all = new ArrayList<>(List.of("sandbox"));
        all.addAll(List.of(args));
        return SandboxAttackTest.finish(new ProcessBuilder(ChildProcess.java(Main.class, all.toArray(String[]::new)))
                .directory(tmp.toFile()));
    }

    private Path write(String name, String json) throws Exception {
        return Files.writeString(tmp.resolve(name), json);
    }

    /// The file allows reading the tree, writing `out`, and denies `tree/secret`: cat reads the
    /// open file, not the key, and only `out` gets a file. Control: the same file without its
    /// deny lets the key be read, so the file's denial is what refuses it.
    @Test
    void aProgramIsAllowedAndRefusedAsTheFileSays() throws Exception {
        requireBroker();
        Path tree = Files.createDirectory(tmp.resolve("tree")).toRealPath();
        Files.writeString(tree.resolve("open.txt"), "visible\n");
        Files.createDirectory(tree.resolve("secret"));
        Files.writeString(tree.resolve("secret/key"), "TOKEN-9c1e\n");
        Path out = Files.createDirectory(tmp.resolve("out")).toRealPath();
        String script = "cat " + tree + "/open.txt; cat " + tree + "/secret/key; echo cat=$?; echo made > " + out
                + "/made; echo x > " + tree + "/new; echo new=$?";
        String rules = """
                  "allow_read": ["%s"],
                  "allow_write": ["%s"],
                  "network": {"none": true}""".formatted(tree, out);

        Path open = write("open.json", "{\n" + rules + "\n}\n");
        Result control = posix4j("--policy", open.toString(), "--", "sh", "-c", script);
        assertTrue(control.stdout().contains("TOKEN-9c1e"), control::toString);
        Files.delete(out.resolve("made"));

        Path policy = write("policy.json", "{\n" + rules + ",\n  \"deny\": [\"" + tree + "/secret\"]\n}\n");
        Result r = posix4j("--policy", policy.toString(), "--", "sh", "-c", script);
        assertTrue(r.stdout().startsWith("visible\n"), r::toString);
        assertFalse(r.stdout().contains("TOKEN"), r::toString);
        assertTrue(r.stdout().contains("cat=1\n"), r::toString);
        assertTrue(r.stderr().contains(tree + "/secret/key: Permission denied"), r::toString);
        assertEquals("made\n", Files.readString(out.resolve("made")));
        assertTrue(r.stdout().contains("new=2"), r::toString);
        assertFalse(Files.exists(tree.resolve("new")), r::toString);
    }

    /// `--allow-write` adds a tree to the file's, whose denial still holds inside it; a file
    /// without `network` refuses a connection that `--allow-connect` then allows. The listener
    /// counts the connections it accepted.
    @Test
    void flagsAddToTheFile() throws Exception {
        requireBroker();
        Requires.that(Files.isExecutable(Path.of(PYTHON)), "needs " + PYTHON);
        Path box = Files.createDirectory(tmp.resolve("box")).toRealPath();
        Path policy = write("policy.json", "{\"deny\": [\"" + box + "/private\"]}\n");
        String script = "echo a > " + box + "/a; echo a=$?; mkdir " + box + "/private; echo private=$?";

        Result fileAlone = posix4j("--policy", policy.toString(), "--", "sh", "-c", script);
        assertTrue(fileAlone.stdout().contains("a=2\n"), fileAlone::toString);
        assertFalse(Files.exists(box.resolve("a")), fileAlone::toString);

        Result withFlag = posix4j("--policy", policy.toString(), "--allow-write", box.toString(), "--",
                "sh", "-c", script);
        assertTrue(withFlag.stdout().contains("a=0\nprivate=1\n"), withFlag::toString);
        assertEquals("a\n", Files.readString(box.resolve("a")));
        assertFalse(Files.exists(box.resolve("private")), withFlag::toString);

        ServerSocket listener = new ServerSocket(0, 8, InetAddress.getLoopbackAddress());
        AtomicInteger accepted = new AtomicInteger();
        Thread acceptor = Thread.ofPlatform().daemon().start(() -> {
            while (true) {
                try (Socket s = listener.accept(); InputStream in = s.getInputStream()) {
                    accepted.incrementAndGet();
                    in.readAllBytes();
                } catch (java.io.IOException e) {
                    return;
                }
            }
        });
        try {
            String address = "127.0.0.1:" + listener.getLocalPort();
            String connect = "import socket\ntry:\n socket.create_connection(('127.0.0.1', "
                    + listener.getLocalPort() + ")).close(); print('connected')\nexcept OSError as e:\n"
                    + " print('errno', e.errno)";
            Result refused = posix4j("--policy", policy.toString(), "--", PYTHON, "-S", "-c", connect);
            assertEquals("errno 13\n", refused.stdout(), refused::toString);
            assertEquals(0, accepted.get());

            Result allowed = posix4j("--policy", policy.toString(), "--allow-connect", address, "--",
                    PYTHON, "-S", "-c", connect);
            assertEquals("connected\n", allowed.stdout(), allowed::toString);
            long deadline = TimeFactor.deadline(Duration.ofSeconds(10));
            while (accepted.get() == 0 && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertEquals(1, accepted.get());
        } finally {
            listener.close();
            acceptor.join();
        }
    }

    /// The printed policy holds the file's entries then the flags', the flags' switches and mode;
    /// fed back as `--policy` it prints the same text. No program is run or needed.
    @Test
    void printPolicyRoundTrips() throws Exception {
        Path policy = write("policy.json", """
                {
                  "allow_read": ["/usr"],
                  "deny": ["/usr/share/secret"],
                  "defaults": false,
                  "network": {"connect": ["10.0.0.0/8:443"], "resolve": ["api.example.com"]},
                  "audit": "audit.jsonl"
                }
                """);
        Result printed = posix4j("--policy", policy.toString(), "--allow-read", "/etc/hostname", "--allow-connect",
                "api.example.com:443", "--allow-socket", "ping", "--dry-run", "--enforce", "broker", "--print-policy");
        assertEquals(0, printed.exitCode(), printed::toString);
        assertEquals("", printed.stderr());
        assertEquals("""
                {
                  "allow_read": ["/usr", "/etc/hostname"],
                  "allow_write": [],
                  "deny": ["/usr/share/secret"],
                  "defaults": false,
                  "reveal_missing": false,
                  "hide_metadata": false,
                  "network": {
                    "connect": ["10.0.0.0/8:443", "api.example.com:443"],
                    "bind": [],
                    "resolve": ["api.example.com"],
                    "sockets": ["ping"],
                    "none": false
                  },
                  "audit": "audit.jsonl",
                  "enforce": "broker",
                  "dry_run": true
                }
                """, printed.stdout());

        Path again = write("printed.json", printed.stdout());
        Result reprinted = posix4j("--policy", again.toString(), "--print-policy");
        assertEquals(0, reprinted.exitCode(), reprinted::toString);
        assertEquals(printed.stdout(), reprinted.stdout());

        Result flagsAlone = posix4j("--print-policy");
        assertEquals(0, flagsAlone.exitCode(), flagsAlone::toString);
        assertTrue(flagsAlone.stdout().contains("\"defaults\": true,\n"), flagsAlone::toString);
        assertTrue(flagsAlone.stdout().contains("\"enforce\": \"auto\",\n"), flagsAlone::toString);
    }

    /// Each bad file exits 2 before anything runs, with the reader's message; so does a missing
    /// file, and a missing PROGRAM without --print-policy. A host name of the file that does not
    /// resolve is reported where it was written (exit 125, as for the flag).
    @Test
    void aBadFileIsACommandLineError() throws Exception {
        Path marker = tmp.resolve("ran");
        String[] program = {"--", "sh", "-c", "echo > " + marker};

        Path typo = write("typo.json", "{\n  \"deny\": [],\n  \"alow_read\": [\"/usr\"]\n}\n");
        Result r = posix4j("--policy", typo.toString(), program[0], program[1], program[2], program[3]);
        assertEquals(2, r.exitCode(), r::toString);
        assertTrue(r.stderr().startsWith(typo + ":3: \"alow_read\": unknown key; did you mean \"allow_read\"?\n"),
                r::toString);

        Path syntax = write("syntax.json", "{\n  \"deny\": [\"/a\"]\n  \"defaults\": true\n}\n");
        r = posix4j("--policy", syntax.toString(), program[0], program[1], program[2], program[3]);
        assertEquals(2, r.exitCode(), r::toString);
        assertTrue(r.stderr().startsWith(syntax + ":3:3: unexpected '\"', expected ',' or '}'\n"), r::toString);

        Path address = write("address.json", "{\"network\": {\n\"bind\": [\"127.0.0.1:80-70\"]}}");
        r = posix4j("--policy", address.toString(), program[0], program[1], program[2], program[3]);
        assertEquals(2, r.exitCode(), r::toString);
        assertTrue(r.stderr().startsWith(address + ":2: \"network.bind\": \"127.0.0.1:80-70\": ports are 0..65535,"
                + " the first not above the last\n"), r::toString);
        Result flag = posix4j("--allow-bind", "127.0.0.1:80-70", "--print-policy");
        assertEquals(2, flag.exitCode(), flag::toString);
        assertTrue(flag.stderr().startsWith("--allow-bind 127.0.0.1:80-70: ports are 0..65535, the first not above"
                + " the last\n"), flag::toString);

        Path type = write("type.json", "{\"allow_write\": \"/tmp\"}");
        r = posix4j("--policy", type.toString(), "--print-policy");
        assertEquals(2, r.exitCode(), r::toString);
        assertTrue(r.stderr().startsWith(type + ":1: \"allow_write\": expected an array of strings\n"), r::toString);

        r = posix4j("--policy", tmp.resolve("missing.json").toString(), program[0], program[1], program[2], program[3]);
        assertEquals(2, r.exitCode(), r::toString);
        assertTrue(r.stderr().startsWith("--policy " + tmp.resolve("missing.json") + ": No such file or directory\n"),
                r::toString);

        Path host = write("host.json", "{\"network\": {\"connect\": [\"nohost.invalid:443\"]}}");
        r = posix4j("--policy", host.toString(), program[0], program[1], program[2], program[3]);
        assertEquals(RunCommand.EXIT_RUN_FAILED, r.exitCode(), r::toString);
        assertEquals("posix4j sandbox: " + host + ": network.connect nohost.invalid:443: unknown host nohost.invalid\n",
                r.stderr());

        r = posix4j("--policy", write("ok.json", "{}").toString());
        assertEquals(2, r.exitCode(), r::toString);
        assertTrue(r.stderr().startsWith("Missing required parameter: 'PROGRAM'\n"), r::toString);
        assertFalse(Files.exists(marker), "a program ran after a command-line error");
    }
}
