package org.posix4j.logback;

import java.io.IOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.slf4j.MarkerFactory;

/// What the tests run in a child JVM, in the namespaces of their daemon, with Logback configured
/// from the file `-Dlogback.configurationFile` names and `-Dp4j.ident` as ident: logs through
/// SLF4J as an application does, prints `key:value` lines for the test, and stays alive until
/// its stdin ends (journald reads the sender's /proc entries after receiving).
public final class LogbackChild {
    private LogbackChild() {}

    /// Runs the mode named by `args[0]`: `syslog` or `journal`.
    public static void main(String[] args) throws Exception {
        System.out.println("pid:" + ProcessHandle.current().pid());
        Thread.currentThread().setName("logback-worker");
        switch (args[0]) {
            case "syslog" -> syslog();
            case "journal" -> journal();
            default -> throw new IllegalArgumentException(args[0]);
        }
        System.out.println("done:");
        System.in.readAllBytes();
    }

    private static void syslog() {
        Logger log = LoggerFactory.getLogger("org.example.app");
        log.trace("trace-msg");
        log.debug("debug-msg");
        log.info("info-msg");
        log.warn("warn-msg");
        log.error("error-msg");
        log.info("first line\nsecond line");
        log.info("literal %s %n {}", "arg");
        log.error("with exception", new IllegalStateException("boom"));
        Logger plain = LoggerFactory.getLogger("org.example.plain");
        plain.debug("plain-debug");
        plain.warn("plain {}", "warning");
        plain.error("plain exception", new IllegalStateException("bang"));
    }

    private static void journal() {
        Logger log = LoggerFactory.getLogger("org.example.journal");
        MDC.put("user.id", "42");
        MDC.put("requestId", "r-1");
        System.out.println("line:" + (new Throwable().getStackTrace()[0].getLineNumber() + 1));
        log.atWarn().addMarker(MarkerFactory.getMarker("AUDIT")).addKeyValue("order", 7).log("structured {}", "hello");
        MDC.clear();
        log.info(MarkerFactory.getMarker("SECURITY"), "first line\nsecond line\n");
        log.error("failed", new IllegalStateException("boom", new IOException("cause")));
        log.debug("debug-msg");
        log.trace("trace-msg");
    }
}
