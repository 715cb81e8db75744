package org.posix4j.daemon;

import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.posix4j.PosixException;
import org.posix4j.internal.CStrings;
import org.posix4j.internal.DupH;
import org.posix4j.internal.FcntlH;
import org.posix4j.internal.Libc;
import org.posix4j.io.Fd;
import org.posix4j.io.OpenFlags;

/// Re-points standard input, output and error (descriptors 0, 1 and 2) at files or /dev/null
/// while the process runs, with dup3(2). Equivalent to slimta's `redirect_stdio`.
///
/// `System.out`, `System.err` and `System.in` write to and read from descriptors 1, 2 and 0
/// themselves, so they follow the redirection; both output streams are flushed first so that
/// what was printed before lands where it was meant to go. Bytes `System.in` had already
/// buffered are still read from there.
///
/// Thread safety: may be called from any thread, but it changes process-wide state: output that
/// other threads write while the call runs goes to the old or the new target.
public final class Stdio {
    private Stdio() {}

    /// Where one standard descriptor should point; made by the static factories.
    public static final class Target {
        private enum Kind { UNCHANGED, DEV_NULL, READ, APPEND, TRUNCATE }

        private static final Target UNCHANGED = new Target(Kind.UNCHANGED, null);
        private static final Target DEV_NULL = new Target(Kind.DEV_NULL, null);

        private final Kind kind;
        private final Path path;

        private Target(Kind kind, Path path) {
            this.kind = kind;
            this.path = path;
        }

        /// Leave the descriptor as it is (the seed's `nil`).
        public static Target unchanged() {
            return UNCHANGED;
        }

        /// /dev/null, opened for reading on stdin and for writing on stdout and stderr.
        public static Target devNull() {
            return DEV_NULL;
        }

        /// For stdin only: read from the existing file `path`.
        public static Target readFrom(Path path) {
            return new Target(Kind.READ, checked(path));
        }

        /// For stdout and stderr: append to `path`, created (mode 0666 less the umask) if missing.
        public static Target appendTo(Path path) {
            return new Target(Kind.APPEND, checked(path));
        }

        /// For stdout and stderr: write `path` from its start, emptied first, created if missing.
        public static Target truncate(Path path) {
            return new Target(Kind.TRUNCATE, checked(path));
        }

        private static Path checked(Path path) {
            Objects.requireNonNull(path, "path is null");
            CStrings.checkNonEmpty("path", path.toString());
            return path;
        }

        private int flags(boolean input) {
            return switch (kind) {
                case DEV_NULL -> input ? OpenFlags.READ_ONLY : OpenFlags.WRITE_ONLY;
                case READ -> OpenFlags.READ_ONLY | OpenFlags.NO_CONTROLLING_TTY;
                case APPEND -> OpenFlags.WRITE_ONLY | OpenFlags.CREATE | OpenFlags.APPEND | OpenFlags.NO_CONTROLLING_TTY;
                case TRUNCATE -> OpenFlags.WRITE_ONLY | OpenFlags.CREATE | OpenFlags.TRUNCATE
                        | OpenFlags.NO_CONTROLLING_TTY;
                case UNCHANGED -> throw new IllegalStateException("nothing to open");
            };
        }

        private String file() {
            return kind == Kind.DEV_NULL ? "/dev/null" : path.toString();
        }

        private boolean sameFileAs(Target other) {
            return kind == other.kind && Objects.equals(path, other.path);
        }

        @Override
        public String toString() {
            return kind == Kind.UNCHANGED || kind == Kind.DEV_NULL ? kind.name().toLowerCase()
                    : kind.name().toLowerCase() + " " + path;
        }
    }

    /// Points descriptors 0, 1 and 2 at /dev/null, as a daemon keeps them. Equivalent to the
    /// last step of slimta's and Prosody's `daemonize`.
    ///
    /// @throws PosixException if /dev/null cannot be opened or dup3(2) fails
    public static void redirectToDevNull() throws PosixException {
        redirect(Target.devNull(), Target.devNull(), Target.devNull());
    }

    /// Points stdin, stdout and stderr at the given targets: open(2) each file, then dup3(2) it
    /// onto 0, 1 or 2 with close-on-exec off, so programs this process starts inherit them.
    /// Equivalent to slimta's `redirect_stdio(stdin, stdout, stderr)`.
    ///
    /// All files are opened before any descriptor changes, so a bad path leaves all three as
    /// they were. When stdout and stderr name the same file the same way, it is opened once and
    /// both share one file offset, as `>file 2>&1` does in the shell.
    ///
    /// @throws PosixException from open(2) (ENOENT, EACCES, EISDIR...) before any change, or
    ///     from dup3(2) (EMFILE, EBUSY), after which earlier descriptors may already point elsewhere
    /// @throws IllegalArgumentException if `stdin` is an output target or `stdout`/`stderr` is
    ///     [Target#readFrom(Path)]
    public static void redirect(Target stdin, Target stdout, Target stderr) throws PosixException {
        Objects.requireNonNull(stdin, "stdin is null");
        Objects.requireNonNull(stdout, "stdout is null");
        Objects.requireNonNull(stderr, "stderr is null");
        if (stdin.kind == Target.Kind.APPEND || stdin.kind == Target.Kind.TRUNCATE) {
            throw new IllegalArgumentException("stdin must be unchanged, devNull or readFrom, not " + stdin);
        }
        if (stdout.kind == Target.Kind.READ) {
            throw new IllegalArgumentException("stdout must not be readFrom: " + stdout);
        }
        if (stderr.kind == Target.Kind.READ) {
            throw new IllegalArgumentException("stderr must not be readFrom: " + stderr);
        }
        List<Fd> opened = new ArrayList<>();
        try {
            Fd in = open(stdin, true, opened);
            Fd out = open(stdout, false, opened);
            Fd err = stderr.kind != Target.Kind.UNCHANGED && stderr.sameFileAs(stdout) ? out
                    : open(stderr, false, opened);
            System.out.flush();
            System.err.flush();
            dup(in, 0);
            dup(out, 1);
            dup(err, 2);
        } finally {
            for (Fd fd : opened) {
                fd.close();
            }
        }
    }

    /// Opens a target on a descriptor above 2, so that dup3 onto 0-2 never replaces a source
    /// still needed when one of the three was closed beforehand (open returns the lowest free number).
    private static Fd open(Target target, boolean input, List<Fd> opened) throws PosixException {
        if (target.kind == Target.Kind.UNCHANGED) {
            return null;
        }
        Fd fd = Fd.open(target.file(), target.flags(input), 0666);
        if (fd.intValue() > 2) {
            opened.add(fd);
            return fd;
        }
        // The low number is closed again at once: it is one of 0-2, about to be a dup3 target.
        try (fd) {
            MemorySegment errno = Libc.errnoSlot();
            int high = Libc.check(FcntlH.FCNTL.call(errno, fd.intValue(), FcntlH.F_DUPFD_CLOEXEC, 3),
                    errno, "fcntl", fd.intValue());
            Fd moved = Fd.adopt(high);
            opened.add(moved);
            return moved;
        } catch (Throwable t) {
            throw Libc.propagate(t);
        }
    }

    private static void dup(Fd source, int target) throws PosixException {
        if (source == null) {
            return;
        }
        MemorySegment errno = Libc.errnoSlot();
        try {
            int r;
            do {
                r = DupH.DUP3.call(errno, source.intValue(), target, 0);
            } while (r < 0 && Libc.interrupted(errno));
            Libc.check(r, errno, "dup3", source.intValue() + ", " + target);
        } catch (Throwable t) {
            throw Libc.propagate(t);
        }
    }
}
