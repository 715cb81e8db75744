package org.posix4j.spawn;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.posix4j.PosixException;
import org.posix4j.signal.Signal;

/// [Child#asProcess()]: the JDK's `Process` contract over a posix4j child.
final class ChildProcess extends Process {
    private final Child child;
    private final OutputStream stdin;
    private final InputStream stdout;
    private final InputStream stderr;
    private final ChildHandle handle;

    ChildProcess(Child child, Watcher watcher, Tracked tracked) {
        this.child = child;
        this.stdin = child.stdinPipe().map(fd -> fd.outputStream()).orElseGet(ChildProcess::closedOutput);
        this.stdout = child.stdoutPipe().map(fd -> fd.inputStream()).orElseGet(InputStream::nullInputStream);
        this.stderr = child.stderrPipe().map(fd -> fd.inputStream()).orElseGet(InputStream::nullInputStream);
        this.handle = new ChildHandle(child, watcher, tracked);
    }

    /// What `Process` gives for a stdin that is not a pipe: a stream whose writes fail.
    private static OutputStream closedOutput() {
        OutputStream out = OutputStream.nullOutputStream();
        try {
            out.close();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return out;
    }

    @Override
    public OutputStream getOutputStream() {
        return stdin;
    }

    @Override
    public InputStream getInputStream() {
        return stdout;
    }

    @Override
    public InputStream getErrorStream() {
        return stderr;
    }

    @Override
    public int waitFor() throws InterruptedException {
        return child.waitFor().shellCode();
    }

    @Override
    public boolean waitFor(long timeout, TimeUnit unit) throws InterruptedException {
        return child.waitFor(Duration.of(timeout, unit.toChronoUnit())).isPresent();
    }

    @Override
    public int exitValue() {
        return child.status().orElseThrow(() -> new IllegalThreadStateException("process " + child.pid()
                + " has not exited")).shellCode();
    }

    @Override
    public void destroy() {
        handle.destroy();
    }

    @Override
    public Process destroyForcibly() {
        handle.destroyForcibly();
        return this;
    }

    @Override
    public boolean supportsNormalTermination() {
        return true;
    }

    @Override
    public boolean isAlive() {
        return child.status().isEmpty();
    }

    @Override
    public long pid() {
        return child.pid();
    }

    @Override
    public CompletableFuture<Process> onExit() {
        return child.onExit().thenApply(status -> this);
    }

    @Override
    public ProcessHandle toHandle() {
        return handle;
    }

    @Override
    public String toString() {
        return "Process[pid=" + child.pid() + ", " + (isAlive() ? "running" : "exitValue=" + exitValue()) + "]";
    }

    /// Sends `signal` if the child still runs; like the JDK's `destroy`, a child that already
    /// ended is not an error.
    static boolean signalIfRunning(Child child, Signal signal) {
        try {
            child.signal(signal);
            return true;
        } catch (PosixException | IllegalStateException e) {
            return false;
        }
    }
}
