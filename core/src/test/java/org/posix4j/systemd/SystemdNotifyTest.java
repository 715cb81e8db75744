package org.posix4j.systemd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.posix4j.Errno;
import org.posix4j.PosixException;
import org.posix4j.process.CurrentProcess;
import org.posix4j.process.Environment;
import org.posix4j.testing.ChildJvm;
import org.posix4j.testing.NoFdLeaks;
import org.posix4j.testing.TimeFactor;

@ExtendWith(NoFdLeaks.class)
class SystemdNotifyTest {

    /// The JDK opens /dev/random and /dev/urandom for good the first time it names a temporary
    /// directory; open them before the leak check looks.
    @BeforeAll
    static void openTheJdksRandomSources() throws IOException {
        Files.delete(Files.createTempDirectory("posix4j"));
    }

    private static String address(String kind, Path dir) {
        return kind.equals("path") ? dir.resolve("notify.sock").toString()
                : "@posix4j-notify-" + CurrentProcess.pid() + "-" + System.nanoTime();
    }

    /// The datagram the real systemd-notify(1) sends for `args`, skipping its BARRIER=1 message.
    private static String systemdNotify(DatagramPeer peer, String address, String... args) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(List.of(args)).redirectErrorStream(true);
        pb.environment().put("NOTIFY_SOCKET", address);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(TimeFactor.scale(10), TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), out);
        String d = peer.next(5000);
        assertFalse(d == null || d.equals("BARRIER=1"), "systemd-notify sent " + d);
        return d;
    }

    @ParameterizedTest
    @ValueSource(strings = {"path", "abstract"})
    void sendsTheSameDatagramsAsSystemdNotify(String kind, @TempDir Path dir) throws Exception {
        String address = address(kind, dir);
        try (DatagramPeer peer = new DatagramPeer(address); SystemdNotify notify = SystemdNotify.open(address)) {
            String expected = systemdNotify(peer, address, "systemd-notify", "--ready", "--status=Serving héllo");
            assertEquals("READY=1\nSTATUS=Serving héllo", expected);
            notify.send("READY=1", "STATUS=Serving héllo");
            assertEquals(expected, nextSkippingBarrier(peer));

            expected = systemdNotify(peer, address, "systemd-notify", "--pid=1234", "--ready", "--status=x");
            notify.send("READY=1", "STATUS=x", "MAINPID=1234");
            assertEquals(expected, nextSkippingBarrier(peer));

            expected = systemdNotify(peer, address, "systemd-notify", "--no-block", "STOPPING=1", "ERRNO=5");
            notify.send("STOPPING=1", "ERRNO=5");
            assertEquals(expected, nextSkippingBarrier(peer));

            expected = systemdNotify(peer, address, "systemd-notify", "--no-block", "WATCHDOG=1");
            notify.watchdog();
            assertEquals(expected, nextSkippingBarrier(peer));
            assertEquals(address, notify.address());
        }
    }

    private static String nextSkippingBarrier(DatagramPeer peer) throws InterruptedException {
        String d = peer.next(5000);
        return "BARRIER=1".equals(d) ? peer.next(5000) : d;
    }

    @Test
    void eachMessageIsOneDatagram(@TempDir Path dir) throws Exception {
        String address = address("path", dir);
        try (DatagramPeer peer = new DatagramPeer(address); SystemdNotify notify = SystemdNotify.open(address)) {
            notify.ready();
            notify.stopping();
            notify.status("Loading 3/7");
            notify.errno(2);
            notify.mainPid(4321);
            long before = System.nanoTime() / 1000;
            notify.reloading();
            long after = System.nanoTime() / 1000;
            assertEquals(List.of("READY=1", "STOPPING=1", "STATUS=Loading 3/7", "ERRNO=2", "MAINPID=4321"),
                    List.of(peer.next(5000), peer.next(5000), peer.next(5000), peer.next(5000), peer.next(5000)));
            String[] reload = peer.next(5000).split("\n");
            assertEquals("RELOADING=1", reload[0]);
            long usec = Long.parseLong(reload[1].substring("MONOTONIC_USEC=".length()));
            assertTrue(before <= usec && usec <= after, before + " <= " + usec + " <= " + after);
            assertEquals(2, reload.length);
        }
    }

    @Test
    void sendingWithoutReceiverFailsWithTheKernelsErrno(@TempDir Path dir) throws Exception {
        try (SystemdNotify notify = SystemdNotify.open(dir.resolve("missing.sock").toString())) {
            PosixException e = assertThrows(PosixException.class, notify::ready);
            assertTrue(e.is(Errno.ENOENT), e.getMessage());
            assertEquals("sendto", e.function());
        }
        String stale = address("path", dir);
        new DatagramPeer(stale).close();
        assertTrue(Files.exists(Path.of(stale)), "python left its socket file behind");
        try (SystemdNotify notify = SystemdNotify.open(stale)) {
            PosixException e = assertThrows(PosixException.class, notify::ready);
            assertTrue(e.is(Errno.ECONNREFUSED), e.getMessage());
        }
        try (SystemdNotify notify = SystemdNotify.open(address("abstract", dir))) {
            PosixException e = assertThrows(PosixException.class, notify::ready);
            assertTrue(e.is(Errno.ECONNREFUSED), e.getMessage());
        }
    }

    @Test
    void invalidAddressesAndMessagesAreRejected() throws Exception {
        for (String bad : new String[] {"relative.sock", "", "@", "/" + "x".repeat(107), "@" + "y".repeat(108), "vsock:2:1"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SystemdNotify.open(bad));
            assertTrue(e.getMessage().startsWith("address "), e.getMessage());
        }
        SystemdNotify.open("/" + "x".repeat(106)).close();
        SystemdNotify.open("@" + "y".repeat(107)).close();
        try (SystemdNotify notify = SystemdNotify.open("/nonexistent/notify.sock")) {
            for (String[] bad : new String[][] {{}, {"READY=1", "STATUS"}, {"READY=1", "=1"}, {"READY=1", "STATUS=a\nb"},
                    {"READY=1", "STATUS=a\0"}}) {
                IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> notify.send(bad));
                assertTrue(e.getMessage().startsWith("assignments"), e.getMessage());
            }
            assertThrows(IllegalArgumentException.class, () -> notify.mainPid(0));
            assertThrows(IllegalArgumentException.class, () -> notify.errno(-1));
        }
    }

    @Test
    void closedNotifierIsRejected() throws Exception {
        SystemdNotify notify = SystemdNotify.open("/nonexistent/notify.sock");
        notify.close();
        assertThrows(IllegalStateException.class, notify::ready);
    }

    /// Notifies through `NOTIFY_SOCKET` with sd_notify's unset_environment, then again.
    public static final class EnvironmentNotifier {
        public static void main(String[] args) throws Exception {
            if (args[0].equals("notify")) {
                System.out.println("first=" + SystemdNotify.notify(true, "READY=1", "STATUS=from child"));
                System.out.println("after=" + Environment.get("NOTIFY_SOCKET").orElse("unset"));
                System.out.println("second=" + SystemdNotify.notify("STATUS=again"));
            } else if (args[0].equals("malformed")) {
                try {
                    SystemdNotify.notify("READY=1");
                } catch (IllegalArgumentException e) {
                    System.out.println("error=" + e.getMessage());
                }
            } else {
                try (var w = Watchdog.startFromEnvironment().orElse(null)) {
                    System.out.println("watchdog=" + (w == null ? "none" : w.period().toMillis()));
                    Thread.sleep(1000);
                }
            }
        }
    }

    private static ChildJvm.Result child(Map<String, String> env, String mode) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(ChildJvm.command(List.of(), EnvironmentNotifier.class, mode));
        pb.environment().remove("NOTIFY_SOCKET");
        pb.environment().remove("WATCHDOG_USEC");
        pb.environment().remove("WATCHDOG_PID");
        pb.environment().putAll(env);
        try (ChildJvm c = ChildJvm.start(pb)) {
            return c.finish().assertSuccess();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"path", "abstract"})
    void notifyReadsAndUnsetsNotifySocket(String kind, @TempDir Path dir) throws Exception {
        String address = address(kind, dir);
        try (DatagramPeer peer = new DatagramPeer(address)) {
            ChildJvm.Result r = child(Map.of("NOTIFY_SOCKET", address), "notify");
            assertEquals("true", r.value("first="));
            assertEquals("unset", r.value("after="));
            assertEquals("false", r.value("second="), "no NOTIFY_SOCKET left: sd_notify's 0");
            assertEquals(List.of("READY=1\nSTATUS=from child"), peer.drain(300));
        }
    }

    @Test
    void malformedNotifySocketIsAClearError() throws Exception {
        ChildJvm.Result r = child(Map.of("NOTIFY_SOCKET", "run/notify"), "malformed");
        assertEquals("NOTIFY_SOCKET must be an absolute path or an @abstract name: run/notify", r.value("error="));
        r = child(Map.of("NOTIFY_SOCKET", "/" + "z".repeat(200)), "malformed");
        assertTrue(r.value("error=").startsWith("NOTIFY_SOCKET is 201 bytes, too long"), r.toString());
    }

    @Test
    void watchdogPingsAtHalfTheTimeout(@TempDir Path dir) throws Exception {
        String address = address("abstract", dir);
        try (DatagramPeer peer = new DatagramPeer(address)) {
            ChildJvm.Result r = child(Map.of("NOTIFY_SOCKET", address, "WATCHDOG_USEC", "200000"), "watchdog");
            assertEquals("100", r.value("watchdog="));
            List<String> got = peer.drain(300);
            assertTrue(got.size() >= 6 && got.size() <= 12, "about 11 pings in 1 s: " + got);
            assertTrue(got.stream().allMatch("WATCHDOG=1"::equals), got.toString());
        }
    }

    @Test
    void watchdogMeantForAnotherProcessIsIgnored(@TempDir Path dir) throws Exception {
        String address = address("path", dir);
        try (DatagramPeer peer = new DatagramPeer(address)) {
            ChildJvm.Result r = child(Map.of("NOTIFY_SOCKET", address, "WATCHDOG_USEC", "200000", "WATCHDOG_PID", "1"),
                    "watchdog");
            assertEquals("none", r.value("watchdog="));
            assertNull(peer.next(300));
        }
    }

    @Test
    void watchdogStopsWhenClosed(@TempDir Path dir) throws Exception {
        String address = address("path", dir);
        try (DatagramPeer peer = new DatagramPeer(address); SystemdNotify notify = SystemdNotify.open(address)) {
            Watchdog w = Watchdog.start(notify, Duration.ofMillis(50));
            Thread.sleep(TimeFactor.scale(500));
            w.close();
            long pings = w.pings();
            List<String> got = peer.drain(300);
            assertEquals(pings, got.size(), got.toString());
            assertTrue(pings >= 5, "pings: " + pings);
            assertNull(peer.next(200), "a ping after close");
            assertTrue(w.lastFailure().isEmpty());
            assertFalse(Thread.getAllStackTraces().keySet().stream().anyMatch(t -> t.getName().equals("systemd-watchdog")));
            assertThrows(IllegalArgumentException.class, () -> Watchdog.start(notify, Duration.ZERO));
        }
    }
}
