package org.posix4j.cli.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.posix4j.cli.command.RunCommandTest.concat;
import static org.posix4j.cli.command.RunCommandTest.concurrently;
import static org.posix4j.cli.command.SandboxProgramsTest.environment;
import static org.posix4j.cli.command.SandboxProgramsTest.outside;
import static org.posix4j.cli.command.SandboxProgramsTest.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Predicate;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.posix4j.cli.command.SandboxAttackTest.Mode;
import org.posix4j.cli.command.SandboxProgramsTest.Sandboxed;
import org.posix4j.cli.testing.ChildProcess;
import org.posix4j.cli.testing.ChildProcess.Result;
import org.posix4j.cli.testing.Gcc;
import org.posix4j.cli.testing.Requires;
import org.posix4j.testing.ScaledTimeout;
import org.posix4j.testing.TimeFactor;

/// The network part of `posix4j sandbox` (`--allow-connect`, `--allow-bind`, `--no-network`),
/// checked with real peers on loopback that the test starts outside the sandbox: python3's
/// http.server, a python3 peer serving TCP, UDP and unix sockets (resource `peer.py`, which logs
/// every connection and datagram it gets), and real clients inside: curl, and a C program of
/// ours (`net.c`) that makes each call the way a program would and prints its errno.
///
/// What a peer received is read from its own log, never from what the sandboxed program says; a
/// run outside the sandbox of the same command gives the kernel's own answer to compare with.
/// The hostile cases: malformed addresses, and an address or a symlink that changes while the
/// call is under way (the denied peer's log must stay empty). The broker decides the network in
/// every [Mode]; two representative cases (unix sockets, `--no-network`) run in each mode.
@ScaledTimeout(120)
class SandboxNetworkTest {
    /// Where the C program and the scripts are on the test class path.
    static final String NETWORK = "sandbox/network/";
    private static final String PYTHON = "/usr/bin/python3";

    @BeforeAll
    static void root() throws Exception {
        Requires.that(ChildProcess.output("id", "-u").equals("0"), "needs root (CI runs as root)");
        Requires.that(Files.isExecutable(Path.of(PYTHON)), "needs " + PYTHON + " for the peers");
        Requires.programs("sh", "stat");
    }

    /// A real HTTP client inside the sandbox (curl; python3's urllib where curl is missing)
    /// fetches a file with a random token from python3's http.server on loopback: with
    /// `--allow-connect 127.0.0.1:PORT`, with the CIDR form `127.0.0.0/8:PORT`, with
    /// `localhost:PORT` (a name the sandbox resolves when it starts), with a port
    /// range around PORT, and with `[::1]:PORT` and `[::1/128]:PORT` for a server bound to ::1,
    /// the token arrives as it does outside; with no network option, with another port allowed,
    /// with a range that leaves PORT out, or with an IPv4 allowance for the IPv6 server, the
    /// client's connect fails with EACCES (curl's exit 7) and the server's own log shows no
    /// request of that run (each run asks for its own query string). The audit has the
    /// connect_inet line, denied with EACCES, and the connect_inet6 line with ::1 and the port.
    @Test
    void httpClientReachesOnlyTheAllowedServer(@TempDir Path tmp) throws Exception {
        Path www = Files.createDirectory(tmp.resolve("www"));
        String token = "token-" + UUID.randomUUID();
        Files.writeString(www.resolve("token.txt"), token + "\n");
        Path scripts = Files.createDirectory(tmp.resolve("scripts"));
        Client client = Client.choose(scripts);
        try (HttpServer v4 = HttpServer.start(www, "127.0.0.1", tmp.resolve("http4.log"));
                HttpServer v6 = HttpServer.start(www, "::1", tmp.resolve("http6.log"))) {
            int p = v4.port;
            int p6 = v6.port;
            record Case(String name, String url, List<String> options, boolean allowed) {}
            String url4 = "http://127.0.0.1:" + p + "/token.txt?case=";
            String url6 = "http://[::1]:" + p6 + "/token.txt?case=";
            int other = p == 65535 ? p - 1 : p + 1;
            List<Case> cases = List.of(
                    new Case("exact", url4, List.of("--allow-connect", "127.0.0.1:" + p), true),
                    new Case("cidr", url4, List.of("--allow-connect", "127.0.0.0/8:" + p), true),
                    new Case("name", url4, List.of("--allow-connect", "localhost:" + p), true),
                    new Case("range", url4, List.of("--allow-connect",
                            "127.0.0.1:" + Math.max(1, p - 5) + "-" + Math.min(65535, p + 5)), true),
                    new Case("ipv6", url6, List.of("--allow-connect", "[::1]:" + p6), true),
                    new Case("ipv6cidr", url6, List.of("--allow-connect", "[::1/128]:" + p6), true),
                    new Case("none", url4, List.of(), false),
                    new Case("otherport", url4, List.of("--allow-connect", "127.0.0.1:" + other), false),
                    new Case("rangewithout", url4, List.of("--allow-connect",
                            "127.0.0.1:" + Math.max(1, p - 20) + "-" + (p - 1)), false),
                    new Case("ipv4forv6", url6, List.of("--allow-connect", "127.0.0.1:" + p6), false));
            List<Callable<Sandboxed>> runs = new ArrayList<>();
            for (Case c : cases) {
                runs.add(() -> inside(tmp, concat(c.options, client.options),
                        client.command(c.url + c.name)));
            }
            List<Sandboxed> results = concurrently(runs);
            Result reference = outside(client.command(url4 + "outside"));
            assertEquals(0, reference.exitCode(), reference::toString);
            assertEquals(token + "\n", reference.stdout(), reference::toString);

            for (int i = 0; i < cases.size(); i++) {
                Case c = cases.get(i);
                Sandboxed s = results.get(i);
                String what = c.name + ": " + s.describe();
                if (c.allowed) {
                    assertEquals(0, s.result().exitCode(), what);
                    assertEquals(token + "\n", s.result().stdout(), what);
                } else {
                    assertEquals(Client.REFUSED, s.result().exitCode(), what);
                    assertEquals("", s.result().stdout(), what);
                    assertTrue(s.result().stderr().contains("Permission denied"), what);
                    assertFalse(s.result().stderr().contains(token), what);
                }
            }
            Sandboxed none = results.get(6);
            JsonNode refused = only(audit(none.audit()), "connect_inet", line -> true);
            assertEquals("127.0.0.1", refused.at("/arguments/ipv4_addr").asText(), refused::toString);
            assertEquals(p, refused.at("/arguments/port").asInt(), refused::toString);
            assertEquals("deny", refused.get("decision").asText(), refused::toString);
            assertEquals("EACCES", refused.get("errno").asText(), refused::toString);
            JsonNode granted = only(audit(results.get(0).audit()), "connect_inet", line -> true);
            assertEquals("allow", granted.get("decision").asText(), granted::toString);
            // curl connects without blocking: the kernel's answer is EINPROGRESS or success.
            assertTrue(granted.get("errno").isNull() || granted.get("errno").asText().equals("EINPROGRESS"),
                    granted::toString);

            String log4 = v4.stop();
            String log6 = v6.stop();
            for (Case c : cases) {
                String request = "GET /token.txt?case=" + c.name + " ";
                String log = c.url.equals(url6) ? log6 : log4;
                assertEquals(c.allowed, log.contains(request), () -> c.name + " in the server's log:\n" + log);
            }
            // Last, as it is about the audit's format only: the specification writes ::1.
            JsonNode v6line = only(audit(results.get(4).audit()), "connect_inet6", line -> true);
            assertEquals(p6, v6line.at("/arguments/port").asInt(), v6line::toString);
            assertEquals("::1", v6line.at("/arguments/ipv6_addr").asText(), v6line::toString);
        }
    }

