package org.posix4j.broker;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.nio.charset.StandardCharsets.ISO_8859_1;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import java.util.function.IntSupplier;
import java.util.function.LongSupplier;
import org.posix4j.internal.CredH;
import org.posix4j.internal.Libc;
import org.posix4j.internal.PrctlH;
import org.posix4j.internal.SyscallH;

/// The credentials of a sandboxed program's thread, and the switch of a serving thread to them,
/// so that the master performs a call with the authority the program has, not its own: the
/// sandbox never grants what the kernel would refuse the program itself (a uid-65534 program
/// does not read /etc/shadow because the master is root, files it creates belong to it, a peer
/// reading SO_PEERCRED sees its uid).
///
/// A call's credentials are read from the calling thread's `/proc/TID/status` ([#read(int)], by a
/// caller that proves the file was the calling thread's), or for a call that creates nothing from
/// its pidfd and capget(2) with the groups of an earlier read ([#current]); when they differ from
/// the JVM's ([#actAs]), every native operation performed for the call runs between [#enter()] and
/// [#leave(int)], which switch the calling thread alone with raw syscalls (glibc's set*id wrappers
/// would switch every thread of the JVM): the supplementary groups, real/effective/fs gids,
/// real/effective/fs uids, and the effective capabilities; the saved uid and gid and the permitted
/// set stay the JVM's, which is what lets the thread switch back. Only native calls run between the
/// two, so no class is loaded and no Java I/O is done with the program's identity ([#prewarm()]
/// links the path once at start).
///
/// The switch is checked after it is made (ids and capabilities read back from the kernel); a
/// switch that did not take, or a JVM without CAP_SETUID and CAP_SETGID facing a program whose
/// credentials differ from its own, makes [#enter()] refuse: the call is answered EACCES, never
/// performed with the JVM's authority. A thread whose switch back failed refuses every later
/// call until a switch back succeeds.
///
/// Changing a thread's effective or fs uid makes the kernel reset the process's dumpable flag
/// to `fs.suid_dumpable`; [#leave(int)] sets it back to what the JVM had.
final class ProgramCredentials {
    private static final int EACCES = 13;
    private static final int O_RDONLY = 0;
    private static final int O_CLOEXEC = 02000000;
    private static final long CAP_SETGID = 1L << 6;
    private static final long CAP_SETUID = 1L << 7;
    private static final long CAP_DAC_OVERRIDE = 1L << 1;
    private static final long CAP_DAC_READ_SEARCH = 1L << 2;
    private static final int PR_GET_DUMPABLE = 3;
    private static final int PR_SET_DUMPABLE = 4;
    private static final CredH NR = CredH.CURRENT;
    private static final ThreadLocal<ProgramCredentials> TARGET = new ThreadLocal<>();
    private static final ThreadLocal<Switch> SWITCH = ThreadLocal.withInitial(Switch::new);

    /// The process (thread group) the thread belongs to.
    final int tgid;
    final int ruid;
    final int euid;
    final int suid;
    final int fsuid;
    final int rgid;
    final int egid;
    final int sgid;
    final int fsgid;
    /// The supplementary groups, in the kernel's (sorted) order.
    final int[] groups;
    final long capEff;
    final long capPrm;
    final long capInh;
    /// The process's umask, which the master applies to what it creates for the program.
    final int umask;

