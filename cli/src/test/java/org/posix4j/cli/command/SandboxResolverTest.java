package org.posix4j.cli.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.posix4j.cli.command.RunCommandTest.concat;
import static org.posix4j.cli.command.RunCommandTest.concurrently;
import static org.posix4j.cli.command.SandboxNetworkTest.audit;
import static org.posix4j.cli.command.SandboxNetworkTest.only;
import static org.posix4j.cli.command.SandboxProgramsTest.inside;
import static org.posix4j.cli.command.SandboxProgramsTest.run;
import static org.posix4j.cli.command.SandboxProgramsTest.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.posix4j.Errno;
import org.posix4j.cli.command.SandboxProgramsTest.Sandboxed;
import org.posix4j.cli.testing.ChildProcess;
import org.posix4j.cli.testing.ChildProcess.Result;
import org.posix4j.cli.testing.Requires;
import org.posix4j.landlock.Landlock;
import org.posix4j.testing.ScaledTimeout;

/// `--allow-resolve`: a Java program ([SandboxResolverLookup]) run by the test JDK's `java`
/// inside the sandbox, with posix4j on its class path, looks names up with
/// [InetAddress#getAllByName]; the sandbox sets `POSIX4J_BROKER=1`, so the lookups go to the
/// master through posix4j's resolver provider, and the audit has a getaddrinfo line for each.
///
/// Where the answer must come from a hosts file of the test's own, the whole sandbox runs in a
/// mount namespace of its own (unshare(1)) with that file bind-mounted over /etc/hosts and an
/// nsswitch.conf of `hosts: files` (no DNS query leaves the machine); getent(1) in the same
/// kind of namespace gives the reference answer. The sandboxed JVM itself may not read
/// /etc/hosts: whatever it learns comes from the master.
@ScaledTimeout(120)
class SandboxResolverTest {
    /// The test's hosts file: two names with several addresses, one name never allowed.
    private static final String HOSTS = """
            127.0.0.1 localhost
            ::1 localhost
            127.0.0.2 multi.test
            127.0.0.3 multi.test
            ::1 multi.test
            127.0.0.4 denied.test
            """;

    /// The JVM option that makes the JDK look up IPv4 addresses only.
    private static final List<String> IPV4_ONLY = List.of("-Djava.net.preferIPv4Stack=true");

    @BeforeAll
    static void root() throws Exception {
        Requires.that(ChildProcess.output("id", "-u").equals("0"), "needs root for unshare -m (CI runs as root)");
        Requires.programs("sh", "unshare", "mount", "getent");
    }