    /// UDP: sendto(2) and sendmsg(2) with msg_name, from a socket never connected, to the peer's
    /// UDP socket: EACCES without an allowance or with another port allowed, and the peer
    /// receives nothing; allowed, the datagram arrives (read from the peer's log). A UDP socket
    /// connected with the connect allowed then sends with send(2), no address: it arrives; the
    /// same socket's sendto(2) to another port is EACCES, although Linux would send it there.
    /// One sendmmsg(2) of two datagrams, the first to the allowed port and the second to
    /// another: the second never arrives (the call sends the first and reports 1, as the
    /// kernel reports a partial send, or is refused whole); both allowed, both arrive. The
    /// audit records sendto and sendmsg as connect_inet with their syscall.
    @Test
    void datagramsGoOnlyWhereAllowed(@TempDir Path tmp) throws Exception {
        Path net = compile(tmp);
        try (Peer peer = Peer.start(tmp, "u1=udp:127.0.0.1:0", "u2=udp:127.0.0.1:0")) {
            String u = "" + peer.port("u1");
            String u2 = "" + peer.port("u2");
            String allow = "127.0.0.1:" + u;
            String allowOther = "127.0.0.1:" + u2;
            List<String> none = ops(net,
                    List.of("sendto", "127.0.0.1", u, "case0"),
                    List.of("sendmsg", "127.0.0.1", u, "case1"),
                    List.of("connected", "127.0.0.1", u, "case2"));
            List<String> other = ops(net, List.of("sendto", "127.0.0.1", u, "case3"));
            List<String> allowed = ops(net,
                    List.of("sendto", "127.0.0.1", u, "case4"),
                    List.of("sendmsg", "127.0.0.1", u, "case5"),
                    List.of("connected", "127.0.0.1", u, "case6"),
                    List.of("redirect", "127.0.0.1", u, u2, "case7"),
                    List.of("sendmmsg", "127.0.0.1", u, u2, "case8"));
            List<String> both = ops(net, List.of("sendmmsg", "127.0.0.1", u, u2, "case9"));
            List<Sandboxed> results = concurrently(List.<Callable<Sandboxed>>of(
                    () -> inside(tmp, List.of(), none),
                    () -> inside(tmp, List.of("--allow-connect", allowOther), other),
                    () -> inside(tmp, List.of("--allow-connect", allow), allowed),
                    () -> inside(tmp, List.of("--allow-connect", allow, "--allow-connect", allowOther), both)));
            assertOutput("sendto: EACCES\nsendmsg: EACCES\nconnect: EACCES\n", results.get(0));
            assertOutput("sendto: EACCES\n", results.get(1));
            String allowedOut = results.get(2).result().stdout();
            String common = "sendto: OK\nsendmsg: OK\nconnect: OK\nsend: OK\n"
                    + "connect: OK\nsendto elsewhere: EACCES\nsend: OK\n";
            boolean partial = allowedOut.equals(common + "sendmmsg: OK 1 sent\n");
            assertTrue(partial || allowedOut.equals(common + "sendmmsg: EACCES\n"), results.get(2)::describe);
            assertOutput("sendmmsg: OK 2 sent\n", results.get(3));
            assertEquals(new Result(0, "connect: OK\nsendto elsewhere: OK\nsend: OK\n", ""),
                    outside(List.of(net.toString(), "redirect", "127.0.0.1", u, u2, "outside")));
            assertEquals(new Result(0, "sendmmsg: OK 2 sent\n", ""),
                    outside(List.of(net.toString(), "sendmmsg", "127.0.0.1", u, u2, "outside")));

            List<JsonNode> refusedLines = audit(results.get(0).audit());
            JsonNode sendto = only(refusedLines, "connect_inet", l -> l.get("syscall").asText().equals("sendto"));
            assertEquals(u, sendto.at("/arguments/port").asText(), sendto::toString);
            assertEquals("127.0.0.1", sendto.at("/arguments/ipv4_addr").asText(), sendto::toString);
            assertEquals("deny", sendto.get("decision").asText(), sendto::toString);
            JsonNode sendmsg = only(audit(results.get(2).audit()), "connect_inet",
                    l -> l.get("syscall").asText().equals("sendmsg"));
            assertEquals("allow", sendmsg.get("decision").asText(), sendmsg::toString);
            assertEquals(u, sendmsg.at("/arguments/port").asText(), sendmsg::toString);

            List<String> received = peer.finish().lines().filter(l -> l.startsWith("datagram ")).sorted().toList();
            List<String> expected = new ArrayList<>(List.of("datagram u1 case4", "datagram u1 case5",
                    "datagram u1 case6", "datagram u1 case7", "datagram u1 case9-1", "datagram u2 case9-2",
                    "datagram u1 outside", "datagram u2 outside", "datagram u1 outside-1", "datagram u2 outside-2"));
            if (partial) {
                expected.add("datagram u1 case8-1");
            }
            expected.sort(null);
            assertEquals(expected, received, "what the peer received");
        }
    }

