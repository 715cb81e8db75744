package org.posix4j.syslog;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

/// What [SyslogTest] runs in a child JVM, in a mount namespace whose /dev/log is the test's
/// rsyslogd (see [Rsyslog#command(java.util.List)]): every call that logs. Prints `key:value`
/// lines for the test.
public final class SyslogChild {
    private SyslogChild() {}

    /// Runs the mode named by `args[0]` with `args[1]` as ident (and more idents after it where
    /// the mode needs them).
    public static void main(String[] args) throws Exception {
        String ident = args[1];
        switch (args[0]) {
            case "all" -> {
                Syslog.open(ident, Set.of(), Facility.USER);
                for (Facility f : Facility.values()) {
                    if (f == Facility.KERN || f == Facility.DEFAULT) {
                        continue;
                    }
                    for (Level l : Level.values()) {
                        Syslog.log(f, l, f + " " + l);
                    }
                }
            }
            case "default" -> {
                Syslog.open(ident, Set.of(), Facility.LOCAL4);
                Syslog.log(Level.NOTICE, "default facility");
                Syslog.log(Facility.KERN, Level.ALERT, "kern");
                Syslog.log(Facility.DEFAULT, Level.ERR, "default constant");
                Syslog.open(args[2], Set.of(), Facility.DEFAULT);
                Syslog.log(Level.INFO, "reopened with default");
                Syslog.open(args[3], Set.of(), Facility.KERN);
                Syslog.log(Level.INFO, "opened with kern");
                Syslog.log(Facility.DEFAULT, Level.WARNING, "default after kern");
            }
            case "section" -> {
                Syslog.open(ident, Set.of(), Facility.DAEMON);
                Syslog.log(Level.WARNING, "c2s", "client %s disconnected");
                Syslog.log(Level.INFO, "", "empty section");
                Syslog.log(Level.INFO, "no section");
            }
            case "pid" -> {
                Syslog.open(ident, EnumSet.of(Option.PID), Facility.DAEMON);
                Syslog.log(Level.INFO, "with pid");
                Syslog.open(args[2], EnumSet.noneOf(Option.class), Facility.DAEMON);
                Syslog.log(Level.INFO, "without pid");
            }
            case "text" -> {
                Syslog.open(ident, Set.of(), Facility.USER);
                Syslog.log(Level.INFO, SyslogTest.LITERAL);
            }
            case "long" -> {
                Syslog.open(ident, Set.of(), Facility.USER);
                Syslog.log(Level.INFO, SyslogTest.LONG);
                Syslog.log(Level.INFO, "short");
            }
            case "ctl" -> {
                Syslog.open(ident, Set.of(), Facility.USER);
                Syslog.log(Level.INFO, "before\0after");
                Syslog.log(Level.INFO, "line one\nline two");
            }
            case "reopen" -> {
                Syslog.open(ident, Set.of(), Facility.USER);
                Syslog.log(Level.INFO, "one");
                Syslog.open(args[2], Set.of(), Facility.USER);
                Syslog.log(Level.INFO, "two");
                Syslog.close();
                Syslog.log(Level.INFO, args[3]);
                Syslog.open(null, Set.of(), Facility.USER);
                Syslog.log(Level.INFO, args[4]);
            }
            case "threads" -> threads(ident);
            case "handler" -> {
                Syslog.open(ident, Set.of(), Facility.USER);
                SyslogHandler handler = new SyslogHandler(Facility.LOCAL2);
                java.util.logging.LogRecord record =
                        new java.util.logging.LogRecord(java.util.logging.Level.WARNING, "h {0}");
                record.setParameters(new Object[] {"%x"});
                handler.publish(record);
                handler.publish(new java.util.logging.LogRecord(java.util.logging.Level.FINEST, "finest"));
                handler.close();
                Syslog.log(Level.INFO, "after close");
            }
            case "fence" -> {
                Syslog.open(ident, Set.of(), Facility.USER);
                Syslog.log(Level.INFO, "fence");
            }
            case "mask" -> {
                Syslog.open(ident, Set.of(), Facility.USER);
                System.out.println("previous:" + Syslog.setMinimumLevel(Level.WARNING));
                Syslog.log(Level.INFO, "dropped-info");
                Syslog.log(Level.DEBUG, "dropped-debug");
                Syslog.log(Level.NOTICE, "dropped-notice");
                Syslog.log(Level.WARNING, "kept-warning");
                Syslog.log(Level.ERR, "kept-err");
                System.out.println("again:" + Syslog.setMinimumLevel(Level.DEBUG));
                Syslog.log(Level.DEBUG, "kept-debug");
            }
            case "perror" -> {
                Syslog.open(ident, EnumSet.of(Option.PERROR, Option.PID), Facility.USER);
                Syslog.log(Level.NOTICE, "to stderr too");
            }
            case "ndelay" -> {
                System.out.println("before:" + sockets());
                Syslog.open(ident, EnumSet.of(Option.NDELAY), Facility.USER);
                System.out.println("open:" + sockets());
                Syslog.close();
                System.out.println("closed:" + sockets());
            }
            case "jul" -> {
                java.util.logging.Logger jul = java.util.logging.Logger.getLogger("p4j.test");
                jul.severe("jul-severe");
                jul.warning("jul-warning");
                jul.info("jul-info");
                jul.config("jul-config");
                jul.fine("jul-fine");
                jul.log(java.util.logging.Level.WARNING, "jul-thrown", new IllegalStateException("boom"));
                jul.log(java.util.logging.Level.INFO, "jul-param {0}", "%s");
            }
            case "finder" -> {
                System.Logger logger = System.getLogger("p4j.finder");
                System.out.println("finder:" + System.LoggerFinder.getLoggerFinder().getClass().getName());
                logger.log(System.Logger.Level.ERROR, "finder-error");
                logger.log(System.Logger.Level.WARNING, "finder-warning");
                logger.log(System.Logger.Level.INFO, "finder-info {0}", "%n");
                logger.log(System.Logger.Level.DEBUG, "finder-debug");
                logger.log(System.Logger.Level.ERROR, "finder-thrown", new IllegalStateException("boom"));
            }
            default -> throw new IllegalArgumentException(args[0]);
        }
        System.out.println("done:");
    }

    /// Threads log while the log is reopened again and again with fresh copies of the ident: had
    /// an old copy been freed while glibc still pointed to it, tags would arrive garbled.
    private static void threads(String ident) throws InterruptedException {
        Syslog.open(ident, Set.of(), Facility.USER);
        List<Thread> started = new ArrayList<>();
        for (int t = 0; t < SyslogTest.THREADS; t++) {
            int n = t;
            started.add(Thread.ofPlatform().start(() -> {
                for (int i = 0; i < SyslogTest.EACH; i++) {
                    Syslog.log(Level.INFO, "thread " + n + " message " + i);
                }
            }));
        }
        for (int i = 0; i < 200; i++) {
            Syslog.open(new String(ident.toCharArray()), Set.of(), Facility.USER);
        }
        for (Thread t : started) {
            t.join();
        }
    }

    /// The sockets among this process's descriptors, as /proc/self/fd shows them.
    private static Set<String> sockets() throws IOException {
        Set<String> found = new TreeSet<>();
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            for (Path fd : fds.toList()) {
                try {
                    String target = Files.readSymbolicLink(fd).toString();
                    if (target.startsWith("socket:")) {
                        found.add(fd.getFileName() + "=" + target);
                    }
                } catch (IOException vanished) {
                    // The descriptor Files.list itself used is gone by now.
                }
            }
        }
        return found;
    }
}