    /// The JVM's own, read once from the thread that loads this class (every thread of the JVM
    /// has them: nothing in posix4j changes them for long): what a serving thread has outside a
    /// switch and returns to.
    static final ProgramCredentials MASTER = readMaster();
    private static final boolean CAN_SWITCH = NR.known() && MASTER != null
            && (MASTER.capEff & (CAP_SETUID | CAP_SETGID)) == (CAP_SETUID | CAP_SETGID);
    private static final int DUMPABLE = dumpable();
    /// The umask of credentials read without the status file: the one that creates nothing
    /// anyone may use, should it ever be applied.
    private static final int UMASK_UNKNOWN = 0777;
    /// PIDFD_GET_INFO, `_IOWR(0xFF, 11, struct pidfd_info)` with the 64-byte first version of
    /// the struct, which Debian 12's headers predate; the flags of its mask and the offsets of
    /// the fields read.
    private static final long PIDFD_GET_INFO = 0xC040FF0BL;
    private static final long PIDFD_INFO_PID = 1;
    private static final long PIDFD_INFO_CREDS = 2;
    private static final long PIDFD_INFO_SIZE = 64;
    private static final long INFO_PID = 16;
    private static final long INFO_TGID = 20;
    private static final long INFO_RUID = 28;
    private static final int ENOTTY = 25;
    private static final int EINVAL = 22;
    /// False once the kernel answered that it has no PIDFD_GET_INFO.
    private static volatile boolean pidfdInfo = true;

    private ProgramCredentials(int tgid, int[] uids, int[] gids, int[] groups, long capEff, long capPrm, long capInh,
            int umask) {
        this.tgid = tgid;
        this.ruid = uids[0];
        this.euid = uids[1];
        this.suid = uids[2];
        this.fsuid = uids[3];
        this.rgid = gids[0];
        this.egid = gids[1];
        this.sgid = gids[2];
        this.fsgid = gids[3];
        this.groups = groups;
        this.capEff = capEff;
        this.capPrm = capPrm;
        this.capInh = capInh;
        this.umask = umask;
    }

    /// The credentials of a thread, from its open `status` file `fd` (read from offset 0, by a
    /// caller that proves afterwards that it was the calling thread's, see [StatusFiles]);
    /// `null` when it cannot be read (the thread is gone).
    static ProgramCredentials read(int fd) {
        Switch s = SWITCH.get();
        int n = readStatus(s, fd);
        if (n < 0) {
            return null;
        }
        if (s.bytes.length < n) {
            s.bytes = new byte[(int) s.status.byteSize()];
        }
        MemorySegment.copy(s.status, JAVA_BYTE, 0, s.bytes, 0, n);
        return parse(s.bytes, n);
    }

    /// The credentials of thread `tid` as they are now, without its status file: the ids from
    /// its pidfd (PIDFD_GET_INFO, Linux 6.13+), the capability sets from capget(2), and from
    /// `known` (an earlier full read of the same thread) the supplementary groups. `null` when
    /// the kernel has no PIDFD_GET_INFO, the pidfd's thread is gone or no longer numbered `tid`,
    /// or capget fails: the caller then reads the status file.
    ///
    /// The groups are the one part taken from the past: a thread's groups change only through
    /// its own setgroups(2), which the filter sends to the master ([StatusFiles#groupsChanging()]
    /// stops every such read from then on). The umask is not known here: the result says 0777, so
    /// that a call that would create anything must read the status file instead. Unproven, like
    /// [#read(int)]: the caller checks its notification afterwards.
    static ProgramCredentials current(ProgramCredentials known, int pidfd, int tid) {
        if (!pidfdInfo) {
            return null;
        }
        Switch s = SWITCH.get();
        MemorySegment info = s.info;
        info.fill((byte) 0);
        info.set(JAVA_LONG, 0, PIDFD_INFO_PID | PIDFD_INFO_CREDS);
        int r = Kernel.ioctl(pidfd, PIDFD_GET_INFO, info);
        if (r == -ENOTTY || r == -EINVAL) {
            pidfdInfo = false;
            return null;
        }
        if (r < 0 || (info.get(JAVA_LONG, 0) & PIDFD_INFO_CREDS) == 0 || info.get(JAVA_INT, INFO_PID) != tid) {
            return null;
        }
        s.header.set(JAVA_INT, 0, CredH.CAPABILITY_VERSION_3);
        s.header.set(JAVA_INT, 4, tid);
        if (call2(NR.capget(), s.header.address(), s.data.address()) != 0) {
            return null;
        }
        int[] uids = new int[4];
        int[] gids = new int[4];
        for (int i = 0; i < 4; i++) {
            // ruid, rgid, euid, egid, suid, sgid, fsuid, fsgid follow one another.
            uids[i] = info.get(JAVA_INT, INFO_RUID + 8L * i);
            gids[i] = info.get(JAVA_INT, INFO_RUID + 8L * i + 4);
        }
        return new ProgramCredentials(info.get(JAVA_INT, INFO_TGID), uids, gids, known.groups, s.capability(0),
                s.capability(4), s.capability(8), UMASK_UNKNOWN);
    }

