package org.posix4j.broker;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import org.posix4j.Errno;
import org.posix4j.PosixException;
import org.posix4j.io.Fd;
import org.posix4j.io.OpenFlags;

/// What a sandboxed program may do with files: allow-lists of directory trees (or single files)
/// by access level, denials that win over them, and the errno a denied call gets.
///
/// Decisions are made on the path the kernel resolves (symbolic links, `..`, the program's
/// working directory and directory descriptors), never on the string the program passed, and
/// the master performs allowed calls relative to a descriptor it holds on the allowed tree, with
/// `openat2(RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS)`, so that a path
/// changed after the decision (another thread, a swapped symbolic link) fails instead of
/// leaving the tree. A hard link placed inside an allowed tree before the program starts does
/// grant access to its inode (the program itself cannot make one: link(2) is denied).
///
/// Build with [#builder()]; a built policy holds an `O_PATH` descriptor on each allowed tree
/// until [#close()]. Immutable and thread-safe.
public final class Policy implements AutoCloseable {
    /// How much a rule allows below its path.
    public enum Level {
        /// O_TMPFILE files in the directory, nothing else (the seed's "temporary" files).
        TEMPORARY,
        /// open for reading, stat, access, readlink, list directories.
        READ,
        /// also open existing files for writing and truncate them.
        READ_WRITE,
        /// also create, unlink, rename, mkdir, rmdir below the path.
        CREATE
    }

    record Rule(String path, Level level, String anchorPath, Fd anchor, String alias) {}

    private final Fd root;
    private final List<Rule> allows;
    private final List<String> denies;
    private final boolean statParents;
    private final Errno denial;
    private final boolean dryRun;
    private final boolean hideMissing;
    private final boolean ownProc;

    private Policy(Builder b, Fd root, List<Rule> allows, List<String> denies) {
        this.root = root;
        this.allows = List.copyOf(allows);
        this.denies = List.copyOf(denies);
        this.statParents = b.statParents;
        this.denial = b.denial;
        this.dryRun = b.dryRun;
        this.hideMissing = b.hideMissing;
        this.ownProc = b.ownProc;
    }

    /// A builder with no rules: everything denied, parents of allowed paths stat-able, EACCES.
    public static Builder builder() {
        return new Builder();
    }

    /// An `O_PATH` descriptor on `/`: the anchor for stats of parent directories and dry runs.
    Fd root() {
        return root;
    }

    List<Rule> allows() {
        return allows;
    }

    List<String> denies() {
        return denies;
    }

    boolean statParents() {
        return statParents;
    }

    /// The errno a denied call gets.
    public Errno denial() {
        return denial;
    }

    /// Whether a denied path that does not exist gets the denial errno rather than ENOENT.
    public boolean hidesMissing() {
        return hideMissing;
    }

    /// Whether a program may read its own /proc/PID entries.
    public boolean ownProc() {
        return ownProc;
    }

    /// Whether this policy only records what it would deny (everything is allowed).
    public boolean isDryRun() {
        return dryRun;
    }

    /// Closes the descriptors on the allowed trees.
    @Override
    public void close() throws PosixException {
        PosixException first = null;
        try {
            root.close();
        } catch (PosixException e) {
            first = e;
        }
        for (Rule r : allows) {
            try {
                r.anchor().close();
            } catch (PosixException e) {
                first = first == null ? e : first;
            }
        }
        if (first != null) {
            throw first;
        }
    }

    /// Builds a [Policy]. Not thread-safe.
    public static final class Builder {
        private record Pending(Path path, Level level) {}

        private final List<Pending> pending = new ArrayList<>();
        private final List<Path> denied = new ArrayList<>();
        private boolean statParents = true;
        private Errno denial = Errno.EACCES;
        private boolean dryRun;
        private boolean hideMissing;
        private boolean ownProc = true;

        private Builder() {}

        /// Allows reading below `path` (a directory, or one file).
        public Builder allowRead(Path path) {
            return allow(path, Level.READ);
        }

        /// Allows reading and writing existing files below `path`.
        public Builder allowReadWrite(Path path) {
            return allow(path, Level.READ_WRITE);
        }

        /// Allows reading, writing, creating and removing below `path` (the CLI's `--allow-write`).
        public Builder allowCreate(Path path) {
            return allow(path, Level.CREATE);
        }

