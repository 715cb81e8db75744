package org.posix4j.broker;

import static java.nio.charset.StandardCharsets.ISO_8859_1;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Collections;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.posix4j.Errno;
import org.posix4j.PosixException;
import org.posix4j.io.Fd;
import org.posix4j.landlock.Compatibility;
import org.posix4j.landlock.FsAccess;
import org.posix4j.landlock.Landlock;
import org.posix4j.landlock.NetAccess;
import org.posix4j.landlock.Ruleset;
import org.posix4j.landlock.Scope;

/// The Landlock ruleset that has the kernel enforce a [Policy], and what of the policy it
/// cannot say exactly ([#inexact(Policy, int)]).
///
/// It handles every filesystem right the kernel's ABI has, and grants, beneath each allowed
/// tree:
/// - read: [FsAccess#EXECUTE] (a program may execute what it may read), [FsAccess#READ_FILE],
///   [FsAccess#READ_DIR], and [FsAccess#IOCTL_DEV] (the policy does not govern ioctl by path:
///   the requests stay the filter's allow-list);
/// - read-write: also [FsAccess#WRITE_FILE] and [FsAccess#TRUNCATE];
/// - create: every right but [FsAccess#MAKE_CHAR] and [FsAccess#MAKE_BLOCK] (device nodes never),
///   [FsAccess#REFER] included, so files move between create trees; the kernel lets a program
///   make hard links, symbolic links, FIFOs and sockets there, as the broker does, and checks
///   what a link leads to when it is used;
/// - temporary-only: nothing (Landlock cannot allow O_TMPFILE without allowing writes to the
///   directory's files).
///
/// A rule on a file (not a directory) grants only the rights that apply to files.
///
/// **Denied paths.** Landlock grants beneath a directory and cannot carve a hole in it, so for
/// a denied path D inside an allowed tree T the rules go not on T but on every entry of each
/// directory along the path from T down to D, except the one leading to D. That is stricter
/// than the policy in four ways: entries created in those directories later (by anyone) get
/// no rights; the directories on the way cannot be listed; their files with more than one link
/// and their mounts of D's file system get no rule either (a rule is its inode's: one on a hard
/// link to D, or to a file below D, or on a bind mount, would grant D); and, in a writable
/// tree, nothing can be created, removed or renamed in them, which is why a denied path inside
/// a writable tree makes the ruleset inexact. Symbolic links get no rule: access is checked
/// where they lead.
///
/// **/proc.** The program's /proc/PID is not known before it starts, and a rule on
/// /proc/self would name the JVM's, while a rule on /proc would let the program read what
/// procfs lets its credentials read of every process, the JVM included (status, cmdline, and,
/// Landlock refusing only ptrace *attach* across its domain, environ and maps), which the
/// broker never shows whatever the policy says. So the own-/proc allowance gets no rule: the
/// kernel refuses the program every file under /proc, its own included, stricter than the
/// policy ([#stricter(Policy)] says so). An allowed tree that holds /proc (`/`) gets its rules
/// less /proc, as for a denied path inside it; an allowance of /proc itself, or of the JVM's
/// entries below it, cannot be said ([#inexact(Policy, int)]). Lookups Landlock does not govern
/// still work: the loader's readlink of /proc/self/exe reaches the kernel, and under
/// [Policy#hidesMetadata()] the broker answers it with the allowance.
///
/// **Network.** TCP bind and connect are handled when the policy can be said by port alone:
/// with no allowances (or [Policy.Builder#noNetwork()]) each is handled with no rule; with
/// allowances on any address only (0.0.0.0/0 and ::/0 for the same ports) it is handled with
/// a rule per port. Any other allowance leaves that right unhandled (the broker must decide
/// it). UDP, unix and raw sockets and name lookups are never Landlock's and are not counted
/// here.
///
/// **Scopes** (ABI 6): signals are scoped to the sandbox (the broker's rule too), and so are
/// abstract unix sockets unless the policy allows connecting to one by name.
///
/// Metadata writes (chmod, chown, utimes, xattrs) and stat are not governed by Landlock and are
/// not counted here either; a refusal by the kernel is EACCES (EXDEV for a link or rename
/// across directories), and a missing path is ENOENT whatever the policy's denial errno says.
final class KernelRules implements AutoCloseable {
    /// The directory whose entries show every process's environment, memory map and
    /// descriptors, posix4j's JVM's included.
    private static final String PROC = "/proc";
    private static final Set<FsAccess> READ = Collections.unmodifiableSet(
            EnumSet.of(FsAccess.EXECUTE, FsAccess.READ_FILE, FsAccess.READ_DIR, FsAccess.IOCTL_DEV));
    private static final Set<FsAccess> READ_WRITE = Collections.unmodifiableSet(
            EnumSet.of(FsAccess.EXECUTE, FsAccess.READ_FILE, FsAccess.READ_DIR, FsAccess.IOCTL_DEV,
                    FsAccess.WRITE_FILE, FsAccess.TRUNCATE));
    private static final Set<FsAccess> CREATE = Collections.unmodifiableSet(
            EnumSet.complementOf(EnumSet.of(FsAccess.MAKE_CHAR, FsAccess.MAKE_BLOCK)));
    /// More ports than this for one right are not worth a rule each: the right is left to the broker.
    static final int MAX_PORTS = 4096;