    /// The credentials that access(2) checks with (faccessat without AT_EACCESS): the real uid
    /// and gid as fs ids, and all the permitted capabilities when the real uid is 0, none
    /// otherwise, as the kernel's access_override_creds() makes them.
    ProgramCredentials forAccess() {
        return new ProgramCredentials(tgid, new int[] {ruid, euid, suid, ruid}, new int[] {rgid, egid, sgid, rgid},
                groups, ruid == 0 ? capPrm : 0, capPrm, capInh, umask);
    }

    /// Whether every operation performed with these credentials is what the JVM's own would
    /// do: the ids the kernel checks or hands to peers, the groups and the effective set.
    boolean sameAsMaster() {
        ProgramCredentials m = MASTER;
        return m != null && ruid == m.ruid && euid == m.euid && fsuid == m.fsuid && rgid == m.rgid && egid == m.egid
                && fsgid == m.fsgid && capEff == m.capEff && Arrays.equals(groups, m.groups);
    }

    /// Whether these credentials pass the search check of every directory: CAP_DAC_OVERRIDE or
    /// CAP_DAC_READ_SEARCH is in the effective set.
    boolean searchesAnywhere() {
        return (capEff & (CAP_DAC_OVERRIDE | CAP_DAC_READ_SEARCH)) != 0;
    }

    /// The credentials this thread's operations are performed with: those set by [#actAs], else
    /// the JVM's own (`null` if they could not be read).
    static ProgramCredentials current() {
        ProgramCredentials target = TARGET.get();
        return target != null ? target : MASTER;
    }

    /// Sets the credentials this thread's next [#enter()] switches to: `null`, or the JVM's own,
    /// for none.
    static void actAs(ProgramCredentials credentials) {
        if (credentials == null || credentials.sameAsMaster()) {
            TARGET.remove();
        } else {
            TARGET.set(credentials);
        }
    }

    /// The credentials this thread acts with ([#actAs]), `null` for the JVM's: for handing a
    /// call on to another thread, which calls [#actAs] with them.
    static ProgramCredentials acting() {
        return TARGET.get();
    }

    /// Switches this thread to the credentials set by [#actAs]. Answers 0 when nothing was to
    /// be switched, 1 when switched (pass it to [#leave(int)] in a `finally`), or `-EACCES` when
    /// the switch could not be made: the operation must then not be performed.
    static int enter() {
        ProgramCredentials target = TARGET.get();
        if (target == null) {
            return 0;
        }
        Switch s = SWITCH.get();
        if (!CAN_SWITCH || (s.broken && !s.restore())) {
            return -EACCES;
        }
        if (!s.apply(target)) {
            s.restore();
            return -EACCES;
        }
        return 1;
    }

    /// Runs the native operation `op` between [#enter()] and [#leave(int)]: its result, or
    /// `-EACCES` when the switch could not be made (then `op` is not run).
    static int asProgram(IntSupplier op) {
        int w = enter();
        try {
            return w < 0 ? w : op.getAsInt();
        } finally {
            leave(w);
        }
    }

