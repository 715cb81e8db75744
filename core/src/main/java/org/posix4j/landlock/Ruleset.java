package org.posix4j.landlock;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.posix4j.PosixException;
import org.posix4j.internal.CStrings;
import org.posix4j.internal.LandlockH;
import org.posix4j.internal.Libc;
import org.posix4j.internal.PrctlH;
import org.posix4j.internal.SyscallH;
import org.posix4j.internal.SysStatH;
import org.posix4j.io.Fd;
import org.posix4j.io.OpenFlags;

/// A Landlock ruleset: the filesystem rights it handles, and the rules that grant some of them
/// beneath files and directories. Once a thread is restricted by it, a handled right is
/// refused (EACCES, or EXDEV for [FsAccess#REFER]) everywhere except beneath a rule granting it.
/// It may also handle TCP rights ([NetAccess], granted by port rules) and set scopes ([Scope]).
///
/// Built with [#builder()] (landlock_create_ruleset(2)); rules may also be added to a built
/// ruleset with [#allow(Path, Set, LinkOption...)] and [#allow(Fd, Set)] (landlock_add_rule(2)
/// with `LANDLOCK_RULE_PATH_BENEATH`). A rule applies to the inode it was opened on, not to its
/// name: a directory renamed or replaced later keeps or loses the rule with its inode.
///
/// Owns a close-on-exec ruleset descriptor until [#close()]; restrictions already applied
/// stay. Not thread-safe.
public final class Ruleset implements AutoCloseable {
    private static final int S_IFMT = 0170000;
    private static final int S_IFDIR = 0040000;
    /// offsetof(struct statx, stx_mode), a __u16
    private static final long STX_MODE = 28;

    private final Fd fd;
    private final Set<FsAccess> requested;
    private final Set<FsAccess> handled;
    private final Set<NetAccess> requestedNet;
    private final Set<NetAccess> handledNet;
    private final Set<Scope> scoped;
    private final int abi;

    private Ruleset(Fd fd, Set<FsAccess> requested, Set<FsAccess> handled, Set<NetAccess> requestedNet,
            Set<NetAccess> handledNet, Set<Scope> scoped, int abi) {
        this.fd = fd;
        this.requested = requested;
        this.handled = handled;
        this.requestedNet = requestedNet;
        this.handledNet = handledNet;
        this.scoped = scoped;
        this.abi = abi;
    }

    /// A builder handling nothing yet, [Compatibility#BEST_EFFORT].
    public static Builder builder() {
        return new Builder();
    }

    /// The rights this ruleset handles: those asked for, less those the kernel lacks under
    /// [Compatibility#BEST_EFFORT].
    public Set<FsAccess> handled() {
        return Collections.unmodifiableSet(handled);
    }

    /// The network rights this ruleset handles: those asked for, or none when the kernel has
    /// no network rights (before ABI 4) under [Compatibility#BEST_EFFORT].
    public Set<NetAccess> handledNet() {
        return Collections.unmodifiableSet(handledNet);
    }

    /// The scopes this ruleset sets: those asked for, or none when the kernel has no scopes
    /// (before ABI 6) under [Compatibility#BEST_EFFORT].
    public Set<Scope> scoped() {
        return Collections.unmodifiableSet(scoped);
    }

    /// The kernel's Landlock ABI version when this ruleset was built.
    public int abi() {
        return abi;
    }

    /// A borrowed view of the ruleset descriptor (closing it does not close the ruleset).
    ///
    /// @throws IllegalStateException if this ruleset was closed
    public Fd fd() {
        return Fd.borrow(fd.intValue());
    }

