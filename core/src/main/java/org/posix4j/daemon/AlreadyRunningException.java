package org.posix4j.daemon;

import java.io.IOException;
import java.nio.file.Path;

/// [PidFile#create(Path)] found the pid file locked by a live process. The message reads
/// `/run/x.pid: already running as pid 1234`.
public final class AlreadyRunningException extends IOException {
    private static final long serialVersionUID = 1L;

    private final transient Path path;
    private final int pid;

    AlreadyRunningException(Path path, int pid) {
        super(path + ": " + (pid > 0 ? "already running as pid " + pid : "already running (no pid written yet)"));
        this.path = path;
        this.pid = pid;
    }

    /// The pid file.
    public Path path() {
        return path;
    }

    /// The pid the file names, or -1 if the holder had not written it yet.
    public int pid() {
        return pid;
    }
}