        /// Allows only unnamed temporary files (O_TMPFILE) in the directory `path`.
        public Builder allowTemporary(Path path) {
            return allow(path, Level.TEMPORARY);
        }

        /// Allows `level` below `path`.
        public Builder allow(Path path, Level level) {
            Objects.requireNonNull(path, "path");
            Objects.requireNonNull(level, "level");
            pending.add(new Pending(path, level));
            return this;
        }

        /// Denies everything at and below `path`, whatever any allow says; `path` need not exist.
        public Builder deny(Path path) {
            denied.add(Objects.requireNonNull(path, "path"));
            return this;
        }

        /// Whether the directories above an allowed path may be stat'ed and checked with access
        /// (not opened or listed); on by default, since programs walk up to find their files.
        public Builder statParents(boolean on) {
            this.statParents = on;
            return this;
        }

        /// The errno denied calls get; EACCES by default.
        public Builder denial(Errno errno) {
            this.denial = Objects.requireNonNull(errno, "errno");
            return this;
        }

        /// Whether a program looking up a path outside every allowance that does not exist gets
        /// the denial errno (on) or ENOENT (off, the default, as with Landlock or AppArmor).
        /// Off lets programs that probe optional files (compilers' include paths, shells' PATH)
        /// work, at the price of telling the program which denied paths exist; on tells it
        /// nothing, and such programs may stop at the first missing optional file.
        public Builder hideMissing(boolean on) {
            this.hideMissing = on;
            return this;
        }

        /// Whether each process may read its own /proc/PID (and /proc/self, which the master
        /// rewrites to it): on by default, since the loader reads /proc/self/exe and runtimes read
        /// their maps, status and limits there. Magic links under it (fd/N, cwd, root, exe when
        /// opened) are never followed, whatever this says.
        public Builder ownProc(boolean on) {
            this.ownProc = on;
            return this;
        }

        /// Dry run: allow every call, and record in the audit what this policy would deny.
        public Builder dryRun(boolean on) {
            this.dryRun = on;
            return this;
        }

        /// Resolves every path (symbolic links included) and opens an `O_PATH` descriptor on each
        /// allowed tree.
        ///
        /// @throws IllegalArgumentException if an allowed path does not exist
        /// @throws PosixException if an allowed tree cannot be opened
        public Policy build() throws PosixException {
            List<Rule> rules = new ArrayList<>();
            try {
                for (Pending p : pending) {
                    Path given = p.path().toAbsolutePath().normalize();
                    Path real;
                    try {
                        real = given.toRealPath();
                    } catch (IOException e) {
                        throw new IllegalArgumentException("allowed path " + p.path() + " does not exist");
                    }
                    boolean directory = Files.isDirectory(real, LinkOption.NOFOLLOW_LINKS);
                    if (p.level() == Level.TEMPORARY && !directory) {
                        throw new IllegalArgumentException("temporary files need a directory: " + p.path());
                    }
                    String realRaw = Paths.raw(real.toString());
                    String anchorPath = directory ? realRaw : Paths.parent(realRaw);
                    Fd anchor = Fd.open(Paths.display(anchorPath), OpenFlags.PATH | OpenFlags.DIRECTORY, 0);
                    String givenRaw = Paths.raw(given.toString());
                    rules.add(new Rule(realRaw, p.level(), anchorPath, anchor, givenRaw.equals(realRaw) ? null : givenRaw));
                }
            } catch (RuntimeException | PosixException e) {
                for (Rule r : rules) {
                    try {
                        r.anchor().close();
                    } catch (PosixException suppressed) {
                        e.addSuppressed(suppressed);
                    }
                }
                throw e;
            }
            rules.sort(Comparator.comparingInt((Rule r) -> r.path().length()).reversed());
            List<String> denies = new ArrayList<>();
            for (Path d : denied) {
                Path abs = d.toAbsolutePath().normalize();
                try {
                    abs = abs.toRealPath();
                } catch (IOException e) {
                    // A denial of a path that does not exist yet stands by its name.
                }
                denies.add(Paths.raw(abs.toString()));
            }
            return new Policy(this, Fd.open("/", OpenFlags.PATH | OpenFlags.DIRECTORY, 0), rules, denies);
        }
    }
}