    /// An IPv4-mapped IPv6 address is decided as the IPv4 address: with `--allow-connect
    /// 127.0.0.1:PORT`, an AF_INET6 socket connecting to ::ffff:127.0.0.1 reaches the peer, and
    /// to ::ffff:127.0.0.2 (another IPv4 address) is EACCES; `--allow-connect [::1]:PORT` does
    /// not let it reach ::ffff:127.0.0.1.
    @Test
    void mappedAddressesAreDecidedAsIpv4(@TempDir Path tmp) throws Exception {
        Path net = compile(tmp);
        try (Peer peer = Peer.start(tmp, "ok=tcp:127.0.0.1:0")) {
            String p = "" + peer.port("ok");
            List<String> mapped = List.of(net.toString(), "connect", "::ffff:127.0.0.1", p);
            List<String> mappedOther = List.of(net.toString(), "connect", "::ffff:127.0.0.2", p);
            List<Sandboxed> results = concurrently(List.<Callable<Sandboxed>>of(
                    () -> inside(tmp, List.of("--allow-connect", "127.0.0.1:" + p), mapped),
                    () -> inside(tmp, List.of("--allow-connect", "127.0.0.1:" + p), mappedOther),
                    () -> inside(tmp, List.of("--allow-connect", "[::1]:" + p), mapped)));
            Result reference = outside(mapped);
            assertEquals(new Result(0, "connect: OK read=hello from ok\n", ""), reference);
            SandboxProgramsTest.assertSame(reference, results.get(0));
            assertEquals("connect: EACCES\n", results.get(1).result().stdout(), results.get(1)::describe);
            assertEquals("connect: EACCES\n", results.get(2).result().stdout(), results.get(2)::describe);
            long accepted = peer.finish().lines().filter(l -> l.equals("accepted ok")).count();
            assertEquals(2, accepted, "the allowed run and the outside reference");
        }
    }

    /// A second thread keeps switching the port of the sockaddr a program connects with,
    /// between the allowed peer's and a denied peer's, over 300 connects: outside, both peers
    /// are reached; inside, the denied peer never is (its own log shows only the outside
    /// run's connections), while some connects reach the allowed one and others are refused
    /// with EACCES. The master decides on the bytes it read and connects to those, never
    /// letting the kernel read the address again.
    @Test
    void anAddressRewrittenDuringTheCallNeverReachesTheDeniedPeer(@TempDir Path tmp) throws Exception {
        Path net = compile(tmp);
        try (Peer peer = Peer.start(tmp, "ok=tcp:127.0.0.1:0", "bad=tcp:127.0.0.1:0")) {
            String ok = "" + peer.port("ok");
            String bad = "" + peer.port("bad");
            List<String> race = List.of(net.toString(), "race", "127.0.0.1", ok, bad, "300");
            Sandboxed s = inside(tmp, List.of("--allow-connect", "127.0.0.1:" + ok), race);
            Result reference = outside(race);
            Map<String, Integer> outsideCounts = outcomes(reference.stdout());
            Map<String, Integer> insideCounts = outcomes(s.result().stdout());
            assertTrue(outsideCounts.getOrDefault("read=hello from bad", 0) > 0, reference::toString);
            assertTrue(outsideCounts.getOrDefault("read=hello from ok", 0) > 0, reference::toString);
            assertEquals(0, s.result().exitCode(), s::describe);
            assertEquals(null, insideCounts.get("read=hello from bad"), s::describe);
            assertTrue(insideCounts.getOrDefault("read=hello from ok", 0) > 0, s::describe);
            assertTrue(insideCounts.getOrDefault("EACCES", 0) > 0, s::describe);
            assertEquals(300, insideCounts.values().stream().mapToInt(Integer::intValue).sum(), s::describe);
            long badAccepted = peer.finish().lines().filter(l -> l.equals("accepted bad")).count();
            assertEquals((long) outsideCounts.get("read=hello from bad"), badAccepted,
                    "connections the denied peer accepted: the outside run's only");
        }
    }