    /// [#asProgram(IntSupplier)] for an operation answering a `long`.
    static long asProgramLong(LongSupplier op) {
        int w = enter();
        try {
            return w < 0 ? w : op.getAsLong();
        } finally {
            leave(w);
        }
    }

    /// Switches this thread back to the JVM's credentials after an [#enter()] that answered 1.
    static void leave(int entered) {
        if (entered == 1) {
            SWITCH.get().restore();
        }
    }

    /// Runs `operations` with this thread switched to the JVM's own credentials by every
    /// [#enter()] they make (when the JVM may switch at all), so that the classes and call
    /// sites of the switch and of the operations are loaded and linked before any program's call
    /// is performed with a program's credentials.
    static void prewarm(Runnable operations) {
        if (CAN_SWITCH) {
            TARGET.set(MASTER);
        }
        try {
            operations.run();
        } finally {
            TARGET.remove();
        }
    }

    // ---- reading /proc/TID/status ----

    private static ProgramCredentials readMaster() {
        Switch s = SWITCH.get();
        s.path.setString(0, "/proc/thread-self/status", ISO_8859_1);
        int fd = Kernel.open(s.path, O_RDONLY | O_CLOEXEC);
        if (fd < 0) {
            return null;
        }
        try {
            return read(fd);
        } finally {
            Kernel.close(fd);
        }
    }

    /// Reads the whole status file `fd` into `s.status` with one pread from offset 0 (a buffer it
    /// fills exactly may hold only part: it is then doubled and read again, which makes the
    /// kernel render the file afresh); answers its length, -1 on failure.
    /// The text of the status file open as `fd` (read from its start), `null` when it cannot be
    /// read (its thread is gone).
    static String statusText(int fd) {
        Switch s = SWITCH.get();
        int n = readStatus(s, fd);
        return n < 0 ? null : new String(s.status.asSlice(0, n).toArray(JAVA_BYTE), ISO_8859_1);
    }

    private static int readStatus(Switch s, int fd) {
        for (;;) {
            long r = Kernel.pread(fd, s.status, s.status.byteSize(), 0);
            if (r < 0) {
                return -1;
            }
            if (r < s.status.byteSize()) {
                return (int) r;
            }
            s.status = Arena.ofAuto().allocate(s.status.byteSize() * 2);
        }
    }

    /// Parses the first `n` bytes of `status` (lines of `Name:<whitespace>value`, in a Java array:
    /// byte by byte, a native segment costs several times more) without making strings of them,
    /// up to the last line it needs; `null` when a field the credentials need is missing or
    /// malformed. The broker parses one for every call, so a line is found by one scan for its
    /// newline, and a name is compared only where the line has a colon right after it.
    private static ProgramCredentials parse(byte[] status, int n) {
        StatusParser p = new StatusParser(status, n);
        int tgid = -1;
        int umask = -1;
        int[] uids = null;
        int[] gids = null;
        int[] groups = null;
        long eff = -1;
        long prm = -1;
        long inh = -1;
        while (p.nextLine()) {
            if (p.key("Tgid")) {
                tgid = (int) p.number(10, 0x7fffffffL);
            } else if (p.key("Umask")) {
                umask = (int) p.number(8, 07777);
            } else if (p.key("Uid")) {
                uids = p.ids(4);
            } else if (p.key("Gid")) {
                gids = p.ids(4);
            } else if (p.key("Groups")) {
                groups = p.ids(-1);
            } else if (p.key("CapEff")) {
                eff = p.mask();
            } else if (p.key("CapPrm")) {
                prm = p.mask();
            } else if (p.key("CapInh")) {
                inh = p.mask();
            }
            if (p.bad) {
                return null;
            }
            if (eff != -1 && prm != -1 && inh != -1 && tgid >= 0 && uids != null && gids != null && groups != null) {
                break;
            }
        }
        if (tgid < 0 || uids == null || gids == null || groups == null || eff == -1 || prm == -1 || inh == -1) {
            return null;
        }
        return new ProgramCredentials(tgid, uids, gids, groups, eff, prm, inh, umask < 0 ? 0777 : umask);
    }

