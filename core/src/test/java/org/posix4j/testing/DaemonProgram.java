package org.posix4j.testing;

import java.nio.file.Files;
import java.nio.file.Path;
import org.posix4j.daemon.Daemon;

/// A daemon for tests that start it from the module path too, so it lives in a package of its
/// own: a class of a package of module org.posix4j cannot be loaded from the class path. It
/// daemonizes, then writes its pid and the contents of the file named by the system property
/// `posix4j.greeting` (relative, as users write them) to args[0], followed by "+agent" when it
/// runs as its own Java agent too, and reports ready.
public final class DaemonProgram {
    private DaemonProgram() {}

    /// Runs as a Java agent (`-javaagent:`), before main.
    public static void premain(String options) {
        System.setProperty("posix4j.agent", "+agent");
    }

    /// Runs the daemon.
    public static void main(String[] args) throws Exception {
        int pid = Daemon.daemonize();
        String greeting = Files.readString(Path.of(System.getProperty("posix4j.greeting")));
        Files.writeString(Path.of(args[0]), pid + "\n" + greeting + System.getProperty("posix4j.agent", ""));
        Daemon.ready();
        Thread.sleep(60_000);
    }
}
