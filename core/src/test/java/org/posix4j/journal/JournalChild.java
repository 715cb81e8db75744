package org.posix4j.journal;

import java.util.HashSet;
import java.util.Set;
import java.util.logging.Logger;
import org.posix4j.io.OpenFds;
import org.posix4j.process.Credentials;
import org.posix4j.syslog.Level;

/// What [JournalTest] runs in a child JVM, in the namespaces of the test's journald (see
/// [Journald#command(java.util.List)]): every call that sends. Prints `key:value` lines for the
/// test: its pid as journald sees it, and what the calls answered. Ends when its stdin does.
public final class JournalChild {
    private JournalChild() {}

    /// Runs the mode named by `args[0]` with `args[1]` as identifier (and test id).
    public static void main(String[] args) throws Exception {
        String id = args[1];
        System.out.println("pid:" + ProcessHandle.current().pid());
        switch (args[0]) {
            case "plain" -> System.out.println("sent:" + JournalEntry.of(JournalTest.PLAIN).priority(Level.WARNING)
                    .identifier(id).field("MY_FIELD", JournalTest.USER_VALUE).send());
            case "binary" -> System.out.println("sent:" + JournalEntry.of(JournalTest.MULTI_LINE).identifier(id)
                    .field("BINARY", JournalTest.binary()).field("NUL_VALUE", JournalTest.NUL_VALUE)
                    .field("REPEATED", "one").field("REPEATED", "two").send());
            case "large" -> System.out.println("sent:" + JournalEntry.of("large").identifier(id)
                    .field("BIG", JournalTest.big(Integer.parseInt(args[2]))).send());
            case "print" -> System.out.println("sent:" + Journal.print(Level.NOTICE, "printed " + id));
            case "handler" -> handler(id);
            case "system-logger" -> systemLogger();
            case "fds" -> fds(id);
            case "unprivileged" -> {
                // Loads what sending needs while still root: the class path is root's.
                Journal.open().close();
                Credentials.setGroups();
                Credentials.setGid(65534);
                Credentials.setUid(65534);
                System.out.println("large:" + JournalEntry.of("large").identifier(id)
                        .field("BIG", JournalTest.big(JournalTest.LARGE)).send());
                System.out.println("huge:" + JournalEntry.of("huge").identifier(id)
                        .field("BIG", JournalTest.big(JournalTest.HUGE)).send());
            }
            case "system-logger-both" -> {
                try {
                    System.getLogger("org.example.both").log(System.Logger.Level.ERROR, "never sent");
                    System.out.println("error:none");
                } catch (Throwable t) {
                    StringBuilder chain = new StringBuilder();
                    for (Throwable c = t; c != null; c = c.getCause()) {
                        chain.append(c).append(" / ");
                    }
                    System.out.println("error:" + chain);
                }
            }
            default -> throw new IllegalArgumentException(args[0]);
        }
        // Alive until the test closes stdin: journald reads the sender's /proc entries (_COMM,
        // _EXE, _CMDLINE) after receiving, and finds nothing once the sender is gone.
        System.in.readAllBytes();
    }

    private static void handler(String id) {
        Logger logger = Logger.getLogger("org.example.jul");
        logger.setUseParentHandlers(false);
        logger.setLevel(java.util.logging.Level.ALL);
        SystemdJournalHandler handler = new SystemdJournalHandler(id);
        logger.addHandler(handler);
        Thread.currentThread().setName("journal-worker");
        logger.log(java.util.logging.Level.SEVERE, "failed {0}", "twice");
        logger.log(java.util.logging.Level.WARNING, "with exception", new IllegalStateException("boom"));
        logger.fine("fine detail");
        handler.close();
    }

    private static void systemLogger() {
        System.Logger logger = System.getLogger("org.example.system");
        Thread.currentThread().setName("system-worker");
        System.out.println("line:" + (new Throwable().getStackTrace()[0].getLineNumber() + 1));
        logger.log(System.Logger.Level.WARNING, "system logger {0}", "argument");
        logger.log(System.Logger.Level.DEBUG, "below the minimum");
        logger.log(System.Logger.Level.ERROR, "with exception", new IllegalArgumentException("bang"));
    }

    /// Opens a connection, sends a small entry and one through a memfd, closes: prints the
    /// descriptors open after that were not before.
    private static void fds(String id) throws Exception {
        Set<String> before = OpenFds.snapshot();
        try (Journal journal = Journal.open()) {
            System.out.println("small:" + journal.send(JournalEntry.of("small").identifier(id)));
            System.out.println("large:" + journal.send(JournalEntry.of("large").identifier(id)
                    .field("BIG", JournalTest.big(JournalTest.HUGE))));
        }
        Set<String> leaked = new HashSet<>(OpenFds.snapshot());
        leaked.removeAll(before);
        System.out.println("leaked:" + leaked);
    }
}