    /// The JVM inside asks for IPv4 addresses only (`-Djava.net.preferIPv4Stack=true`, so that
    /// its lookup policy does not depend on what it can learn of the machine's IPv6). With
    /// `--allow-resolve localhost`, localhost resolves inside to the IPv4 addresses the test
    /// JVM gets for it. In the test's hosts file namespace, with localhost and multi.test
    /// allowed: multi.test comes back with both of its IPv4 addresses and localhost with its
    /// own, as getent(1) answers them; denied.test, which getent resolves, is an
    /// UnknownHostException. With `--allow-resolve '*'`: denied.test resolves, and
    /// nonexistent.invalid is an UnknownHostException. The audit has one getaddrinfo line per
    /// lookup with the node, the decision, the number of addresses the master found (IPv6 ones
    /// too: the program's JDK drops those) as result and EAI_NONAME for the name nobody knows.
    @Test
    void javaProgramResolvesOnlyAllowedNames(@TempDir Path tmp) throws Exception {
        Path hosts = Files.writeString(tmp.resolve("hosts"), HOSTS);
        Path nsswitch = Files.writeString(tmp.resolve("nsswitch.conf"), "hosts: files\n");
        List<Callable<Sandboxed>> runs = List.of(
                () -> inside(tmp, concat(javaAllowances(), List.of("--allow-resolve", "localhost")),
                        lookup(IPV4_ONLY, "localhost")),
                () -> inNamespace(tmp, hosts, nsswitch, List.of("--allow-resolve", "localhost", "--allow-resolve",
                        "multi.test"), lookup(IPV4_ONLY, "multi.test", "denied.test", "localhost")),
                () -> inNamespace(tmp, hosts, nsswitch, List.of("--allow-resolve", "*"),
                        lookup(IPV4_ONLY, "denied.test", "nonexistent.invalid")));
        List<Sandboxed> results = concurrently(runs);

        String local = Arrays.stream(InetAddress.getAllByName("localhost")).filter(a -> a instanceof Inet4Address)
                .map(InetAddress::getHostAddress).sorted().collect(Collectors.joining(" "));
        assertAnswer("localhost: " + local + "\n", results.get(0));
        List<String> multi = ipv4(getent(hosts, nsswitch, "multi.test"));
        assertEquals(List.of("127.0.0.2", "127.0.0.3"), multi);
        assertEquals(List.of("127.0.0.1"), ipv4(getent(hosts, nsswitch, "localhost")));
        assertEquals(List.of("127.0.0.4"), getent(hosts, nsswitch, "denied.test"));
        assertEquals(List.of(), getent(hosts, nsswitch, "nonexistent.invalid"));
        assertAnswer("multi.test: 127.0.0.2 127.0.0.3\ndenied.test: UnknownHostException\nlocalhost: 127.0.0.1\n",
                results.get(1));
        assertAnswer("denied.test: 127.0.0.4\nnonexistent.invalid: UnknownHostException\n", results.get(2));

        List<JsonNode> first = audit(results.get(0).audit());
        JsonNode localhost = lookupLine(first, "localhost");
        assertEquals("allow", localhost.get("decision").asText(), localhost::toString);
        // The master answers every address it finds; the program's JDK keeps those it asked for.
        assertEquals(InetAddress.getAllByName("localhost").length, localhost.get("result").asInt(),
                localhost::toString);

        List<JsonNode> second = audit(results.get(1).audit());
        JsonNode multiLine = lookupLine(second, "multi.test");
        assertEquals("allow", multiLine.get("decision").asText(), multiLine::toString);
        assertEquals(getent(hosts, nsswitch, "multi.test").size(), multiLine.get("result").asInt(),
                multiLine::toString);
        assertTrue(multiLine.get("errno").isNull(), multiLine::toString);
        JsonNode denied = lookupLine(second, "denied.test");
        assertEquals("deny", denied.get("decision").asText(), denied::toString);
        assertTrue(!denied.get("errno").isNull(), denied::toString);

        List<JsonNode> third = audit(results.get(2).audit());
        assertEquals("allow", lookupLine(third, "denied.test").get("decision").asText());
        JsonNode unknown = lookupLine(third, "nonexistent.invalid");
        assertEquals("allow", unknown.get("decision").asText(), unknown::toString);
        assertEquals("EAI_NONAME", unknown.get("errno").asText(), unknown::toString);
    }

    /// A JVM with its default lookup policy (IPv4 and IPv6) inside the sandbox gets every
    /// address of a name, IPv6 included: multi.test and localhost of the test's hosts file
    /// come back as getent(1) answers them, ::1 among them. The JDK asks for IPv6 addresses
    /// only when it finds IPv6 usable, which on Linux it learns by reading /proc/net/if_inet6;
    /// /proc/net is a symlink to self/net, so that is the JVM's own /proc/PID/net/if_inet6,
    /// which the defaults allow: refused, the JDK falls back to IPv4 only and drops ::1.
    @Test
    void aJvmSeesTheIpv6AddressesToo(@TempDir Path tmp) throws Exception {
        Path hosts = Files.writeString(tmp.resolve("hosts"), HOSTS);
        Path nsswitch = Files.writeString(tmp.resolve("nsswitch.conf"), "hosts: files\n");
        Sandboxed s = inNamespace(tmp, hosts, nsswitch, List.of("--allow-resolve", "localhost", "--allow-resolve",
                "multi.test"), lookup(List.of(), "multi.test", "localhost"));
        List<String> multi = getent(hosts, nsswitch, "multi.test");
        List<String> localhost = getent(hosts, nsswitch, "localhost");
        assertEquals(List.of("0:0:0:0:0:0:0:1", "127.0.0.2", "127.0.0.3"), multi);
        assertEquals(List.of("0:0:0:0:0:0:0:1", "127.0.0.1"), localhost);
        assertAnswer("multi.test: " + String.join(" ", multi) + "\nlocalhost: " + String.join(" ", localhost) + "\n",
                s);
        assertEquals(3, lookupLine(audit(s.audit()), "multi.test").get("result").asInt());
    }