    /// A cursor over the lines of a status file.
    private static final class StatusParser {
        private final byte[] b;
        private final int n;
        /// The current line's start and its end (its newline or `n`).
        private int start;
        private int end = -1;
        /// Where the value reading goes on: after the name's colon once [#key] matched.
        private int at;
        /// Whether a value was malformed.
        boolean bad;

        StatusParser(byte[] b, int n) {
            this.b = b;
            this.n = n;
        }

        boolean nextLine() {
            start = end + 1;
            if (start >= n) {
                return false;
            }
            end = start;
            while (end < n && b[end] != '\n') {
                end++;
            }
            return true;
        }

        /// Whether the current line's name is `name` (the line starts with it and a colon).
        boolean key(String name) {
            int colon = start + name.length();
            if (colon >= end || b[colon] != ':') {
                return false;
            }
            for (int i = 0; i < name.length(); i++) {
                if (b[start + i] != name.charAt(i)) {
                    return false;
                }
            }
            at = colon + 1;
            return true;
        }

        private void skipBlanks() {
            while (at < end && (b[at] == ' ' || b[at] == '\t')) {
                at++;
            }
        }

        /// The value of `c` as a digit in `radix` (8, 10 or 16), or -1.
        private static int digit(int c, int radix) {
            int d = c >= '0' && c <= '9' ? c - '0'
                    : c >= 'a' && c <= 'f' ? c - 'a' + 10
                    : c >= 'A' && c <= 'F' ? c - 'A' + 10
                    : -1;
            return d < radix ? d : -1;
        }

        /// The next number in `radix`, at most `max`; -1 and [#bad] when there is none or it is
        /// larger.
        long number(int radix, long max) {
            skipBlanks();
            long v = 0;
            int from = at;
            while (at < end) {
                int d = digit(b[at], radix);
                if (d < 0) {
                    break;
                }
                v = v * radix + d;
                if (v > max || at - from >= 16) {
                    bad = true;
                    return -1;
                }
                at++;
            }
            if (at == from || (at < end && b[at] != ' ' && b[at] != '\t')) {
                bad = true;
                return -1;
            }
            return v;
        }

        /// A 64-bit capability set in hexadecimal (exactly 16 digits, as the kernel prints it).
        long mask() {
            skipBlanks();
            if (end - at != 16) {
                bad = true;
                return -1;
            }
            long v = 0;
            for (; at < end; at++) {
                int d = digit(b[at], 16);
                if (d < 0) {
                    bad = true;
                    return -1;
                }
                v = (v << 4) | d;
            }
            return v;
        }

        /// The unsigned 32-bit ids of the line: exactly `count` of them, or any number for -1.
        int[] ids(int count) {
            int[] ids = new int[count < 0 ? 8 : count];
            int k = 0;
            for (skipBlanks(); at < end; skipBlanks()) {
                long v = number(10, 0xffffffffL);
                if (bad || (count >= 0 && k == count)) {
                    bad = true;
                    return null;
                }
                if (k == ids.length) {
                    ids = Arrays.copyOf(ids, ids.length * 2);
                }
                ids[k++] = (int) v;
            }
            if (count >= 0 && k != count) {
                bad = true;
                return null;
            }
            return k == ids.length ? ids : Arrays.copyOf(ids, k);
        }
    }

    private static int dumpable() {
        try {
            return PrctlH.PRCTL.call(Libc.errnoSlot(), PR_GET_DUMPABLE, 0L, 0L, 0L, 0L);
        } catch (Throwable t) {
            throw Libc.unexpected(t);
        }
    }

    // ---- the switch ----