    /// While the test keeps swapping a symlink in an allowed directory between the allowed
    /// socket beside it and a socket in a denied directory, a program connects 300 times
    /// through the symlink, with `--allow-connect unix:DIR`: outside, both sockets are
    /// reached; inside, the denied one never is (its peer's log has only the outside run's
    /// connections), and every connect either reaches the allowed socket or is refused with
    /// EACCES. The socket the master connects to is the one it resolved and checked.
    @Test
    void aSymlinkSwappedDuringTheCallNeverReachesTheDeniedSocket(@TempDir Path tmp) throws Exception {
        Path net = compile(tmp);
        Path allowed = Files.createDirectory(tmp.resolve("allowed"));
        Path denied = Files.createDirectory(tmp.resolve("denied"));
        Path ok = allowed.resolve("ok.sock");
        Path no = denied.resolve("no.sock");
        Path flip = allowed.resolve("flip");
        Files.createSymbolicLink(flip, ok.getFileName());
        try (Peer peer = Peer.start(tmp, "ok=unix:" + ok, "no=unix:" + no)) {
            AtomicBoolean swapping = new AtomicBoolean(true);
            Thread swapper = Thread.ofPlatform().name("symlink swapper").start(() -> {
                Path next = allowed.resolve("flip.next");
                try {
                    while (swapping.get()) {
                        for (Path target : List.of(ok.getFileName(), Path.of("../denied/no.sock"))) {
                            Files.deleteIfExists(next);
                            Files.createSymbolicLink(next, target);
                            Files.move(next, flip, StandardCopyOption.ATOMIC_MOVE);
                        }
                    }
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
            List<String> loop = List.of(net.toString(), "unix-loop", flip.toString(), "300");
            Result reference;
            Sandboxed s;
            try {
                reference = outside(loop);
                s = inside(tmp, List.of("--allow-connect", "unix:" + allowed), loop);
            } finally {
                swapping.set(false);
                swapper.join();
            }
            Map<String, Integer> outsideCounts = outcomes(reference.stdout());
            Map<String, Integer> insideCounts = outcomes(s.result().stdout());
            assertTrue(outsideCounts.getOrDefault("read=hello from ok", 0) > 0, reference::toString);
            assertTrue(outsideCounts.getOrDefault("read=hello from no", 0) > 0, reference::toString);
            assertEquals(0, s.result().exitCode(), s::describe);
            assertEquals(null, insideCounts.get("read=hello from no"), s::describe);
            int reachedOrRefused = insideCounts.getOrDefault("read=hello from ok", 0)
                    + insideCounts.getOrDefault("EACCES", 0);
            assertEquals(300, reachedOrRefused, s::describe);
            long deniedAccepted = peer.finish().lines().filter(l -> l.equals("accepted no")).count();
            assertEquals((long) outsideCounts.get("read=hello from no"), deniedAccepted,
                    "connections the denied socket accepted: the outside run's only");
        }
    }

    /// The "OUTCOME: OK COUNT" lines of the race operation as a map.
    private static Map<String, Integer> outcomes(String stdout) {
        Map<String, Integer> counts = new HashMap<>();
        for (String line : stdout.lines().toList()) {
            int at = line.lastIndexOf(": OK ");
            counts.put(line.substring(0, at), Integer.parseInt(line.substring(at + ": OK ".length())));
        }
        return counts;
    }

    /// A symbolic link at an allowed socket's name tells nothing of where it leads: to a missing
    /// path outside the allowances or to an existing file there, the connect is EACCES either
    /// way, where the kernel answers ENOENT for the first (found by an audit, 2026-12-07); the
    /// allowed name with nothing there is ENOENT, as the kernel says.
    @ParameterizedTest
    @EnumSource(Mode.class)
    void aLinkAtAnAllowedSocketNameTellsNothingOfWhereItLeads(Mode mode, @TempDir Path tmp) throws Exception {
        Path net = compile(tmp);
        Path a = Files.createDirectory(tmp.resolve("a"));
        Path hidden = Files.createDirectory(tmp.resolve("hidden"));
        Files.writeString(hidden.resolve("file"), "x");
        Path name = a.resolve("s.sock");
        String script = "ln -s " + hidden + "/missing " + name + "; \"$0\" unix-connect " + name + "; rm " + name
                + "; ln -s " + hidden + "/file " + name + "; \"$0\" unix-connect " + name + "; rm " + name
                + "; \"$0\" unix-connect " + name;
        List<String> program = List.of("sh", "-c", script, net.toString());
        Sandboxed r = inside(tmp, mode.enforce("--allow-write", a.toString(), "--allow-connect", "unix:" + name),
                program);
        assertOutput("connect: EACCES\nconnect: EACCES\nconnect: ENOENT\n", r);
        assertEquals(new Result(0, "connect: ENOENT\nconnect: ECONNREFUSED\nconnect: ENOENT\n", ""), outside(program));
    }

    /// Unix sockets, with a peer serving one socket in a directory the sandbox allows, one in a
    /// directory it does not, and an abstract name: connecting to the allowed socket, directly or
    /// through a symlink beside it, works and reads the peer's greeting; the denied socket, a
    /// symlink beside the allowed one pointing to it, and the abstract name without
    /// `--allow-connect unix:@NAME` give EACCES, and the peer's log shows no connection to them.
    /// `--allow-bind unix:DIR/s.sock` lets the program create that socket (stat(1) shows a socket with
    /// the mode the program's umask leaves); binding another name in the same directory is EACCES and
    /// creates nothing. Kernel mode gives the same answers: the broker decides socket addresses in
    /// every mode (with an abstract name allowed, Landlock leaves abstract sockets unscoped, which
    /// `--explain` reports as the broker deciding them alone).
    @ParameterizedTest
    @EnumSource(Mode.class)
    void unixSocketsConnectAndBindOnlyWhereAllowed(Mode mode, @TempDir Path tmp) throws Exception {
        Path net = compile(tmp);
        Path allowed = Files.createDirectory(tmp.resolve("allowed"));
        Path denied = Files.createDirectory(tmp.resolve("denied"));
        Path binds = Files.createDirectory(tmp.resolve("binds"));
        Path ok = allowed.resolve("ok.sock");
        Path no = denied.resolve("no.sock");
        String abstractName = "@posix4j-test-" + UUID.randomUUID();
        Path linkOk = Files.createSymbolicLink(allowed.resolve("link-to-ok"), ok.getFileName());
        Path linkNo = Files.createSymbolicLink(allowed.resolve("link-to-denied"), Path.of("../denied/no.sock"));
        Path bound = binds.resolve("s.sock");
        Path unbound = binds.resolve("other.sock");
        try (Peer peer = Peer.start(tmp, "unix:" + ok, "unix:" + no, "unix:" + abstractName)) {
            List<String> connects = ops(net,
                    List.of("unix-connect", ok.toString()),
                    List.of("unix-connect", linkOk.toString()),
                    List.of("unix-connect", no.toString()),
                    List.of("unix-connect", linkNo.toString()),
                    List.of("unix-connect", abstractName));
            List<String> abstractConnect = ops(net, List.of("unix-connect", abstractName));
            List<String> ops = ops(net, List.of("unix-bind", bound.toString()),
                    List.of("unix-bind", unbound.toString()));
            // The socket file is created with the program's umask, not the master's.
            List<String> bindings = List.of("sh", "-c", "umask 027; " + ops.get(2), ops.get(3));
            List<Sandboxed> results = concurrently(List.<Callable<Sandboxed>>of(
                    () -> inside(tmp, mode.enforce("--allow-connect", "unix:" + ok), connects),
                    () -> inside(tmp, mode.enforce("--allow-connect", "unix:" + abstractName), abstractConnect),
                    () -> inside(tmp, mode.enforce("--allow-bind", "unix:" + bound), bindings)));
            String greetOk = "connect: OK read=hello from unix:" + ok + "\n";
            assertOutput(greetOk + greetOk + "connect: EACCES\nconnect: EACCES\nconnect: EACCES\n", results.get(0));
            assertOutput("connect: OK read=hello from unix:" + abstractName + "\n", results.get(1));
            assertOutput("bind: OK\nbind: EACCES\n", results.get(2));
            assertEquals("socket 750", ChildProcess.output("stat", "-c", "%F %a", bound.toString()),
                    "a socket, 0777 less the program's umask 027, as bind(2) makes it");
            assertFalse(Files.exists(unbound, LinkOption.NOFOLLOW_LINKS), "nothing at " + unbound);
            Result reference = outside(List.of(net.toString(), "unix-connect", linkNo.toString()));
            assertEquals(new Result(0, "connect: OK read=hello from unix:" + no + "\n", ""), reference);

            List<JsonNode> lines = audit(results.get(0).audit());
            JsonNode refused = only(lines, "connect_unix", withPath(linkNo.toString()));
            assertEquals("deny", refused.get("decision").asText(), refused::toString);
            assertEquals("EACCES", refused.get("errno").asText(), refused::toString);
            JsonNode abstractLine = only(lines, "connect_unix", withPath(abstractName));
            assertEquals("deny", abstractLine.get("decision").asText(), abstractLine::toString);
            JsonNode bindLine = only(audit(results.get(2).audit()), "bind_unix", withPath(bound.toString()));
            assertEquals("allow", bindLine.get("decision").asText(), bindLine::toString);

            List<String> accepted = peer.finish().lines().filter(l -> l.startsWith("accepted ")).sorted().toList();
            List<String> expected = new ArrayList<>(List.of("accepted unix:" + no, "accepted unix:" + ok,
                    "accepted unix:" + ok, "accepted unix:" + abstractName));
            expected.sort(null);
            assertEquals(expected, accepted, "the denied socket was reached only by the outside reference");
        }
    }

    /// `--allow-bind 127.0.0.1:0` lets a server in the sandbox bind an ephemeral port, listen
    /// and accept: the test connects to the port it printed and they exchange a line each way.
    /// Under the same allowance, binding a named port is EACCES (outside, the same program binds
    /// it), and with no option even port 0 is EACCES.
    @Test
    void serverBindsOnlyTheAllowedPort(@TempDir Path tmp) throws Exception {
        Path net = compile(tmp);
        int free;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            free = probe.getLocalPort();
        }
        List<String> allowEphemeral = List.of("--allow-bind", "127.0.0.1:0");
        Path audit = tmp.resolve("serve.jsonl");
        ProcessBuilder builder = new ProcessBuilder(sandbox(
                concat(allowEphemeral, List.of("--audit", audit.toString())),
                List.of(net.toString(), "serve", "127.0.0.1", "0")));
        builder.environment().clear();
        builder.environment().putAll(environment(Map.of()));
        try (ChildProcess server = ChildProcess.start(builder)) {
            String[] listening = server.readUntil("listen: OK port ");
            assertEquals("bind: OK\n", listening[0]);
            int port = Integer.parseInt(listening[1]);
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), TimeFactor.millis(5000));
                s.setSoTimeout(TimeFactor.millis(5000));
                BufferedReader in = new BufferedReader(
                        new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8));
                assertEquals("served from inside", in.readLine());
                OutputStream out = s.getOutputStream();
                out.write("from the test\n".getBytes(StandardCharsets.UTF_8));
                out.flush();
            }
            Result r = server.finish();
            // The listen line was read above.
            assertEquals(new Result(0, "bind: OK\naccept: OK read=from the test\n", ""), r);
        }
        JsonNode bind = only(audit(audit), "bind_inet", line -> true);
        assertEquals("127.0.0.1", bind.at("/arguments/ipv4_addr").asText(), bind::toString);
        assertEquals(0, bind.at("/arguments/port").asInt(), bind::toString);
        assertEquals("allow", bind.get("decision").asText(), bind::toString);

        List<String> named = List.of(net.toString(), "bind", "127.0.0.1", "" + free);
        List<String> ephemeral = List.of(net.toString(), "bind", "127.0.0.1", "0");
        List<Sandboxed> results = concurrently(List.<Callable<Sandboxed>>of(
                () -> inside(tmp, allowEphemeral, named), () -> inside(tmp, List.of(), ephemeral)));
        assertEquals("bind: EACCES\n", results.get(0).result().stdout(), results.get(0)::describe);
        assertEquals("bind: EACCES\n", results.get(1).result().stdout(), results.get(1)::describe);
        assertEquals(new Result(0, "bind: OK the port asked for\n", ""), outside(named));
    }

    /// A non-blocking connect, allowed, gets EINPROGRESS, then poll(2) reports POLLOUT, SO_ERROR
    /// is 0 and the peer's greeting arrives, as outside. A blocking connect to a peer whose
    /// accept queue is full (the kernel drops the SYNs, so it stays pending) does not stall the
    /// program's other thread: it opens a file at least 100 times in 500 ms meanwhile, and the
    /// connect ends as the kernel ends it, with EINPROGRESS when its 2 s SO_SNDTIMEO is over.
    @Test
    void nonBlockingAndPendingConnects(@TempDir Path tmp) throws Exception {
        Path net = compile(tmp);
        Path data = Files.createDirectory(tmp.resolve("data"));
        Path file = Files.writeString(data.resolve("f.txt"), "x\n");
        try (Peer peer = Peer.start(tmp, "tcp:127.0.0.1:0", "tcp-full:127.0.0.1:0")) {
            int t = peer.port("tcp:127.0.0.1:0");
            int full = peer.port("tcp-full:127.0.0.1:0");
            List<String> nb = List.of(net.toString(), "nbconnect", "127.0.0.1", "" + t);
            List<String> pending = List.of(net.toString(), "pending", "127.0.0.1", "" + full, file.toString());
            List<Sandboxed> results = concurrently(List.<Callable<Sandboxed>>of(
                    () -> inside(tmp, List.of("--allow-connect", "127.0.0.1:" + t), nb),
                    () -> inside(tmp, List.of("--allow-connect", "127.0.0.1:" + full, "--allow-read", data.toString()),
                            pending)));
            Result nbOutside = outside(nb);
            assertEquals(new Result(0, "connect: EINPROGRESS\npoll: OK 1 ready, revents POLLOUT\n"
                    + "getsockopt: OK SO_ERROR=0\nread: OK read=hello from tcp:127.0.0.1:0\n", ""), nbOutside);
            SandboxProgramsTest.assertSame(nbOutside, results.get(0));

            Result pendingOutside = outside(pending);
            assertEquals(new Result(0, "opens while the connect was pending: OK 100 or more, none failed\n"
                    + "connect: EINPROGRESS\n", ""), pendingOutside);
            SandboxProgramsTest.assertSame(pendingOutside, results.get(1));
            JsonNode connect = only(audit(results.get(1).audit()), "connect_inet", line -> true);
            assertEquals(full, connect.at("/arguments/port").asInt(), connect::toString);
            assertEquals("allow", connect.get("decision").asText(), connect::toString);
            assertEquals("EINPROGRESS", connect.get("errno").asText(), connect::toString);

            List<String> accepted = peer.finish().lines().filter(l -> l.startsWith("accepted ")).toList();
            assertEquals(List.of("accepted tcp:127.0.0.1:0", "accepted tcp:127.0.0.1:0"), accepted);
        }
    }

    /// Malformed and mismatched addresses from a C program, all in one run, each printed with
    /// its errno: addrlen 0, 1, 8 and 129 for AF_INET, 2 and 129 for AF_UNIX, a short address
    /// to sendto, a unix path whose addrlen ends before the NUL with other bytes after it, a
    /// connect on /dev/null (ENOTSOCK) and on a descriptor not open (EBADF), addresses in
    /// unmapped memory (EFAULT), a sendmsg msg_namelen of 129 (which the kernel cuts down to
    /// 128 and sends), an AF_INET address on an AF_UNIX socket and the reverse, AF_UNSPEC on a
    /// UDP socket. With the well-formed addresses allowed, every line is the kernel's, as the
    /// same program prints outside; the unknown family 12345 alone is EACCES inside (the policy
    /// cannot allow what it cannot name), where the kernel says EAFNOSUPPORT. Well-formed
    /// connects after them all still work: the sandbox kept serving. A unix path that fills
    /// sun_path's 108 bytes with no NUL connects as outside.
    @Test
    void malformedAddressesGetTheKernelsErrno(@TempDir Path tmp) throws Exception {
        Path net = compile(tmp);
        Path sockets = Files.createDirectory(tmp.resolve("s"));
        Path ok = sockets.resolve("ok.sock");
        String prefix = sockets + "/long-";
        Path longPath = Path.of(prefix + "x".repeat(108 - prefix.length()));
        assertEquals(108, longPath.toString().length());
        try (Peer peer = Peer.start(tmp, "tcp:127.0.0.1:0", "unix:" + ok, "unix:" + longPath)) {
            int t = peer.port("tcp:127.0.0.1:0");
            List<String> malformed = List.of(net.toString(), "malformed", "127.0.0.1", "" + t, ok.toString());
            List<String> full = List.of(net.toString(), "unix-connect", longPath.toString());
            List<String> options = List.of("--allow-connect", "127.0.0.1:" + t, "--allow-connect", "unix:" + ok,
                    "--allow-connect", "unix:" + longPath);
            List<Sandboxed> results = concurrently(List.<Callable<Sandboxed>>of(
                    () -> inside(tmp, options, malformed), () -> inside(tmp, options, full)));
            Result kernel = outside(malformed);
            String unknownFamily = "family 12345 on an inet socket: ";
            assertEquals(new Result(0, String.join("\n",
                    "inet addrlen 0: EINVAL",
                    "inet addrlen 1: EINVAL",
                    "inet addrlen 8: EINVAL",
                    "inet addrlen 129: EINVAL",
                    "udp addrlen 129: EINVAL",
                    "unix addrlen 2: EINVAL",
                    "unix addrlen 129: EINVAL",
                    "unix addrlen without the NUL, other bytes after: OK",
                    "sendto addrlen 3: EINVAL",
                    "connect on /dev/null: ENOTSOCK",
                    "connect on a descriptor not open: EBADF",
                    "inet address unmapped: EFAULT",
                    "sendmsg msg_name unmapped: EFAULT",
                    // The kernel cuts msg_namelen down to 128 rather than refuse it.
                    "sendmsg msg_namelen 129: OK",
                    "inet address on a unix socket: EINVAL",
                    "unix address on an inet socket: EAFNOSUPPORT",
                    unknownFamily + "EAFNOSUPPORT",
                    "AF_UNSPEC on a UDP socket: OK",
                    "well-formed unix: OK",
                    "well-formed inet: OK",
                    ""), ""), kernel);
            Result expected = new Result(0, kernel.stdout().replace(unknownFamily + "EAFNOSUPPORT",
                    unknownFamily + "EACCES"), "");
            SandboxProgramsTest.assertSame(expected, results.get(0));
            Result fullOutside = outside(full);
            assertEquals(new Result(0, "connect: OK read=hello from unix:" + longPath + "\n", ""), fullOutside);
            SandboxProgramsTest.assertSame(fullOutside, results.get(1));
            peer.finish();
        }
    }

    /// Socket options with which the kernel would send where the master never decided: a loose
    /// source route (IP_OPTIONS, or per message an IP_RETOPTS control message) sends each packet
    /// to its first hop, whatever address the call named; a multicast join has the kernel send
    /// IGMP or MLD reports naming the group, with `--no-network` too; an IPv6 routing header.
    /// Each is refused with EPERM in every mode, where the kernel outside takes it; the socket
    /// holds no IP options afterwards (getsockopt: the kernel's record), options that route
    /// nothing still work, and the plain datagram reaches the peer (its log) while the routed
    /// one was never sent.
    @ParameterizedTest
    @EnumSource(Mode.class)
    void optionsThatRouteOrJoinAreRefused(Mode mode, @TempDir Path tmp) throws Exception {
        Path net = compile(tmp);
        try (Peer peer = Peer.start(tmp, "udp:127.0.0.1:0")) {
            String u = "" + peer.port("udp:127.0.0.1:0");
            List<String> join = List.of("join", "239.1.2.3", "ff15::1234");
            List<String> program = ops(net, List.of("routed", "127.0.0.1", u, "127.0.0.2", "plain"), join);
            List<Sandboxed> results = concurrently(List.<Callable<Sandboxed>>of(
                    () -> inside(tmp, mode.enforce("--allow-connect", "127.0.0.1:" + u), program),
                    () -> inside(tmp, mode.enforce("--no-network"), ops(net, join))));
            String joins = "setsockopt IP_MULTICAST_TTL: OK\nsetsockopt IP_ADD_MEMBERSHIP: EPERM\n"
                    + "setsockopt MCAST_JOIN_GROUP: EPERM\nsetsockopt IPV6_ADD_MEMBERSHIP: EPERM\n"
                    + "setsockopt IPV6_RTHDR: EPERM\n";
            assertOutput("setsockopt SO_REUSEADDR: OK\nsetsockopt IP_TOS: OK\nsetsockopt IP_OPTIONS: EPERM\n"
                    + "getsockopt IP_OPTIONS: OK 0 bytes\nsendmsg IP_RETOPTS: EPERM\nsendto: OK\n" + joins,
                    results.get(0));
            assertOutput(joins, results.get(1));
            Result kernel = outside(ops(net, List.of("routed", "127.0.0.1", u, "127.0.0.2", "outside"), join));
            assertTrue(kernel.stdout().startsWith("setsockopt SO_REUSEADDR: OK\nsetsockopt IP_TOS: OK\n"
                    + "setsockopt IP_OPTIONS: OK\ngetsockopt IP_OPTIONS: OK 8 bytes\nsendmsg IP_RETOPTS: OK\n"),
                    kernel::toString);
            assertFalse(kernel.stdout().contains("ADD_MEMBERSHIP: EPERM"), kernel::toString);
            List<String> received = peer.finish().lines().filter(l -> l.startsWith("datagram")).toList();
            assertTrue(received.contains("datagram udp:127.0.0.1:0 plain"), received::toString);
            assertFalse(received.contains("datagram udp:127.0.0.1:0 plain-routed"), received::toString);
        }
    }

    /// `--no-network` refuses everything, even a call that `--allow-connect` and `--allow-bind`
    /// given with it would allow: a TCP connect, a UDP sendto, a unix connect and a bind, each
    /// EACCES, nothing reaches the peer, and the audit records each with its family, address
    /// and port (or path) and decision deny.
    @ParameterizedTest
    @EnumSource(Mode.class)
    void noNetworkRefusesEverything(Mode mode, @TempDir Path tmp) throws Exception {
        Path net = compile(tmp);
        Path ok = tmp.resolve("ok.sock");
        try (Peer peer = Peer.start(tmp, "tcp:127.0.0.1:0", "udp:127.0.0.1:0", "unix:" + ok)) {
            int t = peer.port("tcp:127.0.0.1:0");
            int u = peer.port("udp:127.0.0.1:0");
            String script = "\"$0\" connect 127.0.0.1 $1; \"$0\" sendto 127.0.0.1 $2 nonet; "
                    + "\"$0\" unix-connect \"$3\"; \"$0\" bind 127.0.0.1 0";
            List<String> program = List.of("sh", "-c", script, net.toString(), "" + t, "" + u, ok.toString());
            List<String> allowances = List.of("--allow-connect", "127.0.0.1:" + t, "--allow-connect",
                    "127.0.0.1:" + u, "--allow-connect", "unix:" + ok, "--allow-bind", "127.0.0.1:0");
            List<Sandboxed> results = concurrently(List.<Callable<Sandboxed>>of(
                    () -> inside(tmp, mode.enforce("--no-network"), program),
                    () -> inside(tmp, concat(mode.enforce("--no-network"), allowances), program)));
            Sandboxed plain = results.get(0);
            assertEquals(new Result(0, "connect: EACCES\nsendto: EACCES\nconnect: EACCES\nbind: EACCES\n", ""),
                    plain.result(), plain::describe);
            // Whether the combination is a usage error or a run that refuses, nothing may connect.
            Sandboxed combined = results.get(1);
            assertFalse(combined.result().stdout().contains("OK"), combined::describe);
            assertEquals(new Result(0, "connect: OK read=hello from tcp:127.0.0.1:0\nsendto: OK\n"
                    + "connect: OK read=hello from unix:" + ok + "\nbind: OK an ephemeral port\n", ""),
                    outside(program));

            List<JsonNode> lines = audit(plain.audit());
            JsonNode connect = only(lines, "connect_inet", l -> l.get("syscall").asText().equals("connect"));
            assertEquals("127.0.0.1", connect.at("/arguments/ipv4_addr").asText(), connect::toString);
            assertEquals(t, connect.at("/arguments/port").asInt(), connect::toString);
            JsonNode sendto = only(lines, "connect_inet", l -> l.get("syscall").asText().equals("sendto"));
            assertEquals(u, sendto.at("/arguments/port").asInt(), sendto::toString);
            JsonNode unix = only(lines, "connect_unix", l -> true);
            assertEquals(ok.toString(), unix.at("/arguments/path").asText(), unix::toString);
            JsonNode bind = only(lines, "bind_inet", l -> true);
            assertEquals(0, bind.at("/arguments/port").asInt(), bind::toString);
            for (JsonNode line : List.of(connect, sendto, unix, bind)) {
                assertEquals("deny", line.get("decision").asText(), line::toString);
                assertEquals("EACCES", line.get("errno").asText(), line::toString);
                assertEquals(-1, line.get("result").asInt(), line::toString);
            }
            String log = peer.finish();
            List<String> reached = log.lines()
                    .filter(l -> l.startsWith("accepted") || l.startsWith("datagram")).toList();
            assertEquals(List.of("accepted tcp:127.0.0.1:0", "datagram udp:127.0.0.1:0 nonet",
                    "accepted unix:" + ok), reached, "only the outside reference reached the peer");
        }
    }

    /// A malformed `--allow-connect` or `--allow-bind` value (no port, a port above 65535, a
    /// prefix longer than the address, a port that is not a number) is a wrong command line:
    /// exit status 2, a message naming the value, and the program never runs. A well-formed
    /// name that does not resolve is posix4j's failure before starting the program: 125.
    @Test
    void malformedAllowancesAreUsageErrors(@TempDir Path tmp) throws Exception {
        record Case(String option, String value, int status) {}
        List<Case> cases = List.of(
                new Case("--allow-connect", "127.0.0.1", 2),
                new Case("--allow-connect", "10.0.0.0/33:80", 2),
                new Case("--allow-bind", "127.0.0.1:65536", 2),
                new Case("--allow-connect", "nonexistent.invalid:80", 125));
        List<Callable<Result>> runs = new ArrayList<>();
        for (Case c : cases) {
            runs.add(() -> SandboxProgramsTest.run(sandbox(List.of(c.option, c.value), List.of("sh", "-c", "echo ran")),
                    Map.of()));
        }
        List<Result> results = concurrently(runs);
        for (int i = 0; i < cases.size(); i++) {
            Case c = cases.get(i);
            Result r = results.get(i);
            assertEquals("", r.stdout(), () -> c + ": " + r);
            assertTrue(r.stderr().contains(c.value), () -> c + ": " + r);
            assertEquals(c.status, r.exitCode(), () -> c + ": " + r);
        }
    }

    /// Accepts the audit lines whose arguments have `path`.
    static Predicate<JsonNode> withPath(String path) {
        return line -> line.at("/arguments/path").asText().equals(path);
    }

    /// Asserts that a sandboxed run printed `stdout` and exited 0.
    static void assertOutput(String stdout, Sandboxed s) {
        assertEquals(stdout, s.result().stdout(), s::describe);
        assertEquals(0, s.result().exitCode(), s::describe);
    }

    /// A `sh -c` command line running net.c once per operation in `operations`, one after the
    /// other (each operation: its name and arguments, none with a quote in it).
    @SafeVarargs
    static List<String> ops(Path net, List<String>... operations) {
        StringBuilder script = new StringBuilder();
        for (List<String> op : operations) {
            script.append("\"$0\"");
            for (String arg : op) {
                script.append(" '").append(arg).append("'");
            }
            script.append("; ");
        }
        return List.of("sh", "-c", script.toString(), net.toString());
    }

    /// [SandboxProgramsTest#inside] with `tmp/bin`, where [#compile] puts net, readable when it exists: the
    /// scripts run it by its path, and a program may execute only what it may read.
    static Sandboxed inside(Path tmp, List<String> options, List<String> program)
            throws IOException, InterruptedException {
        Path bin = tmp.resolve("bin");
        return SandboxProgramsTest.inside(tmp,
                Files.isDirectory(bin) ? concat(List.of("--allow-read", bin.toString()), options) : options, program);
    }

    /// Compiles net.c into `tmp/bin`.
    static Path compile(Path tmp) throws IOException {
        Path bin = Files.createDirectories(tmp.resolve("bin"));
        Files.setPosixFilePermissions(bin, PosixFilePermissions.fromString("rwxr-xr-x"));
        return Gcc.compile(NETWORK + "net.c", bin);
    }

    /// Copies the class path resource NETWORK + `name` into `dir`, readable by everyone.
    static Path copyResource(String name, Path dir) throws IOException {
        try (InputStream in = SandboxNetworkTest.class.getClassLoader().getResourceAsStream(NETWORK + name)) {
            if (in == null) {
                throw new AssertionError("no resource " + NETWORK + name);
            }
            Path copy = dir.resolve(name);
            Files.copy(in, copy, StandardCopyOption.REPLACE_EXISTING);
            Files.setPosixFilePermissions(copy, PosixFilePermissions.fromString("rw-r--r--"));
            return copy;
        }
    }

    /// The audit file's lines as JSON objects.
    static List<JsonNode> audit(Path file) throws IOException {
        ObjectMapper json = new ObjectMapper();
        List<JsonNode> lines = new ArrayList<>();
        for (String line : Files.readAllLines(file)) {
            lines.add(json.readTree(line));
        }
        return lines;
    }

    /// The one audit line of `function` that `which` accepts; fails with every line of that
    /// function otherwise.
    static JsonNode only(List<JsonNode> lines, String function, Predicate<JsonNode> which) {
        List<JsonNode> all = lines.stream().filter(l -> l.path("function").asText().equals(function)).toList();
        List<JsonNode> found = all.stream().filter(which).toList();
        assertEquals(1, found.size(), () -> "audit lines of " + function + ": " + all);
        return found.get(0);
    }

    /// The HTTP client run inside the sandbox, and the options it needs there.
    record Client(List<String> prefix, List<String> options) {
        /// The exit status of a client whose connect failed: curl's "couldn't connect".
        static final int REFUSED = 7;

        /// curl when it is installed (`-q`: no ~/.curlrc; `-v` prints the connect's strerror),
        /// else python3's urllib with `fetch.py`, copied into `scripts`.
        static Client choose(Path scripts) throws IOException {
            if (ChildProcess.onPath("curl")) {
                return new Client(List.of("curl", "-q", "-sS", "-v"), List.of());
            }
            Path fetch = copyResource("fetch.py", scripts);
            return new Client(List.of(PYTHON, "-S", fetch.toString()), List.of("--allow-read", scripts.toString()));
        }

        /// The client's command line fetching `url` to stdout.
        List<String> command(String url) {
            return concat(prefix, List.of(url));
        }
    }

    /// python3's http.server serving `dir` on an ephemeral port of `address`, its request log
    /// (stderr) going to a file.
    static final class HttpServer implements AutoCloseable {
        final Process process;
        final Path log;
        final int port;

        private HttpServer(Process process, Path log, int port) {
            this.process = process;
            this.log = log;
            this.port = port;
        }

        static HttpServer start(Path dir, String address, Path log) throws IOException {
            Process p = new ProcessBuilder(PYTHON, "-S", "-u", "-m", "http.server", "0", "--bind", address,
                    "--directory", dir.toString())
                    .redirectOutput(ProcessBuilder.Redirect.PIPE).redirectError(log.toFile()).start();
            p.getOutputStream().close();
            // "Serving HTTP on ADDRESS port PORT (URL) ..."
            String first = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))
                    .readLine();
            if (first == null || !first.startsWith("Serving HTTP on ")) {
                p.destroyForcibly();
                throw new AssertionError("http.server did not start: " + first + "; " + Files.readString(log));
            }
            String[] words = first.split(" ");
            return new HttpServer(p, log, Integer.parseInt(words[5]));
        }

        /// Stops the server and answers its request log.
        String stop() throws IOException, InterruptedException {
            process.destroy();
            if (!process.waitFor(TimeFactor.scale(10), TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
            return Files.readString(log);
        }

        @Override
        public void close() {
            process.destroyForcibly();
        }
    }

    /// A running `peer.py` serving `specs`, with the port of each.
    record Peer(ChildProcess child, Map<String, Integer> ports) implements AutoCloseable {
        static Peer start(Path tmp, String... specs) throws IOException {
            Path dir = Files.createDirectories(tmp.resolve("peer"));
            Path script = dir.resolve("peer.py");
            if (!Files.exists(script)) {
                copyResource("peer.py", dir);
            }
            ChildProcess child = ChildProcess.start(new ProcessBuilder(
                    concat(List.of(PYTHON, "-S", "-u", script.toString()), List.of(specs))));
            String listening = child.readUntil("ready")[0];
            Map<String, Integer> ports = new HashMap<>();
            for (String line : listening.lines().toList()) {
                String[] words = line.split(" ");
                ports.put(words[1], Integer.parseInt(words[2]));
            }
            return new Peer(child, ports);
        }

        int port(String spec) {
            return ports.get(spec);
        }

        /// Ends the peer and answers its log.
        String finish() throws IOException, InterruptedException {
            Result r = child.finish();
            assertEquals("", r.stderr(), r::toString);
            return r.stdout();
        }

        @Override
        public void close() {
            child.close();
        }
    }
}
