package org.posix4j.spawn;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import java.util.stream.Stream;
import org.posix4j.signal.Signal;

/// The `ProcessHandle` of [ChildProcess#toHandle()]. Unlike `ProcessHandle.of(pid)`, it signals
/// through the pidfd and learns of the end from the watcher; the JDK's handle is asked only for
/// information (`info`, `children`), and only while the child has not been reaped, so the pid
/// still names it.
final class ChildHandle implements ProcessHandle {
    private static final Info NO_INFO = new NoInfo();

    private final Child child;
    private final Watcher watcher;
    private final Tracked tracked;

    ChildHandle(Child child, Watcher watcher, Tracked tracked) {
        this.child = child;
        this.watcher = watcher;
        this.tracked = tracked;
    }

    @Override
    public long pid() {
        return child.pid();
    }

    @Override
    public Optional<ProcessHandle> parent() {
        return isAlive() ? Optional.of(ProcessHandle.current()) : Optional.empty();
    }

    @Override
    public Stream<ProcessHandle> children() {
        return whileUnreaped(h -> h.children().toList()).orElse(List.of()).stream();
    }

    @Override
    public Stream<ProcessHandle> descendants() {
        return whileUnreaped(h -> h.descendants().toList()).orElse(List.of()).stream();
    }

    @Override
    public Info info() {
        return whileUnreaped(ProcessHandle::info).orElse(NO_INFO);
    }

    /// Asks the JDK's handle for the pid while holding the watcher's lock: the child cannot be
    /// reaped meanwhile, so the pid cannot name another process.
    private <T> Optional<T> whileUnreaped(Function<ProcessHandle, T> query) {
        watcher.lock.lock();
        try {
            return tracked.ended ? Optional.empty() : ProcessHandle.of(tracked.pid).map(query);
        } finally {
            watcher.lock.unlock();
        }
    }

    @Override
    public CompletableFuture<ProcessHandle> onExit() {
        return child.onExit().thenApply(status -> this);
    }

    @Override
    public boolean supportsNormalTermination() {
        return true;
    }

    @Override
    public boolean destroy() {
        return ChildProcess.signalIfRunning(child, Signal.TERM);
    }

    @Override
    public boolean destroyForcibly() {
        return ChildProcess.signalIfRunning(child, Signal.KILL);
    }

    @Override
    public boolean isAlive() {
        return child.status().isEmpty();
    }

    @Override
    public int compareTo(ProcessHandle other) {
        return Long.compare(pid(), other.pid());
    }

    @Override
    public String toString() {
        return Long.toString(pid());
    }

    /// What is known of a process that has been reaped: nothing.
    private record NoInfo() implements Info {
        @Override
        public Optional<String> command() {
            return Optional.empty();
        }

        @Override
        public Optional<String> commandLine() {
            return Optional.empty();
        }

        @Override
        public Optional<String[]> arguments() {
            return Optional.empty();
        }

        @Override
        public Optional<Instant> startInstant() {
            return Optional.empty();
        }

        @Override
        public Optional<Duration> totalCpuDuration() {
            return Optional.empty();
        }

        @Override
        public Optional<String> user() {
            return Optional.empty();
        }
    }
}