    /// Grants `rights` beneath `path` (the path itself, and below it when it is a directory),
    /// opened with `O_PATH`: landlock_add_rule(2). A symbolic link is followed unless `options`
    /// has [LinkOption#NOFOLLOW_LINKS], in which case the rule lands on the link itself (where
    /// it grants nothing: access is checked on what a link resolves to).
    ///
    /// @throws IllegalArgumentException if `rights` is empty, has a right this ruleset was not
    ///     asked to handle, or has a right that applies only to directories while `path` is not one;
    ///     or if `path` is a name the JVM cannot pass on unchanged (bytes invalid in its file name
    ///     encoding: the rule would land on another file)
    /// @throws PosixException if `path` cannot be opened (ENOENT...) or the kernel refuses the rule
    public Ruleset allow(Path path, Set<FsAccess> rights, LinkOption... options) throws PosixException {
        String name = CStrings.path("path", path);
        checkRights(rights, name);
        boolean follow = true;
        for (LinkOption o : options) {
            follow &= Objects.requireNonNull(o, "options") != LinkOption.NOFOLLOW_LINKS;
        }
        try (Fd beneath = Fd.open(name, OpenFlags.PATH | (follow ? 0 : OpenFlags.NO_FOLLOW), 0)) {
            add(beneath, rights, name);
        }
        return this;
    }

    /// Grants `rights` beneath the file or directory `beneath` refers to (any descriptor, such as
    /// an `O_PATH` one; it stays open): landlock_add_rule(2).
    ///
    /// @throws IllegalArgumentException as [#allow(Path, Set, LinkOption...)] does
    /// @throws PosixException if the kernel refuses the rule
    public Ruleset allow(Fd beneath, Set<FsAccess> rights) throws PosixException {
        Objects.requireNonNull(beneath, "beneath");
        String subject = "fd " + beneath.intValue();
        checkRights(rights, subject);
        add(beneath, rights, subject);
        return this;
    }