    /// One thread's native buffers for switching, allocated once per thread.
    private static final class Switch {
        final MemorySegment header;
        final MemorySegment data;
        final MemorySegment ids;
        final MemorySegment path;
        final MemorySegment info;
        MemorySegment groups;
        MemorySegment status;
        byte[] bytes = new byte[4096];
        boolean broken;
        boolean groupsChanged;

        Switch() {
            Arena arena = Arena.ofAuto();
            header = arena.allocate(CredH.CAP_HEADER_SIZE, 4);
            data = arena.allocate(CredH.CAP_DATA_SIZE, 4);
            ids = arena.allocate(12, 4);
            path = arena.allocate(64);
            info = arena.allocate(PIDFD_INFO_SIZE, 8);
            groups = arena.allocate(4L * 64, 4);
            status = arena.allocate(4096);
        }

        /// Switches to `t` from the JVM's credentials; answers whether the thread now has them.
        boolean apply(ProgramCredentials t) {
            ProgramCredentials m = MASTER;
            groupsChanged = !Arrays.equals(t.groups, m.groups);
            if (groupsChanged && setgroups(t.groups) != 0) {
                return false;
            }
            boolean gids = t.rgid != m.rgid || t.egid != m.egid;
            if (gids && call3(NR.setresgid(), t.rgid, t.egid, -1) != 0) {
                return false;
            }
            // setresgid sets the fsgid to the new egid; each of these switches costs a new set
            // of credentials, some microseconds: made only when it changes something.
            if (t.fsgid != (gids ? t.egid : m.fsgid)) {
                call1(NR.setfsgid(), t.fsgid);
            }
            if ((t.ruid != m.ruid || t.euid != m.euid) && call3(NR.setresuid(), t.ruid, t.euid, -1) != 0) {
                return false;
            }
            if (t.fsuid != t.euid) {
                if (t.fsuid != t.ruid && t.fsuid != m.suid && capset(CAP_SETUID & m.capPrm, m.capPrm, m.capInh) != 0) {
                    return false;
                }
                call1(NR.setfsuid(), t.fsuid);
            }
            long eff = t.capEff & m.capPrm;
            return capset(eff, m.capPrm, m.capInh) == 0 && has(t, eff);
        }

        /// Switches back to the JVM's credentials; answers whether that took (else the thread
        /// is marked broken).
        boolean restore() {
            ProgramCredentials m = MASTER;
            capset(m.capEff, m.capPrm, m.capInh);
            // setresuid and setresgid set the fs ids to the new effective ones, and an euid
            // that becomes 0 gets the permitted set as its effective one: the calls after each
            // are made only where those leave something to set. The read-back below checks all.
            call3(NR.setresuid(), m.ruid, m.euid, -1);
            if (m.fsuid != m.euid || broken) {
                call1(NR.setfsuid(), m.fsuid);
            }
            call3(NR.setresgid(), m.rgid, m.egid, -1);
            if (m.fsgid != m.egid || broken) {
                call1(NR.setfsgid(), m.fsgid);
            }
            if (groupsChanged || broken) {
                setgroups(m.groups);
            }
            if (m.capEff != m.capPrm || broken) {
                capset(m.capEff, m.capPrm, m.capInh);
            }
            broken = !has(m, m.capEff);
            if (!broken) {
                groupsChanged = false;
                setDumpable();
            }
            return !broken;
        }

        /// Whether this thread's credentials, read back from the kernel, are `t`'s ids and
        /// groups with the effective set `eff` (the saved ids stay the JVM's).
        private boolean has(ProgramCredentials t, long eff) {
            ProgramCredentials m = MASTER;
            if (getres(NR.getresuid()) != 0 || ids.get(JAVA_INT, 0) != t.ruid || ids.get(JAVA_INT, 4) != t.euid
                    || ids.get(JAVA_INT, 8) != m.suid) {
                return false;
            }
            if (getres(NR.getresgid()) != 0 || ids.get(JAVA_INT, 0) != t.rgid || ids.get(JAVA_INT, 4) != t.egid
                    || ids.get(JAVA_INT, 8) != m.sgid) {
                return false;
            }
            if ((int) call1(NR.setfsuid(), -1) != t.fsuid || (int) call1(NR.setfsgid(), -1) != t.fsgid) {
                return false;
            }
            if (capget() != 0 || effective() != eff) {
                return false;
            }
            int n = (int) call2(NR.getgroups(), groups.byteSize() / 4, groups.address());
            if (n != t.groups.length) {
                return false;
            }
            for (int i = 0; i < n; i++) {
                if (groups.getAtIndex(JAVA_INT, i) != t.groups[i]) {
                    return false;
                }
            }
            return true;
        }

