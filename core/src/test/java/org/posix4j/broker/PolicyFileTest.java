package org.posix4j.broker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.posix4j.Features;
import org.posix4j.spawn.Redirect;
import org.posix4j.spawn.Spawn;
import org.posix4j.testing.Requires;

/// Policy files (docs/policy-files.md): what the reader accepts, every message it gives for what
/// it refuses (file, line, key), the printed form reading back the same, the examples in
/// docs/policies staying valid, and a loaded policy confining a real program.
class PolicyFileTest {
    @TempDir
    Path dir;

    private static String error(String json) {
        return assertThrows(IllegalArgumentException.class, () -> PolicyFile.parse("policy.json", json)).getMessage();
    }

    @Test
    void readsEveryKey() {
        PolicyFile p = PolicyFile.parse("p.json", """
                {
                  "allow_read": ["/usr", "rel/dir"],
                  "allow_write": ["/tmp/w\\u00e9"],
                  "deny": ["/tmp/w\\u00e9/secret"],
                  "defaults": false,
                  "reveal_missing": true,
                  "hide_metadata": true,
                  "network": {
                    "connect": ["api.example.com:443", "[fd00::/8]:1-65535", "unix:/run/x.sock", "unix:@bus"],
                    "bind": ["127.0.0.1:0"],
                    "resolve": ["api.example.com"],
                    "sockets": ["netlink", "ping"],
                    "none": true
                  },
                  "audit": "-",
                  "enforce": "broker",
                  "dry_run": true
                }
                """);
        assertEquals(new PolicyFile(List.of("/usr", "rel/dir"), List.of("/tmp/wé"), List.of("/tmp/wé/secret"), false,
                true, true, List.of("api.example.com:443", "[fd00::/8]:1-65535", "unix:/run/x.sock", "unix:@bus"),
                List.of("127.0.0.1:0"), List.of("api.example.com"), List.of("netlink", "ping"), true, "-", "broker",
                true), p);
    }

    @Test
    void anEmptyObjectIsTheEmptyPolicyWithDefaultsOn() {
        PolicyFile p = PolicyFile.parse("p.json", " {\n}\n");
        assertEquals(PolicyFile.empty(), p);
        assertTrue(p.defaults());
        assertEquals("auto", p.enforce());
    }

    /// The printed form reads back equal, and prints the same again.
    @Test
    void thePrintedFormReadsBackTheSame() {
        PolicyFile p = new PolicyFile(List.of("/a \"quoted\"\\ name", "/b\ttab"), List.of("/w"), List.of(), true,
                false, true, List.of("10.0.0.0/8:80-90"), List.of(), List.of("*"), List.of("raw"), false,
                "/tmp/audit.jsonl", "kernel", false);
        String json = p.toJson();
        PolicyFile back = PolicyFile.parse("printed.json", json);
        assertEquals(p, back);
        assertEquals(json, back.toJson());
        assertEquals(PolicyFile.empty(), PolicyFile.parse("e.json", PolicyFile.empty().toJson()));
        assertFalse(PolicyFile.empty().toJson().contains("audit"), "no audit key when there is no audit");
    }