    private final Ruleset ruleset;

    private KernelRules(Ruleset ruleset) {
        this.ruleset = ruleset;
    }

    /// The ruleset for `policy` on the running kernel, its rule paths opened by the calling
    /// thread. Close it once the threads it restricts are restricted.
    ///
    /// @throws IllegalArgumentException if `policy` is a dry run (which allows everything)
    /// @throws UnsupportedOperationException if the kernel has no Landlock
    /// @throws IOException if a directory on the way to a denied path cannot be listed, or the
    ///     kernel refuses the ruleset or a rule
    static KernelRules of(Policy policy) throws IOException {
        if (policy.isDryRun()) {
            throw new IllegalArgumentException("a dry run allows everything: it has no kernel rules");
        }
        int abi = Landlock.abi();
        if (abi == 0) {
            throw new UnsupportedOperationException(
                    "Landlock is not available: landlock_create_ruleset(LANDLOCK_CREATE_RULESET_VERSION) failed");
        }
        Network net = network(policy, abi);
        Ruleset.Builder b = Ruleset.builder().handle(FsAccess.values()).compatibility(Compatibility.BEST_EFFORT);
        b.handle(net.handled().toArray(NetAccess[]::new));
        b.scope(scopes(policy));
        Ruleset ruleset = b.build();
        try {
            grant(ruleset, policy);
            for (Map.Entry<Integer, Set<NetAccess>> p : net.ports().entrySet()) {
                ruleset.allowPort(p.getKey(), p.getValue());
            }
        } catch (RuntimeException | IOException e) {
            closeQuietly(ruleset, e);
            throw e;
        }
        return new KernelRules(ruleset);
    }

    /// The ruleset, to restrict a thread with ([Ruleset#restrictCurrentThread()]).
    Ruleset ruleset() {
        return ruleset;
    }

    /// Closes the ruleset; threads already restricted stay restricted.
    @Override
    public void close() throws PosixException {
        ruleset.close();
    }

