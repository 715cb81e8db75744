package org.posix4j.syslog;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

/// What [SyslogTest] runs in a child JVM: whatever changes the process's syslog mask or its
/// logging configuration. Prints `key:value` lines for the test.
public final class SyslogChild {
    private SyslogChild() {}

    /// Runs the mode named by `args[0]` with `args[1]` as ident.
    public static void main(String[] args) throws IOException {
        String ident = args[1];
        switch (args[0]) {
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