        private long setgroups(int[] list) {
            if (groups.byteSize() < 4L * list.length) {
                groups = Arena.ofAuto().allocate(4L * list.length, 4);
            }
            for (int i = 0; i < list.length; i++) {
                groups.setAtIndex(JAVA_INT, i, list[i]);
            }
            return call2(NR.setgroups(), list.length, groups.address());
        }

        private long getres(long nr) {
            return call3(nr, ids.address(), ids.address() + 4, ids.address() + 8);
        }

        private long capset(long eff, long prm, long inh) {
            header.set(JAVA_INT, 0, CredH.CAPABILITY_VERSION_3);
            header.set(JAVA_INT, 4, 0);
            data.set(JAVA_INT, 0, (int) eff);
            data.set(JAVA_INT, 4, (int) prm);
            data.set(JAVA_INT, 8, (int) inh);
            data.set(JAVA_INT, 12, (int) (eff >>> 32));
            data.set(JAVA_INT, 16, (int) (prm >>> 32));
            data.set(JAVA_INT, 20, (int) (inh >>> 32));
            return call2(NR.capset(), header.address(), data.address());
        }

        private long capget() {
            header.set(JAVA_INT, 0, CredH.CAPABILITY_VERSION_3);
            header.set(JAVA_INT, 4, 0);
            return call2(NR.capget(), header.address(), data.address());
        }

        private long effective() {
            return capability(0);
        }

        /// One 64-bit set of the last capget: `offset` 0 for the effective, 4 the permitted, 8
        /// the inheritable (the upper halves follow 12 bytes later).
        long capability(long offset) {
            return Integer.toUnsignedLong(data.get(JAVA_INT, offset))
                    | (Integer.toUnsignedLong(data.get(JAVA_INT, offset + 12)) << 32);
        }

        private static void setDumpable() {
            if (DUMPABLE <= 0) {
                return;
            }
            try {
                int ignored = PrctlH.PRCTL.call(Libc.errnoSlot(), PR_SET_DUMPABLE, DUMPABLE, 0L, 0L, 0L);
            } catch (Throwable t) {
                throw Libc.unexpected(t);
            }
        }
    }

    // ---- raw calls: the result, or -errno ----

    private static long call1(long nr, long a) {
        MemorySegment slot = Libc.errnoSlot();
        try {
            long r = SyscallH.SYSCALL.call(slot, nr, a);
            return r == -1 ? -Libc.errno(slot) : r;
        } catch (Throwable t) {
            throw Libc.unexpected(t);
        }
    }

    private static long call2(long nr, long a, long b) {
        MemorySegment slot = Libc.errnoSlot();
        try {
            long r = SyscallH.SYSCALL.call(slot, nr, a, b);
            return r == -1 ? -Libc.errno(slot) : r;
        } catch (Throwable t) {
            throw Libc.unexpected(t);
        }
    }

    private static long call3(long nr, long a, long b, long c) {
        MemorySegment slot = Libc.errnoSlot();
        try {
            long r = SyscallH.SYSCALL.call(slot, nr, a, b, c);
            return r == -1 ? -Libc.errno(slot) : r;
        } catch (Throwable t) {
            throw Libc.unexpected(t);
        }
    }
}