    /// What of the file rules of `policy` the ruleset cannot say exactly on a kernel of Landlock
    /// ABI `abi`, one sentence each naming the part of the policy (`--deny /a/b inside writable
    /// tree /a: ...`); empty when it says them exactly, or more strictly ([#stricter(Policy)]).
    /// Network rules, signals and abstract sockets are the broker's in every mode: see
    /// [#brokerOnly(Policy, int)].
    static List<String> inexact(Policy policy, int abi) {
        List<String> reasons = new ArrayList<>();
        if (abi == 0) {
            reasons.add("everything: the kernel has no Landlock");
            return reasons;
        }
        if (policy.denial() != Errno.EACCES) {
            reasons.add("denial errno " + policy.denial().name()
                    + ": the kernel refuses with EACCES (EXDEV for links and renames across directories)");
        }
        boolean creates = false;
        for (Policy.Rule r : policy.allows()) {
            String tree = Paths.display(r.path());
            boolean directory = r.path().equals(r.anchorPath());
            creates |= r.level() == Policy.Level.CREATE;
            if (r.level() == Policy.Level.TEMPORARY) {
                reasons.add("temporary files in " + tree + ": Landlock cannot allow O_TMPFILE there without"
                        + " allowing writes to the directory's files, so the kernel refuses them");
            } else if (r.level() == Policy.Level.CREATE && !directory) {
                reasons.add("--allow-write " + tree + ": on a file, Landlock cannot allow removing or replacing"
                        + " it, only reading and writing it");
            }
            if (r.path().equals(PROC) || supervisors(r.path())) {
                reasons.add("the allowance of " + tree + ": Landlock would show the program posix4j's own"
                        + " /proc/PID with it (its environment, memory map and descriptors), which only the broker"
                        + " hides");
            }
            if (directory && r.level().compareTo(Policy.Level.READ_WRITE) >= 0) {
                if (holdsProc(r, policy.denies())) {
                    reasons.add("/proc inside writable tree " + tree + ": the kernel's rules must leave /proc out"
                            + " (every process's environment, posix4j's included), and Landlock cannot take rights"
                            + " from a writable tree");
                }
                for (String d : policy.denies()) {
                    if (!d.equals(r.path()) && Paths.isUnder(d, r.path())) {
                        reasons.add("--deny " + Paths.display(d) + " inside writable tree " + tree
                                + ": Landlock cannot take rights from a tree, so the directories on the way to"
                                + " it could not be listed or changed");
                    }
                }
            }
        }
        if (abi < FsAccess.REFER.abi() && creates) {
            reasons.add("links and renames across directories of --allow-write trees: Landlock ABI " + abi
                    + " refuses them always (REFER needs ABI 2)");
        }
        if (abi < FsAccess.TRUNCATE.abi()) {
            reasons.add("truncate: Landlock ABI " + abi + " cannot refuse truncate(2) (TRUNCATE needs ABI 3)");
        }
        return reasons;
    }

    /// What the ruleset of `policy` leaves to the broker alone on a kernel of Landlock ABI
    /// `abi`, one sentence each: network rules it cannot say by port, signals and abstract
    /// sockets it cannot scope. The broker decides these calls in every mode, so none of this
    /// makes kernel mode looser; only the second wall behind the broker is lower there.
    static List<String> brokerOnly(Policy policy, int abi) {
        List<String> reasons = new ArrayList<>(network(policy, abi).reasons());
        if (abi < Scope.ABI) {
            reasons.add("signals to processes outside the sandbox: Landlock ABI " + abi
                    + " cannot refuse them (scopes need ABI 6)");
        }
        if (!policy.noNetwork() && !policy.abstractConnects().isEmpty()) {
            for (String name : policy.abstractConnects().stream().sorted().toList()) {
                reasons.add("connecting to abstract socket @" + name + ": Landlock scopes every abstract socket"
                        + " outside the sandbox or none, so it leaves them all unscoped");
            }
        } else if (abi < Scope.ABI) {
            reasons.add("abstract unix sockets outside the sandbox: Landlock ABI " + abi
                    + " cannot refuse connecting to them (scopes need ABI 6)");
        }
        return reasons;
    }

    /// What the ruleset of `policy` refuses that the policy allows, one sentence each: the
    /// program's own /proc/PID when the policy allows it, /proc inside an allowed tree, and the
    /// entries created later in the directories on the way to a path denied inside an allowed
    /// tree (or to /proc). Empty when there is nothing of the kind.
    static List<String> stricter(Policy policy) {
        List<String> effects = new ArrayList<>();
        if (policy.ownProc()) {
            effects.add("the program's own /proc/PID: the kernel refuses it every file under /proc, since a rule"
                    + " could only name all of /proc (every process's environment, the JVM's included)");
        }
        for (Policy.Rule r : policy.allows()) {
            if (holdsProc(r, policy.denies())) {
                effects.add("/proc, inside allowed tree " + Paths.display(r.path()) + ": the kernel refuses every file"
                        + " under it, since a rule could only name all of it (every process's environment, the JVM's"
                        + " included), and as for a --deny inside a tree, entries created later in the directories"
                        + " between them get no rights, and those directories cannot be listed");
            }
        }
        for (String d : policy.denies()) {
            for (Policy.Rule r : policy.allows()) {
                if (!d.equals(r.path()) && Paths.isUnder(d, r.path()) && r.path().equals(r.anchorPath())) {
                    effects.add("--deny " + Paths.display(d) + ": entries created later in the directories between "
                            + Paths.display(r.path()) + " and it get no rights, nor do files with more than one link and"
                            + " mounts of its file system there, and those directories cannot be listed");
                    break;
                }
            }
        }
        return effects;
    }

