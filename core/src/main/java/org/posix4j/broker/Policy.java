package org.posix4j.broker;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import org.posix4j.Errno;
import org.posix4j.PosixException;
import org.posix4j.internal.CStrings;
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
/// grant access to its inode (the program itself can link only a file where creating is allowed
/// to a name where creating is allowed, which gives the file nothing it did not have).
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

    /// A range of IP addresses and ports a program may connect to or bind.
    ///
    /// @param network the network's address
    /// @param prefixLength how many leading bits of `network` an address must share (32 or 128
    ///     for one address)
    /// @param firstPort the lowest port
    /// @param lastPort the highest port
    public record NetworkRule(InetAddress network, int prefixLength, int firstPort, int lastPort) {
        /// Checks the ranges.
        public NetworkRule {
            Objects.requireNonNull(network, "network");
            int bits = network.getAddress().length * 8;
            if (prefixLength < 0 || prefixLength > bits) {
                throw new IllegalArgumentException("prefixLength must be 0.." + bits + ": " + prefixLength);
            }
            if (firstPort < 0 || lastPort > 65535 || firstPort > lastPort) {
                throw new IllegalArgumentException("ports must be 0 <= firstPort <= lastPort <= 65535: "
                        + firstPort + "-" + lastPort);
            }
        }

        /// Whether `address` and `port` fall in this rule.
        public boolean matches(InetAddress address, int port) {
            byte[] a = address.getAddress();
            byte[] n = network.getAddress();
            if (a.length != n.length || port < firstPort || port > lastPort) {
                return false;
            }
            int full = prefixLength / 8;
            for (int i = 0; i < full; i++) {
                if (a[i] != n[i]) {
                    return false;
                }
            }
            int rest = prefixLength % 8;
            return rest == 0 || ((a[full] ^ n[full]) & (0xff << (8 - rest)) & 0xff) == 0;
        }
    }

    private final Fd root;
    private final List<Rule> allows;
    private final List<String> denies;
    private final boolean statParents;
    private final Errno denial;
    private final boolean dryRun;
    private final boolean revealMissing;
    private final boolean hideMetadata;
    private final boolean ownProc;
    private final List<NetworkRule> connects;
    private final List<NetworkRule> binds;
    private final List<Rule> unixConnects;
    private final List<Rule> unixBinds;
    private final Set<String> abstractConnects;
    private final Set<String> abstractBinds;
    private final Set<String> resolvable;
    private final Set<SocketKind> sockets;
    private final boolean noNetwork;

    private Policy(Builder b, Fd root, List<Rule> allows, List<String> denies, List<Rule> unixConnects,
            List<Rule> unixBinds) {
        this.root = root;
        this.allows = List.copyOf(allows);
        this.denies = List.copyOf(denies);
        this.statParents = b.statParents;
        this.denial = b.denial;
        this.dryRun = b.dryRun;
        this.revealMissing = b.revealMissing;
        this.hideMetadata = b.hideMetadata;
        this.ownProc = b.ownProc;
        this.connects = List.copyOf(b.connects);
        this.binds = List.copyOf(b.binds);
        this.unixConnects = List.copyOf(unixConnects);
        this.unixBinds = List.copyOf(unixBinds);
        this.abstractConnects = Set.copyOf(b.abstractConnects);
        this.abstractBinds = Set.copyOf(b.abstractBinds);
        this.resolvable = Set.copyOf(b.resolvable);
        this.sockets = Set.copyOf(b.sockets);
        this.noNetwork = b.noNetwork;
    }

    /// Whether connecting to (`bind` false) or binding (`bind` true) `address`:`port` is allowed.
    boolean allowsInet(InetAddress address, int port, boolean bind) {
        return !noNetwork && (bind ? binds : connects).stream().anyMatch(r -> r.matches(address, port));
    }

    /// Whether the abstract unix name `name` (without its leading NUL) may be used.
    boolean allowsAbstract(String name, boolean bind) {
        return !noNetwork && (bind ? abstractBinds : abstractConnects).contains(name);
    }

    /// Whether creating sockets of `kind` is allowed.
    boolean allowsSocket(SocketKind kind) {
        return !noNetwork && sockets.contains(kind);
    }

    /// Whether binding an unnamed unix socket (autobind) is allowed.
    boolean allowsUnnamed() {
        return !noNetwork;
    }

    /// The unix socket rule covering the canonical `path`, or `null`.
    Rule unixRule(String path, boolean bind) {
        if (noNetwork) {
            return null;
        }
        for (String d : denies) {
            if (Paths.isUnder(path, d)) {
                return null;
            }
        }
        for (Rule r : bind ? unixBinds : unixConnects) {
            if (Paths.isUnder(path, r.path())) {
                return r;
            }
        }
        return null;
    }

    /// Whether a program may look up `host` (through the resolver SPI).
    boolean allowsResolve(String host) {
        return !noNetwork && (resolvable.contains("*") || resolvable.contains(host.toLowerCase(Locale.ROOT)));
    }

    /// A builder with no rules: everything denied, parents of allowed paths stat-able, EACCES.
    public static Builder builder() {
        return new Builder();
    }

    /// A builder holding the rules of the policy file `file` (docs/policy-files.md), to which more
    /// may be added before [Builder#build()]: `Policy.load(file).allowRead(dir).build()`. The file's
    /// `defaults`, `audit` and `enforce` are read and checked, but are for whoever runs the
    /// program (see [PolicyFile]).
    ///
    /// @throws IllegalArgumentException when the file is not valid, with a message naming the
    ///     file, the line and the key (`policy.json:7: "alow_read": unknown key; did you mean
    ///     "allow_read"?`)
    /// @throws java.net.UnknownHostException when a host name of its network rules does not resolve
    /// @throws IOException when the file cannot be read
    public static Builder load(Path file) throws IOException {
        return PolicyFile.read(file).addTo(builder());
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

    /// The connect allowances for IP addresses, whatever [#noNetwork()] says.
    List<NetworkRule> connects() {
        return connects;
    }

    /// The bind allowances for IP addresses, whatever [#noNetwork()] says.
    List<NetworkRule> binds() {
        return binds;
    }

    /// The abstract unix socket names a program may connect to, whatever [#noNetwork()] says.
    Set<String> abstractConnects() {
        return abstractConnects;
    }

    /// Whether every network call and lookup is denied.
    boolean noNetwork() {
        return noNetwork;
    }

    boolean statParents() {
        return statParents;
    }

    /// The errno a denied call gets.
    public Errno denial() {
        return denial;
    }

    /// Whether a denied path that does not exist gets ENOENT rather than the denial errno.
    public boolean revealsMissing() {
        return revealMissing;
    }

    /// Whether the calls that only look at a path stay with the broker in kernel mode (see
    /// [Builder#hideMetadata(boolean)]).
    public boolean hidesMetadata() {
        return hideMetadata;
    }

    /// Whether a program may look any name up through [BrokerResolverProvider]. Its lookups
    /// reach the master as readlink calls, so in kernel mode such a policy keeps the calls that
    /// only look at a path with the broker, as [#hidesMetadata()] does.
    public boolean looksUpNames() {
        return !noNetwork && !resolvable.isEmpty();
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
        for (Rule r : concat(allows, unixConnects, unixBinds)) {
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

    private static List<Rule> concat(List<Rule> a, List<Rule> b, List<Rule> c) {
        List<Rule> all = new ArrayList<>(a);
        all.addAll(b);
        all.addAll(c);
        return all;
    }

    /// Builds a [Policy]. Not thread-safe. A method given a [Path] whose name the JVM cannot pass
    /// on unchanged (bytes invalid in its file name encoding, which read back as another name)
    /// throws IllegalArgumentException: the rule would be about another file.
    public static final class Builder {
        private record Pending(Path path, Level level) {}

        private final List<Pending> pending = new ArrayList<>();
        private final List<Path> denied = new ArrayList<>();
        private boolean statParents = true;
        private Errno denial = Errno.EACCES;
        private boolean dryRun;
        private boolean revealMissing;
        private boolean hideMetadata;
        private boolean ownProc = true;
        private final List<NetworkRule> connects = new ArrayList<>();
        private final List<NetworkRule> binds = new ArrayList<>();
        private final List<Path> unixConnectPaths = new ArrayList<>();
        private final List<Path> unixBindPaths = new ArrayList<>();
        private final Set<String> abstractConnects = new HashSet<>();
        private final Set<String> abstractBinds = new HashSet<>();
        private final Set<String> resolvable = new HashSet<>();
        private final Set<SocketKind> sockets = EnumSet.noneOf(SocketKind.class);
        private boolean noNetwork;

        private Builder() {}

        /// Allows connect(2), and sendto(2)/sendmsg(2) with a destination, to `rule`.
        public Builder allowConnect(NetworkRule rule) {
            connects.add(Objects.requireNonNull(rule, "rule"));
            return this;
        }

        /// Allows bind(2) to `rule` (a port range with 0 in it allows an ephemeral port).
        public Builder allowBind(NetworkRule rule) {
            binds.add(Objects.requireNonNull(rule, "rule"));
            return this;
        }

        /// Allows connecting to unix sockets at or below `path`, decided on the path the kernel
        /// resolves, as files are.
        public Builder allowConnectUnix(Path path) {
            CStrings.path("path", path);
            unixConnectPaths.add(path);
            return this;
        }

        /// Allows binding unix sockets at or below `path` (creating the socket file); `path` or
        /// its parent directory must exist.
        public Builder allowBindUnix(Path path) {
            CStrings.path("path", path);
            unixBindPaths.add(path);
            return this;
        }

        /// Allows connecting to the abstract unix socket `name` (without the leading NUL).
        public Builder allowConnectAbstract(String name) {
            abstractConnects.add(Objects.requireNonNull(name, "name"));
            return this;
        }

        /// Allows binding the abstract unix socket `name`.
        public Builder allowBindAbstract(String name) {
            abstractBinds.add(Objects.requireNonNull(name, "name"));
            return this;
        }

        /// Allows looking up `host` through [BrokerResolverProvider] (`*`: any name); the master
        /// resolves it.
        public Builder allowResolve(String host) {
            resolvable.add(Objects.requireNonNull(host, "host").toLowerCase(Locale.ROOT));
            return this;
        }

        /// Allows creating sockets of `kind`, which no connect or bind allowance governs (see
        /// [SocketKind]); without it such a socket(2) fails with EAFNOSUPPORT, or with
        /// EPROTONOSUPPORT for the IPv4/IPv6 kinds.
        public Builder allowSocket(SocketKind kind) {
            sockets.add(Objects.requireNonNull(kind, "kind"));
            return this;
        }

        /// Denies every network call and lookup, whatever else allows them.
        public Builder noNetwork() {
            this.noNetwork = true;
            return this;
        }

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
            CStrings.path("path", path);
            Objects.requireNonNull(level, "level");
            pending.add(new Pending(path, level));
            return this;
        }

        /// Denies everything at and below `path`, whatever any allow says. `path` need not exist:
        /// its existing part is resolved when the policy is built (symbolic links followed), so the
        /// denial holds for names created there later, through whichever link they are reached.
        public Builder deny(Path path) {
            CStrings.path("path", path);
            denied.add(path);
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
        /// ENOENT (on) or the denial errno (off, the default: the program learns nothing about
        /// what exists outside its allowances). On lets programs that probe optional files
        /// (compilers' include paths) carry on, at the price of telling them which denied paths
        /// exist, as Landlock and AppArmor do.
        public Builder revealMissing(boolean on) {
            this.revealMissing = on;
            return this;
        }

        /// Whether, when the kernel enforces the file rules ([Enforcement#KERNEL]), the calls
        /// that only look at a path (stat, lstat, fstatat, statx, access, faccessat, readlink, chdir) still
        /// go to the broker, which answers them under the policy, so that they reveal nothing
        /// about what exists outside the allowances (off by default: they go to the kernel,
        /// which answers them for any path). The broker always hides them. An open of a missing
        /// path outside the allowances still fails with ENOENT in kernel mode: Landlock checks
        /// a file only once the kernel has found it.
        public Builder hideMetadata(boolean on) {
            this.hideMetadata = on;
            return this;
        }

        /// Whether each process may read its own /proc/PID (and /proc/self, which the master
        /// rewrites to it): on by default, since the loader reads /proc/self/exe and runtimes read
        /// their maps, status and limits there. Magic links under it (fd/N, cwd, root, exe when
        /// opened) are never followed, whatever this says. The broker's alone: the kernel's rules
        /// cannot confine /proc to one process, so [Enforcement#KERNEL], and [Enforcement#AUTO]
        /// when it picks the kernel, refuse all of /proc ([Sandbox#kernelStricter(Policy)]).
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
                closeAll(rules, e);
                throw e;
            }
            rules.sort(Comparator.comparingInt((Rule r) -> r.path().length()).reversed());
            List<String> denies = new ArrayList<>();
            for (Path d : denied) {
                denies.add(Paths.raw(realOrFuture(d).toString()));
            }
            List<Rule> unixConnects = socketRules(unixConnectPaths, Level.READ);
            List<Rule> unixBinds;
            try {
                unixBinds = socketRules(unixBindPaths, Level.CREATE);
            } catch (RuntimeException | PosixException e) {
                closeAll(unixConnects, e);
                closeAll(rules, e);
                throw e;
            }
            return new Policy(this, Fd.open("/", OpenFlags.PATH | OpenFlags.DIRECTORY, 0), rules, denies, unixConnects,
                    unixBinds);
        }

        /// The kernel's name for `path`, also when it does not exist yet: its longest existing
        /// prefix resolved (symbolic links followed), then the missing components as given, so
        /// that a denial of `LINK/private` holds for `TARGET/private/f` created later.
        private static Path realOrFuture(Path path) {
            Path abs = path.toAbsolutePath().normalize();
            Path existing = abs;
            while (existing != null && !Files.exists(existing)) {
                existing = existing.getParent();
            }
            if (existing == null) {
                return abs;
            }
            try {
                return existing.toRealPath().resolve(existing.relativize(abs));
            } catch (IOException e) {
                return abs;
            }
        }

        private static void closeAll(List<Rule> rules, Exception e) {
            for (Rule r : rules) {
                try {
                    r.anchor().close();
                } catch (PosixException suppressed) {
                    e.addSuppressed(suppressed);
                }
            }
        }

        /// Rules on socket paths: the path itself when it exists (a directory, or a socket file),
        /// else its name in its real parent directory, which must exist.
        private static List<Rule> socketRules(List<Path> paths, Level level) throws PosixException {
            List<Rule> rules = new ArrayList<>();
            try {
                for (Path p : paths) {
                    Path given = p.toAbsolutePath().normalize();
                    String real;
                    boolean directory;
                    try {
                        Path r = given.toRealPath();
                        real = Paths.raw(r.toString());
                        directory = Files.isDirectory(r);
                    } catch (IOException e) {
                        Path parent = given.getParent();
                        try {
                            real = Paths.raw(parent.toRealPath().resolve(given.getFileName()).toString());
                        } catch (IOException | NullPointerException missing) {
                            throw new IllegalArgumentException("neither " + p + " nor its directory exists");
                        }
                        directory = false;
                    }
                    String anchorPath = directory ? real : Paths.parent(real);
                    rules.add(new Rule(real, level, anchorPath,
                            Fd.open(Paths.display(anchorPath), OpenFlags.PATH | OpenFlags.DIRECTORY, 0), null));
                }
            } catch (RuntimeException | PosixException e) {
                closeAll(rules, e);
                throw e;
            }
            return rules;
        }
    }
}
