package org.posix4j.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.posix4j.Errno;
import org.posix4j.internal.BrokerSyscalls.Mode;
import org.posix4j.internal.BrokerSyscalls.Rule;
import org.posix4j.internal.BrokerSyscalls.Treatment;
import org.posix4j.landlock.FsAccess;
import org.posix4j.testing.Requires;

/// docs/broker-syscalls.md shows, under "## Every syscall", exactly the table [BrokerSyscalls] holds, and that table knows
/// every syscall of this machine's x86_64 kernel headers under its own number.
class BrokerSyscallsDocTest {
    private static final Path DOC = docs().resolve("broker-syscalls.md");
    private static final String SECTION = "## Every syscall";
    private static final Path UNISTD_64 = Path.of("/usr/include/x86_64-linux-gnu/asm/unistd_64.h");

    /// The repository's docs directory, found from the module directory Maven runs tests in.
    private static Path docs() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isDirectory(dir.resolve("docs")) && Files.isRegularFile(dir.resolve("pom.xml"))) {
                return dir.resolve("docs");
            }
        }
        throw new IllegalStateException("no docs directory above " + Path.of("").toAbsolutePath());
    }

    /// The Markdown table of every rule, one row per syscall.
    static String table() {
        StringBuilder sb = new StringBuilder();
        sb.append("| syscall | x86_64 | aarch64 | broker mode | errno | kernel mode | note |\n");
        sb.append("| --- | ---: | ---: | --- | --- | --- | --- |\n");
        for (Rule r : BrokerSyscalls.all()) {
            sb.append("| `").append(r.name()).append("` | ")
                    .append(number(r.x86_64())).append(" | ")
                    .append(number(r.aarch64())).append(" | ")
                    .append(r.treatment()).append(" | ")
                    .append(r.errno() == 0 ? "" : Errno.of(r.errno()).orElseThrow().name()).append(" | ")
                    .append(kernel(r)).append(" | ")
                    .append(r.note()).append(" |\n");
        }
        return sb.toString();
    }

    /// The kernel-mode cell: the treatment, and the Landlock rights that then decide the call, or
    /// "metadata" for a call the mode lets through that no right governs.
    private static String kernel(Rule r) {
        if (!r.landlock().isEmpty()) {
            return r.kernel() + ": " + r.landlock().stream().map(FsAccess::name).collect(Collectors.joining(", "));
        }
        return r.kernel() == r.treatment() ? r.kernel().toString() : r.kernel() + " (metadata)";
    }

    private static String number(int nr) {
        return nr < 0 ? "-" : Integer.toString(nr);
    }

    @Test
    void docTableIsTheTable() throws IOException {
        StringBuilder inDoc = new StringBuilder();
        boolean inSection = false;
        for (String line : Files.readAllLines(DOC)) {
            if (line.startsWith("## ")) {
                inSection = line.equals(SECTION);
            } else if (inSection && line.startsWith("|")) {
                inDoc.append(line).append('\n');
            }
        }
        String expected = table();
        assertEquals(expected, inDoc.toString(), () -> "docs/broker-syscalls.md is out of date; the table under \"" + SECTION + "\" must be:\n"
                + expected);
    }

    @Test
    void everyHeaderSyscallHasItsRow() throws IOException {
        Requires.that(Files.isRegularFile(UNISTD_64), "needs the kernel headers' " + UNISTD_64);
        Pattern define = Pattern.compile("#define __NR_(\\w+) (\\d+)");
        List<String> wrong = new ArrayList<>();
        int seen = 0;
        for (String line : Files.readAllLines(UNISTD_64)) {
            Matcher m = define.matcher(line);
            if (m.matches()) {
                seen++;
                int nr = Integer.parseInt(m.group(2));
                if (!m.group(1).equals(BrokerSyscalls.nameOf("x86_64", nr))) {
                    wrong.add(m.group(1) + " " + nr + " -> " + BrokerSyscalls.nameOf("x86_64", nr));
                }
            }
        }
        assertTrue(seen > 300, "only " + seen + " syscalls in " + UNISTD_64);
        assertEquals(List.of(), wrong, "header syscalls without their row");
    }

    @Test
    void everyRowIsComplete() {
        List<Rule> all = BrokerSyscalls.all();
        for (int i = 1; i < all.size(); i++) {
            assertTrue(all.get(i - 1).name().compareTo(all.get(i).name()) < 0, "not sorted at " + all.get(i).name());
        }
        for (Rule r : all) {
            assertEquals(r, BrokerSyscalls.rule(r.name()));
            assertTrue(!r.note().isBlank() && r.note().endsWith(".") && !r.note().contains("|"), "note of " + r.name());
            switch (r.treatment()) {
                case ALLOW, BROKER -> assertEquals(0, r.errno(), r.name());
                case DENY -> assertTrue(r.errno() > 0, r.name());
                case GUARD -> assertTrue(r.errno() >= 0, r.name());
            }
            if (r.x86_64() >= 0) {
                assertEquals(r.name(), BrokerSyscalls.nameOf("x86_64", r.x86_64()));
            }
            if (r.aarch64() >= 0) {
                assertEquals(r.name(), BrokerSyscalls.nameOf("aarch64", r.aarch64()));
            }
        }
        // The seed's calls and their aliases, exec, chdir, listen and every signal are brokered, never allowed.
        for (String brokered : List.of("open", "openat", "openat2", "creat", "stat", "lstat", "newfstatat", "statx",
                "access", "faccessat", "faccessat2", "mkdir", "mkdirat", "rmdir", "unlink", "unlinkat", "rename",
                "renameat", "renameat2", "readlink", "readlinkat", "connect", "bind", "sendmsg", "sendmmsg", "listen",
                "execve", "execveat", "chdir", "kill", "tkill", "tgkill", "rt_sigqueueinfo", "rt_tgsigqueueinfo",
                "pidfd_send_signal")) {
            assertEquals(BrokerSyscalls.Treatment.BROKER, BrokerSyscalls.rule(brokered).treatment(), brokered);
        }
    }

    /// Kernel mode loosens nothing but what a Landlock ruleset decides instead, and the metadata
    /// reads the mode is documented to reveal: a call broker mode denies is allowed only where the
    /// rule names the Landlock rights that govern it, and every call Landlock cannot govern keeps
    /// its broker-mode treatment.
    @Test
    void kernelModeLoosensOnlyWhatLandlockGoverns() {
        Set<String> metadata = Set.of("stat", "lstat", "newfstatat", "statx", "access", "faccessat", "faccessat2",
                "chdir", "readlink", "readlinkat");
        Set<String> deniedByBrokerGivenToLandlock = new TreeSet<>();
        for (Rule r : BrokerSyscalls.all()) {
            Treatment broker = r.treatment(Mode.BROKER);
            Treatment kernel = r.treatment(Mode.KERNEL);
            if (broker == Treatment.DENY && kernel != Treatment.DENY) {
                assertTrue(!r.landlock().isEmpty(), r.name() + ": denied in broker mode, not in kernel mode, "
                        + "and no Landlock right governs it");
                deniedByBrokerGivenToLandlock.add(r.name());
            }
            if (kernel != broker) {
                assertTrue(!r.landlock().isEmpty() || (metadata.contains(r.name()) && kernel == Treatment.ALLOW),
                        r.name() + ": kernel mode treats it as " + kernel + " without a Landlock right");
            } else {
                assertEquals(Set.of(), r.landlock(),
                        r.name() + ": names Landlock rights but is treated as in broker mode");
            }
            if (kernel == Treatment.DENY) {
                assertEquals(Treatment.DENY, broker, r.name());
            }
        }
        // Broker mode performs every call kernel mode leaves to Landlock (link, symlink, mknod and
        // truncate among them): nothing the kernel would do under the rules is refused outright.
        assertEquals(Set.of(), deniedByBrokerGivenToLandlock);
        // What Landlock cannot say stays as it is in broker mode.
        for (String same : List.of("chmod", "fchmod", "fchmodat", "fchmodat2", "chown", "fchown", "fchownat", "lchown",
                "utime", "utimes", "utimensat", "futimesat", "setxattr", "lsetxattr", "fsetxattr", "getxattr",
                "listxattr", "removexattr", "file_setattr", "connect", "bind", "listen", "sendto", "sendmsg",
                "sendmmsg", "socket", "socketpair", "kill", "tkill", "tgkill", "rt_sigqueueinfo", "rt_tgsigqueueinfo",
                "pidfd_send_signal", "ioctl", "fcntl", "statfs", "inotify_add_watch",
                "open_by_handle_at", "name_to_handle_at", "uselib", "acct", "chroot", "mount", "ptrace", "clone",
                "clone3", "setpgid", "seccomp", "io_uring_setup")) {
            Rule r = BrokerSyscalls.rule(same);
            assertEquals(r.treatment(Mode.BROKER), r.treatment(Mode.KERNEL), same);
        }
        for (String toKernel : List.of("mkdir", "mkdirat", "rmdir", "unlink", "unlinkat", "rename", "renameat",
                "link", "linkat", "symlink", "symlinkat", "truncate", "execve", "execveat")) {
            assertEquals(Treatment.ALLOW, BrokerSyscalls.rule(toKernel).treatment(Mode.KERNEL), toKernel);
        }
        // Setuid and setgid bits in the mode of a created file are no Landlock right's.
        for (String setid : List.of("open", "openat", "creat", "mknod", "mknodat")) {
            assertEquals(Treatment.GUARD, BrokerSyscalls.rule(setid).treatment(Mode.KERNEL), setid);
        }
        assertEquals(Treatment.BROKER, BrokerSyscalls.rule("openat2").treatment(Mode.KERNEL), "openat2's mode is in memory");
        assertEquals(Treatment.GUARD, BrokerSyscalls.rule("renameat2").treatment(Mode.KERNEL), "RENAME_WHITEOUT");
    }

    @Test
    void kernelRightsAreEveryRightTheTableNames() {
        EnumSet<FsAccess> named = EnumSet.noneOf(FsAccess.class);
        BrokerSyscalls.all().forEach(r -> named.addAll(r.landlock()));
        assertEquals(named, BrokerSyscalls.kernelRights());
        // ioctl stays guarded by the filter; every other filesystem right is relied on.
        assertEquals(EnumSet.complementOf(EnumSet.of(FsAccess.IOCTL_DEV)), BrokerSyscalls.kernelRights());
        assertEquals(3, BrokerSyscalls.kernelRights().stream().mapToInt(FsAccess::abi).max().orElseThrow(),
                "kernel mode needs Landlock ABI 3 (TRUNCATE)");
    }
}