    private static Set<FsAccess> rights(Policy.Level level) {
        return switch (level) {
            case TEMPORARY -> Set.of();
            case READ -> READ;
            case READ_WRITE -> READ_WRITE;
            case CREATE -> CREATE;
        };
    }

    private static Set<Scope> scopes(Policy policy) {
        EnumSet<Scope> scopes = EnumSet.of(Scope.SIGNAL);
        if (policy.noNetwork() || policy.abstractConnects().isEmpty()) {
            scopes.add(Scope.ABSTRACT_UNIX_SOCKET);
        }
        return scopes;
    }

    /// Rules for every allowed tree of `policy`, with the rights of its level; the
    /// rights of several allowances of one tree (/lib and /usr/lib on a merged /usr, or two
    /// levels) are merged into one rule.
    private static void grant(Ruleset ruleset, Policy policy) throws IOException {
        Map<String, Policy.Rule> rules = new LinkedHashMap<>();
        Map<String, EnumSet<FsAccess>> granted = new LinkedHashMap<>();
        for (Policy.Rule r : policy.allows()) {
            Set<FsAccess> given = rights(r.level());
            if (!given.isEmpty()) {
                rules.putIfAbsent(r.path(), r);
                granted.computeIfAbsent(r.path(), p -> EnumSet.noneOf(FsAccess.class)).addAll(given);
            }
        }
        List<String> denies = new ArrayList<>(policy.denies());
        if (policy.allows().stream().anyMatch(r -> holdsProc(r, policy.denies()))) {
            denies.add(PROC);
        }
        for (Map.Entry<String, Policy.Rule> e : rules.entrySet()) {
            Policy.Rule r = e.getValue();
            grantTree(ruleset, r.path(), r.path().equals(r.anchorPath()) ? r.anchor() : null, granted.get(e.getKey()),
                    denies);
        }
    }

    /// Rules granting `rights` beneath `tree` (a directory when `anchor`, an `O_PATH` descriptor
    /// on it, is given; else a file), less the denied paths.
    private static void grantTree(Ruleset ruleset, String tree, Fd anchor, Set<FsAccess> rights, List<String> denies)
            throws IOException {
        if (denied(tree, denies)) {
            return;
        }
        if (anchor != null && deniedBelow(tree, denies)) {
            expand(ruleset, tree, rights, denies, mountPoints(), deniedDevices(tree, denies));
        } else if (anchor != null) {
            ruleset.allow(anchor, rights);
        } else {
            allowEntry(ruleset, Path.of(Paths.display(tree)), forFiles(rights));
        }
    }

