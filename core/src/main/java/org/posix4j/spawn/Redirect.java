package org.posix4j.spawn;

import java.nio.file.Path;
import java.util.Objects;
import org.posix4j.io.Fd;

/// Where one of a child's standard descriptors (0, 1 or 2) goes.
///
/// Thread safety: immutable.
public sealed interface Redirect {
    /// The child inherits this process's descriptor (the default).
    Redirect INHERIT = new Inherit();

    /// A new pipe: this process gets the other end from [Child#stdinPipe()],
    /// [Child#stdoutPipe()] or [Child#stderrPipe()].
    Redirect PIPE = new Pipe();

    /// /dev/null, opened by the child.
    Redirect NULL = new Null();

    /// A file: read for stdin; for stdout and stderr created (mode 0666 less the umask) or
    /// truncated. It is opened by this process before the child starts, so a failure is an
    /// open(2) [org.posix4j.PosixException] naming the file. A relative path is relative to this
    /// process's working directory, not to [Spawn#chdir(Path)].
    ///
    /// @throws NullPointerException if `path` is null
    static Redirect file(Path path) {
        return new ToFile(path, false);
    }

    /// Like [#file(Path)], but writes append (O_APPEND) instead of truncating. Not for stdin.
    ///
    /// @throws NullPointerException if `path` is null
    static Redirect append(Path path) {
        return new ToFile(path, true);
    }

    /// A descriptor of this process: the child gets a duplicate of it. It must be open when
    /// [Spawn#start()] runs; this process keeps it open.
    ///
    /// @throws NullPointerException if `fd` is null
    static Redirect fd(Fd fd) {
        return new ToFd(fd);
    }

    /// See [Redirect#INHERIT].
    record Inherit() implements Redirect {}

    /// See [Redirect#PIPE].
    record Pipe() implements Redirect {}

    /// See [Redirect#NULL].
    record Null() implements Redirect {}

    /// See [Redirect#file(Path)] and [Redirect#append(Path)].
    ///
    /// @param path the file
    /// @param append whether to append instead of truncating
    record ToFile(Path path, boolean append) implements Redirect {
        /// Checks the argument.
        ///
        /// @throws NullPointerException if `path` is null
        public ToFile {
            Objects.requireNonNull(path, "path is null");
        }
    }

    /// See [Redirect#fd(Fd)].
    ///
    /// @param fd the descriptor of this process
    record ToFd(Fd fd) implements Redirect {
        /// Checks the argument.
        ///
        /// @throws NullPointerException if `fd` is null
        public ToFd {
            Objects.requireNonNull(fd, "fd is null");
        }
    }
}