    /// Grants `rights` on the TCP port `port` (local for [NetAccess#BIND_TCP], remote for
    /// [NetAccess#CONNECT_TCP]), on every address: landlock_add_rule(2) with
    /// `LANDLOCK_RULE_NET_PORT`. Does nothing when the kernel has no network rights and the
    /// ruleset is [Compatibility#BEST_EFFORT].
    ///
    /// @throws IllegalArgumentException if `port` is not 0..65535, or `rights` is empty or has a
    ///     right this ruleset was not asked to handle
    /// @throws PosixException if the kernel refuses the rule
    public Ruleset allowPort(int port, Set<NetAccess> rights) throws PosixException {
        checkPort(port, rights);
        if (!requestedNet.containsAll(rights)) {
            throw new IllegalArgumentException("rights " + rights + " of the rule on port " + port
                    + " are not all handled by this ruleset, which handles " + requestedNet);
        }
        EnumSet<NetAccess> granted = EnumSet.copyOf(rights);
        granted.retainAll(handledNet);
        if (granted.isEmpty()) {
            return this;
        }
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment attr = arena.allocate(LandlockH.NET_PORT_ATTR);
            attr.set(JAVA_LONG, 0, NetAccess.mask(granted));
            attr.set(JAVA_LONG, 8, port);
            MemorySegment slot = Libc.errnoSlot();
            long rc = SyscallH.SYSCALL.call(slot, LandlockH.ADD_RULE, (long) fd.intValue(),
                    LandlockH.RULE_NET_PORT, attr.address(), 0L);
            Libc.check(rc, slot, "landlock_add_rule", "TCP port " + port);
        } catch (Throwable t) {
            throw Libc.propagate(t);
        }
        return this;
    }

    private static void checkPort(int port, Set<NetAccess> rights) {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port must be 0..65535: " + port);
        }
        if (Objects.requireNonNull(rights, "rights").isEmpty()) {
            throw new IllegalArgumentException("rights must not be empty (rule on port " + port + ")");
        }
    }

    private void checkRights(Set<FsAccess> rights, String subject) {
        Objects.requireNonNull(rights, "rights");
        if (rights.isEmpty()) {
            throw new IllegalArgumentException("rights must not be empty (rule beneath " + subject + ")");
        }
        if (!requested.containsAll(rights)) {
            EnumSet<FsAccess> extra = EnumSet.copyOf(rights);
            extra.removeAll(requested);
            throw new IllegalArgumentException("rights " + extra + " of the rule beneath " + subject
                    + " are not handled by this ruleset, which handles " + requested);
        }
    }

    private void add(Fd beneath, Set<FsAccess> rights, String subject) throws PosixException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment slot = Libc.errnoSlot();
            List<FsAccess> dirOnly = new ArrayList<>();
            for (FsAccess a : rights) {
                if (!a.appliesToFiles()) {
                    dirOnly.add(a);
                }
            }
            // The kernel refuses (EINVAL) directory rights on a file without naming them; the
            // check costs a statx, spent only when there is something to check.
            if (!dirOnly.isEmpty()) {
                MemorySegment stat = arena.allocate(SysStatH.STATX_SIZE, 8);
                int r = SysStatH.STATX.call(slot, beneath.intValue(), arena.allocateFrom("").address(),
                        SysStatH.AT_EMPTY_PATH, SysStatH.STATX_BASIC_STATS, stat.address());
                Libc.check(r, slot, "statx", subject);
                if ((Short.toUnsignedInt(stat.get(JAVA_SHORT, STX_MODE)) & S_IFMT) != S_IFDIR) {
                    throw new IllegalArgumentException(subject + " is not a directory, and rights " + dirOnly
                            + " apply only beneath a directory");
                }
            }
            EnumSet<FsAccess> granted = EnumSet.copyOf(rights);
            granted.retainAll(handled);
            if (granted.isEmpty()) {
                return;
            }
            MemorySegment attr = arena.allocate(LandlockH.PATH_BENEATH_ATTR);
            attr.set(JAVA_LONG, 0, FsAccess.mask(granted));
            attr.set(JAVA_INT, LandlockH.PATH_BENEATH_PARENT_FD, beneath.intValue());
            long rc = SyscallH.SYSCALL.call(slot, LandlockH.ADD_RULE, (long) fd.intValue(),
                    LandlockH.RULE_PATH_BENEATH, attr.address(), 0L);
            Libc.check(rc, slot, "landlock_add_rule", subject);
        } catch (Throwable t) {
            throw Libc.propagate(t);
        }
    }

    /// Restricts the calling thread by this ruleset: it sets `PR_SET_NO_NEW_PRIVS` on the thread
    /// (prctl(2); landlock_restrict_self(2) requires it of a thread without CAP_SYS_ADMIN, and it
    /// cannot be undone), then calls landlock_restrict_self(2).
    ///
    /// Only the calling thread is restricted, never the JVM's other threads; processes it
    /// starts afterwards inherit the restriction, and so do threads they create. Irreversible:
    /// a restricted thread can only be restricted further (at most 16 layers). Do it on a
    /// platform thread of your own: a virtual thread's carrier is shared.
    ///
    /// @throws PosixException if prctl or landlock_restrict_self fails (E2BIG: too many layers)
    public void restrictCurrentThread() throws PosixException {
        MemorySegment slot = Libc.errnoSlot();
        try {
            int r = PrctlH.PRCTL.call(slot, PrctlH.PR_SET_NO_NEW_PRIVS, 1L, 0L, 0L, 0L);
            Libc.check(r, slot, "prctl", "PR_SET_NO_NEW_PRIVS");
            long rc = SyscallH.SYSCALL.call(slot, LandlockH.RESTRICT_SELF, (long) fd.intValue(), 0L);
            Libc.check(rc, slot, "landlock_restrict_self", "ruleset fd " + fd.intValue());
        } catch (Throwable t) {
            throw Libc.propagate(t);
        }
    }

    /// Closes the ruleset descriptor; threads already restricted stay restricted.
    @Override
    public void close() throws PosixException {
        fd.close();
    }

    /// Builds a [Ruleset]. Not thread-safe.
    public static final class Builder {
        private record Pending(Path path, Set<FsAccess> rights, LinkOption[] options) {}

        private record PendingPort(int port, Set<NetAccess> rights) {}

        private final EnumSet<FsAccess> handled = EnumSet.noneOf(FsAccess.class);
        private final EnumSet<NetAccess> handledNet = EnumSet.noneOf(NetAccess.class);
        private final EnumSet<Scope> scoped = EnumSet.noneOf(Scope.class);
        private final List<Pending> rules = new ArrayList<>();
        private final List<PendingPort> ports = new ArrayList<>();
        private Compatibility compatibility = Compatibility.BEST_EFFORT;

        private Builder() {}

        /// Handles `rights` too: once restricted, they are refused except where a rule grants them.
        public Builder handle(FsAccess... rights) {
            for (FsAccess a : Objects.requireNonNull(rights, "rights")) {
                handled.add(Objects.requireNonNull(a, "rights"));
            }
            return this;
        }

        /// Handles every right in `rights` too.
        public Builder handle(Set<FsAccess> rights) {
            return handle(Objects.requireNonNull(rights, "rights").toArray(FsAccess[]::new));
        }

        /// Handles the TCP rights `rights` too (ABI 4): once restricted, binding or connecting
        /// is refused except on the ports a rule grants.
        public Builder handle(NetAccess... rights) {
            for (NetAccess a : Objects.requireNonNull(rights, "rights")) {
                handledNet.add(Objects.requireNonNull(a, "rights"));
            }
            return this;
        }

        /// Sets the scopes `scopes` too (ABI 6): once restricted, what they name is refused
        /// toward processes outside the domain.
        public Builder scope(Set<Scope> scopes) {
            for (Scope sc : Objects.requireNonNull(scopes, "scopes")) {
                scoped.add(Objects.requireNonNull(sc, "scopes"));
            }
            return this;
        }

        /// What to do with rights the kernel lacks; [Compatibility#BEST_EFFORT] by default.
        public Builder compatibility(Compatibility compatibility) {
            this.compatibility = Objects.requireNonNull(compatibility, "compatibility");
            return this;
        }

        /// A rule granting `rights` beneath `path`, added by [#build()] as
        /// [Ruleset#allow(Path, Set, LinkOption...)] adds it.
        ///
        /// @throws IllegalArgumentException if `rights` is empty, or `path` is a name the JVM
        ///     cannot pass on unchanged
        public Builder allow(Path path, Set<FsAccess> rights, LinkOption... options) {
            CStrings.path("path", path);
            Objects.requireNonNull(rights, "rights");
            if (rights.isEmpty()) {
                throw new IllegalArgumentException("rights must not be empty (rule beneath " + path + ")");
            }
            rules.add(new Pending(path, EnumSet.copyOf(rights), options.clone()));
            return this;
        }

        /// A rule granting `rights` on the TCP port `port`, added by [#build()] as
        /// [Ruleset#allowPort(int, Set)] adds it.
        ///
        /// @throws IllegalArgumentException if `port` is not 0..65535 or `rights` is empty
        public Builder allowPort(int port, Set<NetAccess> rights) {
            checkPort(port, rights);
            ports.add(new PendingPort(port, EnumSet.copyOf(rights)));
            return this;
        }

        /// Creates the ruleset (landlock_create_ruleset(2)) and adds the rules.
        ///
        /// @throws IllegalStateException if it handles no right and sets no scope
        /// @throws UnsupportedOperationException if the kernel has no Landlock; under
        ///     [Compatibility#STRICT] also if it lacks a handled right or a scope; under
        ///     [Compatibility#BEST_EFFORT] if it lacks every handled filesystem right
        /// @throws IllegalArgumentException as [Ruleset#allow(Path, Set, LinkOption...)] does
        /// @throws PosixException if the kernel refuses the ruleset or a rule, or a path cannot
        ///     be opened
        public Ruleset build() throws PosixException {
            if (handled.isEmpty() && handledNet.isEmpty() && scoped.isEmpty()) {
                throw new IllegalStateException("the ruleset handles no right: call handle(...) first");
            }
            int abi = Landlock.abi();
            if (abi == 0) {
                throw new UnsupportedOperationException(
                        "Landlock is not available: landlock_create_ruleset(LANDLOCK_CREATE_RULESET_VERSION) failed");
            }
            Set<FsAccess> kept = handled.isEmpty() ? EnumSet.noneOf(FsAccess.class) : kept(handled, abi, compatibility);
            Set<NetAccess> keptNet = keptSince(handledNet, NetAccess.ABI, abi, "TCP rights");
            Set<Scope> keptScopes = keptSince(scoped, Scope.ABI, abi, "scopes");
            Ruleset ruleset = new Ruleset(create(kept, keptNet, keptScopes), EnumSet.copyOf(handled), kept,
                    EnumSet.copyOf(handledNet), keptNet, keptScopes, abi);
            try {
                for (Pending p : rules) {
                    ruleset.allow(p.path(), p.rights(), p.options());
                }
                for (PendingPort p : ports) {
                    ruleset.allowPort(p.port(), p.rights());
                }
            } catch (RuntimeException | PosixException e) {
                try {
                    ruleset.close();
                } catch (PosixException suppressed) {
                    e.addSuppressed(suppressed);
                }
                throw e;
            }
            return ruleset;
        }

        /// The rights of `handled` that ABI `abi` has, as `compatibility` wants them.
        static Set<FsAccess> kept(Set<FsAccess> handled, int abi, Compatibility compatibility) {
            EnumSet<FsAccess> kept = EnumSet.copyOf(handled);
            kept.retainAll(FsAccess.ofAbi(abi));
            if (compatibility == Compatibility.STRICT && !kept.equals(handled)) {
                EnumSet<FsAccess> missing = EnumSet.copyOf(handled);
                missing.removeAll(kept);
                FsAccess first = missing.iterator().next();
                throw new UnsupportedOperationException("Landlock ABI " + abi + " lacks " + missing + " ("
                        + first + " needs ABI " + first.abi() + "), and the ruleset is strict");
            }
            if (kept.isEmpty()) {
                throw new UnsupportedOperationException("Landlock ABI " + abi + " has none of " + handled);
            }
            return kept;
        }

        /// `wanted` when ABI `abi` has what came with ABI `since`; else nothing, or the refusal
        /// under [Compatibility#STRICT].
        private <E extends Enum<E>> Set<E> keptSince(EnumSet<E> wanted, int since, int abi, String what) {
            if (wanted.isEmpty() || abi >= since) {
                return EnumSet.copyOf(wanted);
            }
            if (compatibility == Compatibility.STRICT) {
                throw new UnsupportedOperationException("Landlock ABI " + abi + " lacks " + what + " " + wanted
                        + " (they need ABI " + since + "), and the ruleset is strict");
            }
            EnumSet<E> none = EnumSet.copyOf(wanted);
            none.clear();
            return none;
        }

        private static Fd create(Set<FsAccess> kept, Set<NetAccess> net, Set<Scope> scopes) throws PosixException {
            try (Arena arena = Arena.ofConfined()) {
                MemorySegment attr = arena.allocate(LandlockH.RULESET_ATTR);
                attr.set(JAVA_LONG, 0, FsAccess.mask(kept));
                attr.set(JAVA_LONG, LandlockH.RULESET_HANDLED_NET, NetAccess.mask(net));
                attr.set(JAVA_LONG, LandlockH.RULESET_SCOPED, Scope.mask(scopes));
                MemorySegment slot = Libc.errnoSlot();
                long fd = SyscallH.SYSCALL.call(slot, LandlockH.CREATE_RULESET, attr.address(),
                        LandlockH.RULESET_ATTR.byteSize(), 0L);
                Libc.check(fd, slot, "landlock_create_ruleset", "handled_access_fs " + kept + ", handled_access_net "
                        + net + ", scoped " + scopes);
                return Fd.adopt((int) fd);
            } catch (Throwable t) {
                throw Libc.propagate(t);
            }
        }
    }
}