    /// Rules on the entries of `dir`, a directory above a denied path, down to the denied paths.
    /// A rule is a rule on an inode, whatever name it was given by, and grants the inode (and,
    /// for a directory, what is beneath it) by every name: an entry that may be another name of
    /// something below a denied path or above it gets none, or its rule would grant the denied
    /// path: a file with more than one link (a hard link to a denied file, or to one below a
    /// denied directory) and a mount point (`mounts`) of a denied path's file system
    /// (`deniedDevices`: a bind mount of a directory on the way or below). Those names are then
    /// refused too, more strictly than asked.
    private static void expand(Ruleset ruleset, String dir, Set<FsAccess> rights, List<String> denies,
            Set<String> mounts, Set<Long> deniedDevices) throws IOException {
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(Path.of(Paths.display(dir)))) {
            for (Path entry : entries) {
                String raw = Paths.join(dir, Paths.raw(entry.getFileName().toString()));
                Map<String, Object> a;
                try {
                    a = Files.readAttributes(entry, "unix:isSymbolicLink,isDirectory,nlink,dev", LinkOption.NOFOLLOW_LINKS);
                } catch (NoSuchFileException gone) {
                    continue;
                }
                boolean directory = (Boolean) a.get("isDirectory");
                if ((Boolean) a.get("isSymbolicLink") || denied(raw, denies)
                        || mounts.contains(raw) && deniedDevices.contains((Long) a.get("dev"))) {
                    continue;
                }
                if (directory && deniedBelow(raw, denies)) {
                    expand(ruleset, raw, rights, denies, mounts, deniedDevices);
                } else if (directory || (Integer) a.get("nlink") == 1) {
                    allowEntry(ruleset, entry, directory ? rights : forFiles(rights));
                }
            }
        }
    }

    /// The devices (st_dev) of the paths denied below `tree`, of the nearest existing directory
    /// for one that does not exist: only a mount of one of them can be another name of what lies
    /// on the way to a denied path or below it.
    private static Set<Long> deniedDevices(String tree, List<String> denies) throws IOException {
        Set<Long> devices = new HashSet<>();
        for (String d : denies) {
            if (!d.equals(tree) && Paths.isUnder(d, tree)) {
                String p = d;
                while (!Files.exists(Path.of(Paths.display(p)), LinkOption.NOFOLLOW_LINKS) && !p.equals("/")) {
                    p = Paths.parent(p);
                }
                devices.add((Long) Files.getAttribute(Path.of(Paths.display(p)), "unix:dev", LinkOption.NOFOLLOW_LINKS));
            }
        }
        return devices;
    }

    /// The mount points of the JVM's mount namespace, the program's (`/proc/self/mountinfo`'s
    /// fifth field, its octal escapes undone), as raw paths.
    private static Set<String> mountPoints() throws IOException {
        Set<String> points = new HashSet<>();
        for (String line : new String(Files.readAllBytes(Path.of("/proc/self/mountinfo")), ISO_8859_1).split("\n")) {
            String[] fields = line.split(" ");
            if (fields.length > 4) {
                points.add(unescape(fields[4]));
            }
        }
        return points;
    }

    /// `field` with each `\ooo` (an octal byte: mountinfo's space, tab, newline and backslash)
    /// replaced by its byte.
    private static String unescape(String field) {
        StringBuilder out = new StringBuilder(field.length());
        for (int i = 0; i < field.length(); i++) {
            char c = field.charAt(i);
            if (c == '\\' && i + 3 < field.length() && isOctal(field, i + 1, 3)) {
                out.append((char) Integer.parseInt(field.substring(i + 1, i + 4), 8));
                i += 3;
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    private static boolean isOctal(String s, int from, int count) {
        for (int i = from; i < from + count; i++) {
            if (s.charAt(i) < '0' || s.charAt(i) > '7') {
                return false;
            }
        }
        return true;
    }

    /// A rule on `entry` itself: NOFOLLOW, so an entry swapped for a link since it was looked at
    /// gets a rule on the link, which grants nothing, never on where the link leads. An entry gone
    /// meanwhile needs no rule.
    private static void allowEntry(Ruleset ruleset, Path entry, Set<FsAccess> rights) throws PosixException {
        if (rights.isEmpty()) {
            return;
        }
        try {
            ruleset.allow(entry, rights, LinkOption.NOFOLLOW_LINKS);
        } catch (PosixException e) {
            if (!e.isNotFound()) {
                throw e;
            }
        }
    }

    private static Set<FsAccess> forFiles(Set<FsAccess> rights) {
        EnumSet<FsAccess> files = EnumSet.noneOf(FsAccess.class);
        for (FsAccess a : rights) {
            if (a.appliesToFiles()) {
                files.add(a);
            }
        }
        return files;
    }

    /// Whether `r` allows a directory above /proc (`/`) that `denies` leave /proc in.
    private static boolean holdsProc(Policy.Rule r, List<String> denies) {
        return r.path().equals(r.anchorPath()) && !r.path().equals(PROC) && Paths.isUnder(PROC, r.path())
                && !rights(r.level()).isEmpty() && !denied(PROC, denies);
    }

    /// Whether `path` is the /proc entry of posix4j's JVM or of one of its threads (each thread
    /// id has one, not listed but reachable), or lies below one.
    private static boolean supervisors(String path) {
        if (!Paths.isUnder(path, PROC) || path.equals(PROC)) {
            return false;
        }
        int end = path.indexOf('/', PROC.length() + 1);
        String id = path.substring(PROC.length() + 1, end < 0 ? path.length() : end);
        return id.equals("self") || id.equals("thread-self") || (!id.isEmpty() && id.length() < 10
                && id.chars().allMatch(Character::isDigit) && Files.exists(Path.of("/proc/self/task", id)));
    }

    private static boolean denied(String path, List<String> denies) {
        return denies.stream().anyMatch(d -> Paths.isUnder(path, d));
    }

    private static boolean deniedBelow(String dir, List<String> denies) {
        return denies.stream().anyMatch(d -> !d.equals(dir) && Paths.isUnder(d, dir));
    }

    private static void closeQuietly(Ruleset ruleset, Exception e) {
        try {
            ruleset.close();
        } catch (PosixException suppressed) {
            e.addSuppressed(suppressed);
        }
    }

    /// The TCP rights to handle, the port rules granting them, and what cannot be said.
    private record Network(Set<NetAccess> handled, Map<Integer, Set<NetAccess>> ports, List<String> reasons) {}

    private static Network network(Policy policy, int abi) {
        EnumSet<NetAccess> handled = EnumSet.noneOf(NetAccess.class);
        Map<Integer, Set<NetAccess>> ports = new LinkedHashMap<>();
        List<String> reasons = new ArrayList<>();
        Map<NetAccess, List<Policy.NetworkRule>> allowances = new EnumMap<>(NetAccess.class);
        allowances.put(NetAccess.CONNECT_TCP, policy.noNetwork() ? List.of() : policy.connects());
        allowances.put(NetAccess.BIND_TCP, policy.noNetwork() ? List.of() : policy.binds());
        for (Map.Entry<NetAccess, List<Policy.NetworkRule>> e : allowances.entrySet()) {
            String option = e.getKey() == NetAccess.BIND_TCP ? "--allow-bind " : "--allow-connect ";
            String call = e.getKey() == NetAccess.BIND_TCP ? "TCP bind" : "TCP connect";
            BitSet v4 = new BitSet();
            BitSet v6 = new BitSet();
            List<String> inexact = new ArrayList<>();
            for (Policy.NetworkRule r : e.getValue()) {
                if (r.prefixLength() != 0) {
                    inexact.add(option + describe(r) + ": Landlock grants TCP ports on every address, so " + call
                            + " is left unhandled");
                }
                (r.network().getAddress().length == 4 ? v4 : v6).set(r.firstPort(), r.lastPort() + 1);
            }
            if (!inexact.isEmpty()) {
                reasons.addAll(inexact);
            } else if (!v4.equals(v6)) {
                reasons.add(option + "0.0.0.0/0 and ::/0 name different ports: Landlock's ports hold for IPv4 and"
                        + " IPv6 alike, so " + call + " is left unhandled");
            } else if (v4.cardinality() == 65536) {
                continue;
            } else if (abi < NetAccess.ABI) {
                reasons.add(call + ": Landlock ABI " + abi + " has no network rights (they need ABI 4)");
            } else if (v4.cardinality() > MAX_PORTS) {
                reasons.add(option + "ports: " + v4.cardinality() + " ports, over the " + MAX_PORTS
                        + " a ruleset gets a rule each for, so " + call + " is left unhandled");
            } else {
                handled.add(e.getKey());
                for (int p = v4.nextSetBit(0); p >= 0; p = v4.nextSetBit(p + 1)) {
                    ports.computeIfAbsent(p, x -> EnumSet.noneOf(NetAccess.class)).add(e.getKey());
                }
            }
        }
        return new Network(handled, ports, reasons);
    }

    private static String describe(Policy.NetworkRule r) {
        InetAddress n = r.network();
        String ports = r.firstPort() == r.lastPort() ? Integer.toString(r.firstPort()) : r.firstPort() + "-" + r.lastPort();
        return n.getHostAddress() + "/" + r.prefixLength() + " port " + ports;
    }
}
