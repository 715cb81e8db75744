package org.posix4j.log4j;

import java.io.IOException;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.apache.logging.log4j.Marker;
import org.apache.logging.log4j.MarkerManager;
import org.apache.logging.log4j.ThreadContext;

/// What the tests run in a child JVM, in the namespaces of their daemon, with Log4j configured
/// from the file `-Dlog4j2.configurationFile` names and `-Dp4j.ident` as ident: logs through the
/// Log4j API as an application does, prints `key:value` lines for the test, and stays alive until
/// its stdin ends (journald reads the sender's /proc entries after receiving).
public final class Log4jChild {
    private Log4jChild() {}

    /// Runs the mode named by `args[0]`: `syslog` or `journal`.
    public static void main(String[] args) throws Exception {
        System.out.println("pid:" + ProcessHandle.current().pid());
        Thread.currentThread().setName("log4j-worker");
        switch (args[0]) {
            case "syslog" -> syslog();
            case "journal" -> journal();
            default -> throw new IllegalArgumentException(args[0]);
        }
        System.out.println("done:");
        System.in.readAllBytes();
    }

    private static void syslog() {
        Logger log = LogManager.getLogger("org.example.app");
        log.trace("trace-msg");
        log.debug("debug-msg");
        log.info("info-msg");
        log.warn("warn-msg");
        log.error("error-msg");
        log.fatal("fatal-msg");
        log.info("first line\nsecond line");
        log.info("literal %s %n {}", "arg");
        log.error("with exception", new IllegalStateException("boom"));
        Logger plain = LogManager.getLogger("org.example.plain");
        plain.debug("plain-debug");
        plain.warn("plain {}", "warning");
        plain.error("plain exception", new IllegalStateException("bang"));
    }

    private static void journal() {
        Logger log = LogManager.getLogger("org.example.journal");
        Marker audit = MarkerManager.getMarker("AUDIT").setParents(MarkerManager.getMarker("SECURITY"));
        ThreadContext.put("user.id", "42");
        ThreadContext.put("requestId", "r-1");
        System.out.println("line:" + (new Throwable().getStackTrace()[0].getLineNumber() + 1));
        log.warn(audit, "structured {}", "hello");
        ThreadContext.clearMap();
        log.info("first line\nsecond line\n");
        log.error("failed", new IllegalStateException("boom", new IOException("cause")));
        log.debug("debug-msg");
        log.trace("trace-msg");
    }
}
