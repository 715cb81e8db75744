package org.posix4j.systemd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.posix4j.Errno;
import org.posix4j.PosixException;
import org.posix4j.io.Fd;
import org.posix4j.process.Environment;
import org.posix4j.testing.ChildJvm;
import org.posix4j.testing.TimeFactor;

class SocketActivationTest {

    /// Run by systemd-socket-activate: lists its sockets, then accepts one connection on each
    /// listening one and echoes a line back, keeping the connections open until stdin closes.
    public static final class Activated {
        public static void main(String[] args) throws Exception {
            List<ActivatedSocket> sockets = SocketActivation.listenFds(true);
            for (ActivatedSocket s : sockets) {
                System.out.println("socket=" + s.name() + " " + s.fd().intValue() + " " + s.family() + " " + s.type()
                        + " " + s.listening() + " " + s.localAddress().map(Object::toString).orElse("-"));
            }
            for (String v : new String[] {"LISTEN_PID", "LISTEN_FDS", "LISTEN_FDNAMES"}) {
                System.out.println(v + "=" + Environment.get(v).orElse("unset"));
            }
            System.out.println("again=" + SocketActivation.listenFds(true).size());
            List<Fd> connections = new ArrayList<>();
            for (ActivatedSocket s : sockets) {
                Fd c = s.accept();
                connections.add(c);
                System.out.println("accepted=" + s.name() + " " + c.intValue());
                String line = new BufferedReader(new InputStreamReader(c.inputStream(), StandardCharsets.UTF_8)).readLine();
                OutputStream out = c.duplicate().outputStream();
                out.write((s.name() + ":" + line + "\n").getBytes(StandardCharsets.UTF_8));
                out.close();
            }
            System.out.println("done");
            System.in.read();
        }
    }

    private static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private static String fdFlags(long pid, int fd) throws Exception {
        return Files.readAllLines(Path.of("/proc", Long.toString(pid), "fdinfo", Integer.toString(fd))).stream()
                .filter(l -> l.startsWith("flags:")).findFirst().orElseThrow().substring(6).strip();
    }

    private static boolean cloexec(String octalFlags) {
        return (Integer.parseInt(octalFlags, 8) & 02000000) != 0;
    }

    @Test
    void activatedSocketsAreFoundNamedAndAccepted(@TempDir Path dir) throws Exception {
        int port = freePort();
        Path unix = dir.resolve("echo.sock");
        List<String> cmd = new ArrayList<>(List.of("systemd-socket-activate", "-l", "127.0.0.1:" + port,
                "-l", unix.toString(), "--fdname=web:local"));
        cmd.addAll(ChildJvm.command(List.of(), Activated.class));
        try (ChildJvm child = ChildJvm.start(new ProcessBuilder(cmd))) {
            Socket tcp = null;
            for (long i = 0, n = TimeFactor.scale(100); i < n && tcp == null; i++) {
                try {
                    tcp = new Socket("127.0.0.1", port);
                } catch (java.net.ConnectException e) {
                    Thread.sleep(50);
                }
            }
            assertTrue(tcp != null, "systemd-socket-activate does not listen on " + port);
            try (Socket web = tcp; SocketChannel local = SocketChannel.open(UnixDomainSocketAddress.of(unix))) {
                assertEquals("web 3 INET STREAM true /127.0.0.1:" + port, child.expect("socket="));
                assertEquals("local 4 UNIX STREAM true " + unix, child.expect("socket="));
                assertEquals("unset", child.expect("LISTEN_PID="));
                assertEquals("unset", child.expect("LISTEN_FDS="));
                assertEquals("unset", child.expect("LISTEN_FDNAMES="));
                assertEquals("0", child.expect("again="));
                assertTrue(cloexec(fdFlags(child.pid(), 3)), "fd 3 is close-on-exec");
                assertTrue(cloexec(fdFlags(child.pid(), 4)), "fd 4 is close-on-exec");

                PrintStream out = new PrintStream(web.getOutputStream(), true, StandardCharsets.UTF_8);
                out.println("héllo");
                String[] accepted = child.expect("accepted=").split(" ");
                assertEquals("web", accepted[0]);
                assertTrue(cloexec(fdFlags(child.pid(), Integer.parseInt(accepted[1]))), "accepted fd is close-on-exec");
                assertEquals("web:héllo", new BufferedReader(new InputStreamReader(web.getInputStream(),
                        StandardCharsets.UTF_8)).readLine());

                local.write(ByteBuffer.wrap("over unix\n".getBytes(StandardCharsets.UTF_8)));
                assertEquals("local", child.expect("accepted=").split(" ")[0]);
                ByteBuffer reply = ByteBuffer.allocate(100);
                while (reply.position() == 0 || reply.get(reply.position() - 1) != '\n') {
                    assertTrue(local.read(reply) > 0, "connection closed early");
                }
                assertEquals("local:over unix\n", new String(reply.array(), 0, reply.position(), StandardCharsets.UTF_8));
                child.expect("done");
            }
            ChildJvm.Result r = child.finish();
            assertEquals(0, r.exitCode(), r.toString());
        }
    }

    @Test
    void withoutActivationThereAreNoSockets() throws Exception {
        assertEquals(List.of(), SocketActivation.listenFds(false), "this JVM was not socket-activated");
    }

    @Test
    void acceptOnANonSocketFailsWithTheKernelsErrno() throws Exception {
        try (Fd devNull = Fd.open("/dev/null", 0, 0)) {
            PosixException e = assertThrows(PosixException.class, () -> SocketActivation.accept(devNull));
            assertTrue(e.is(Errno.ENOTSOCK), e.getMessage());
            assertEquals("accept4", e.function());
        }
        assertThrows(IllegalArgumentException.class, () -> SocketActivation.accept(null));
    }
}