    /// Kernel mode (what auto takes with the defaults) answers a Java program's lookups too:
    /// they reach posix4j as readlink calls, which a policy allowing lookups keeps with the
    /// broker. multi.test resolves to both of its addresses and denied.test does not, as in
    /// broker mode, and the audit has the allowed lookup. Before, kernel mode left readlink to
    /// the kernel and every lookup failed ("the broker did not answer").
    @Test
    void lookupsAreAnsweredInKernelMode(@TempDir Path tmp) throws Exception {
        Requires.that(Landlock.abi() >= 3, "kernel mode needs Landlock ABI 3");
        Path hosts = Files.writeString(tmp.resolve("hosts"), HOSTS);
        Path nsswitch = Files.writeString(tmp.resolve("nsswitch.conf"), "hosts: files\n");
        Sandboxed s = inNamespace(tmp, hosts, nsswitch, List.of("--enforce", "kernel", "--allow-resolve", "multi.test"),
                lookup(IPV4_ONLY, "multi.test", "denied.test"));
        assertAnswer("multi.test: 127.0.0.2 127.0.0.3\ndenied.test: UnknownHostException\n", s);
        assertEquals("allow", lookupLine(audit(s.audit()), "multi.test").get("decision").asText());
    }

    /// The IPv4 addresses among `addresses`.
    private static List<String> ipv4(List<String> addresses) {
        return addresses.stream().filter(a -> !a.contains(":")).toList();
    }

    /// Asserts that the lookup program printed `expected` and exited 0.
    private static void assertAnswer(String expected, Sandboxed s) {
        assertEquals(expected, s.result().stdout(), s::describe);
        assertEquals(0, s.result().exitCode(), s::describe);
    }

    /// The one getaddrinfo line of `node`.
    private static JsonNode lookupLine(List<JsonNode> lines, String node) {
        return only(lines, "getaddrinfo", l -> l.at("/arguments/node").asText().equals(node));
    }

    /// The command line of the test JDK's java with `jvmOptions` running [SandboxResolverLookup]
    /// on `names`.
    private static List<String> lookup(List<String> jvmOptions, String... names) throws URISyntaxException {
        return concat(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED", "-Xshare:auto", "-XX:TieredStopAtLevel=1", "-XX:-UsePerfData"),
                jvmOptions, List.of("-cp", String.join(":", classPath()), SandboxResolverLookup.class.getName()),
                List.of(names));
    }

    /// Where the lookup program and posix4j (with its resolver provider) are.
    private static List<String> classPath() throws URISyntaxException {
        return List.of(location(SandboxResolverLookup.class), location(Errno.class));
    }

    private static String location(Class<?> c) throws URISyntaxException {
        return Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
    }

    /// What the JVM inside needs to read: the JDK and the class path.
    private static List<String> javaAllowances() throws URISyntaxException {
        List<String> options = new ArrayList<>(List.of("--allow-read", System.getProperty("java.home")));
        for (String entry : classPath()) {
            options.addAll(List.of("--allow-read", entry));
        }
        return options;
    }

    /// `command` in a new mount namespace with `hosts` over /etc/hosts and `nsswitch` over
    /// /etc/nsswitch.conf.
    private static List<String> namespace(Path hosts, Path nsswitch, List<String> command) {
        return concat(List.of("unshare", "-m", "--propagation", "private", "sh", "-c",
                "mount --bind \"$1\" /etc/hosts && mount --bind \"$2\" /etc/nsswitch.conf && shift 2 && exec \"$@\"",
                "sh", hosts.toString(), nsswitch.toString()), command);
    }

    /// Runs `posix4j sandbox OPTIONS --audit FILE -- PROGRAM` in the hosts file's namespace.
    private static Sandboxed inNamespace(Path tmp, Path hosts, Path nsswitch, List<String> options,
            List<String> program) throws IOException, InterruptedException, URISyntaxException {
        Path audit = tmp.resolve("audit-ns-" + System.nanoTime() + ".jsonl");
        List<String> command = namespace(hosts, nsswitch,
                sandbox(concat(javaAllowances(), options, List.of("--audit", audit.toString())), program));
        return new Sandboxed(run(command, Map.of()), audit);
    }

    /// The addresses getent(1) answers for `name` in the hosts file's namespace, as
    /// [InetAddress#getHostAddress] writes them, sorted; none when it knows no such name.
    private static List<String> getent(Path hosts, Path nsswitch, String name) throws Exception {
        Result r = ChildProcess.run(namespace(hosts, nsswitch, List.of("getent", "ahosts", name)));
        assertTrue(r.exitCode() == 0 || r.exitCode() == 2, r::toString);
        List<String> addresses = new ArrayList<>();
        for (String line : r.stdout().lines().toList()) {
            String address = InetAddress.getByName(line.split("\\s+")[0]).getHostAddress();
            if (!addresses.contains(address)) {
                addresses.add(address);
            }
        }
        addresses.sort(null);
        return addresses;
    }
}