    @Test
    void anUnknownKeyIsAnErrorWithTheNearestKnownOne() {
        assertEquals("policy.json:7: \"alow_read\": unknown key; did you mean \"allow_read\"?", error("""
                {
                  "allow_write": ["/tmp"],
                  "deny": [],
                  "defaults": true,
                  "network": {
                  },
                  "alow_read": ["/usr"]
                }
                """));
        assertEquals("policy.json:3: \"network.conect\": unknown key; did you mean \"network.connect\"?", error("""
                {"network": {
                  "none": false,
                  "conect": ["a:1"]}}
                """));
        assertEquals("policy.json:1: \"dryrun\": unknown key; did you mean \"dry_run\"?", error("{\"dryrun\": true}"));
        assertEquals("policy.json:2: \"program\": unknown key; the keys are allow_read, allow_write, deny, defaults,"
                + " reveal_missing, hide_metadata, network, audit, enforce, dry_run", error("{\n\"program\": \"x\"}"));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "{\\n\\n  \"deny\": \"/tmp\"}                | policy.json:3: \"deny\": expected an array of strings",
        "{\"allow_read\": [\\n\"/usr\",\\n 7]}       | policy.json:3: \"allow_read\": expected an array of strings",
        "{\"allow_write\": [\"\"]}                   | policy.json:1: \"allow_write\": an empty string or one holding NUL",
        "{\"deny\": [\"/a\\u0000b\"]}                | policy.json:1: \"deny\": an empty string or one holding NUL",
        "{\"defaults\": \"no\"}                      | policy.json:1: \"defaults\": expected true or false",
        "{\"dry_run\": 1}                            | policy.json:1: \"dry_run\": expected true or false",
        "{\"audit\": true}                           | policy.json:1: \"audit\": expected a non-empty string",
        "{\"audit\": null}                           | policy.json:1: \"audit\": expected a non-empty string",
        "{\"enforce\": \"landlock\"}                 | policy.json:1: \"enforce\": unknown mode \"landlock\" (auto, kernel, broker)",
        "{\"network\": [\"a:1\"]}                    | policy.json:1: \"network\": expected an object { ... }",
        "{\"network\": {\"none\": null}}             | policy.json:1: \"network.none\": expected true or false",
        "{\"network\": {\"sockets\": [\"tcp\"]}}     | policy.json:1: \"network.sockets\": unknown socket kind \"tcp\" (netlink, packet, raw, ping)",
        "[\"/usr\"]                                  | policy.json:1: a policy is a JSON object { ... }",
    })
    void aValueOfTheWrongTypeNamesItsLineAndKey(String json, String message) {
        assertEquals(message, error(json.replace("\\n", "\n")));
    }

    /// A malformed address gets the message `--allow-connect` gives for it, after the file, line,
    /// key and the address.
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "example.com         | expected HOST:PORT, CIDR:PORT[-PORT] or unix:PATH",
        "example.com:https   | the port must be a number or a range N-M",
        "host:80-70          | ports are 0..65535, the first not above the last",
        "10.0.0.0/33:80      | prefixLength must be 0..32: 33",
        "unix:               | a unix: address needs a PATH or @NAME",
        ":80                 | expected HOST:PORT, CIDR:PORT[-PORT] or unix:PATH",
    })
    void aBadAddressGetsTheFlagParsersMessage(String address, String why) {
        String json = "{\"network\": {\n  \"bind\": [],\n  \"connect\": [\"ok:1\",\n    \"" + address + "\"]}}";
        assertEquals("policy.json:4: \"network.connect\": \"" + address + "\": " + why, error(json));
        IllegalArgumentException flag = assertThrows(IllegalArgumentException.class,
                () -> NetworkAddress.parse(address));
        assertEquals(why, flag.getMessage());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '~', value = {
        "{\\n  \"deny\": [\"/a\"]\\n  \"defaults\": true}   | policy.json:3:3: unexpected '\"', expected ',' or '}'",
        "{\"deny\": [\"/a\",]}                               | policy.json:1:16: unexpected ']', expected a value",
        "{\"deny\": [\"/a\"],}                               | policy.json:1:17: unexpected '}', expected a key in quotes",
        "{\\n  // a comment\\n}                              | policy.json:2:3: unexpected '/', expected a key in quotes",
        "{\"deny\": [\"/a]}                                  | policy.json:1:16: unexpected end of file in a string",
        "{\"deny\": []} x                                    | policy.json:1:14: unexpected 'x' after the value",
        "{\"deny\": [], \"deny\": []}                         | policy.json:1:14: duplicate key \"deny\"",
        "{'deny': []}                                        | policy.json:1:2: unexpected ''', expected a key in quotes",
        "{\"deny\": [\"a\\tb\"]}                              | policy.json:1:13: a control character in a string (write it as an escape such as \\n)",
        "{\"deny\": [\"\\x\"]}                                | policy.json:1:12: unknown escape \\x",
        "{\"defaults\": True}                                | policy.json:1:14: unexpected 'T', expected a value",
        "{\"defaults\": 01}                                  | policy.json:1:15: unexpected '1', expected ',' or '}'",
        "{\"deny\": [                                        | policy.json:1:11: unexpected end of file, expected a value",
    })
    void aSyntaxErrorNamesItsLineAndColumn(String json, String message) {
        assertEquals(message, error(json.replace("\\n", "\n").replace("\\t", "\t")));
    }

    @Test
    void readNamesTheFileAsGiven() throws IOException {
        Path file = Files.writeString(dir.resolve("job.json"), "{\n\"deny\": 1}");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> PolicyFile.read(file));
        assertEquals(file + ":2: \"deny\": expected an array of strings", e.getMessage());
        Path latin1 = Files.write(dir.resolve("latin1.json"), "{\"deny\": [\"/caf\u00e9\"]}".getBytes(
                StandardCharsets.ISO_8859_1));
        assertEquals(latin1 + ": not UTF-8 text",
                assertThrows(IllegalArgumentException.class, () -> PolicyFile.read(latin1)).getMessage());
        assertThrows(java.nio.file.NoSuchFileException.class, () -> Policy.load(dir.resolve("missing.json")));
    }

    /// Every example in docs/policies reads, and prints back to an equal policy.
    @Test
    void theExamplesInTheDocsAreValid() throws IOException {
        Path examples = Path.of("..", "docs", "policies");
        List<Path> files;
        try (Stream<Path> s = Files.list(examples)) {
            files = s.filter(f -> f.toString().endsWith(".json")).sorted().toList();
        }
        assertEquals(3, files.size(), files::toString);
        for (Path f : files) {
            PolicyFile p = PolicyFile.read(f);
            assertEquals(p, PolicyFile.parse("printed", p.toJson()), f::toString);
            assertFalse(p.allowRead().isEmpty() && p.allowWrite().isEmpty(), f + " allows nothing");
        }
    }

    /// A loaded file, with a rule added to its builder, confines a real program: cat reads the
    /// allowed file, gets EACCES on the denied one, and cannot write where only the added rule
    /// allows reading.
    @Test
    void aLoadedPolicyConfinesARealProgram() throws Exception {
        Requires.that(Features.seccompUserNotification().available(), Features.seccompUserNotification().reason());
        Requires.that(Files.isExecutable(Path.of("/bin/sh")), "needs /bin/sh");
        Path tree = Files.createDirectories(dir.resolve("tree")).toRealPath();
        Files.writeString(tree.resolve("open.txt"), "visible\n");
        Path secret = Files.createDirectories(tree.resolve("secret"));
        Files.writeString(secret.resolve("key"), "TOKEN-file\n");
        Path extra = Files.createDirectories(dir.resolve("extra")).toRealPath();
        Files.writeString(extra.resolve("more.txt"), "more\n");
        Path file = Files.writeString(dir.resolve("policy.json"), """
                {
                  "allow_read": ["/usr", "/bin", "/lib", "/lib64", "/etc/ld.so.cache", "%s"],
                  "deny": ["%s"],
                  "network": {"none": true}
                }
                """.formatted(tree, secret));
        Path out = dir.resolve("out");
        Path err = dir.resolve("err");
        String script = "cat " + tree + "/open.txt " + extra + "/more.txt; cat " + secret + "/key; echo cat=$?; "
                + "echo x > " + extra + "/new; echo write=$?";
        try (Policy policy = Policy.load(file).allowRead(extra).build();
                Sandbox sandbox = Sandbox.start(Spawn.program("/bin/sh").args("-c", script)
                        .stdout(Redirect.file(out)).stderr(Redirect.file(err)), policy)) {
            sandbox.serve(policy, null, 1);
        }
        String r = Files.readString(out) + Files.readString(err);
        assertTrue(r.startsWith("visible\nmore\ncat=1\nwrite=2\n"), r);
        assertFalse(r.contains("TOKEN"), r);
        assertTrue(r.contains(secret + "/key: Permission denied"), r);
        assertFalse(Files.exists(extra.resolve("new")), r);
    }
}
