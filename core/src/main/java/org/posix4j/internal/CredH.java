package org.posix4j.internal;

/// System call numbers of the credential calls that act on the calling thread alone, chosen once
/// for this architecture, made through [SyscallH] (syscall(2)). glibc's setresuid(2),
/// setresgid(2), setgroups(2), setfsuid(2) and setfsgid(2) wrappers change every thread of the
/// process (nptl's "setxid" broadcast, as POSIX requires); the raw system calls change only the
/// caller's credentials, which is what a thread serving another process's call needs.
/// capget(2)/capset(2) are per thread either way. No policy here.
///
/// A number of -1 means the call is unknown on this architecture.
///
/// @param arch the architecture's name
/// @param getgroups `int getgroups(int size, gid_t list[])`   getgroups(2)
/// @param setgroups `int setgroups(size_t size, const gid_t *list)`   setgroups(2)
/// @param setresuid `int setresuid(uid_t ruid, uid_t euid, uid_t suid)`   setresuid(2)
/// @param getresuid `int getresuid(uid_t *ruid, uid_t *euid, uid_t *suid)`   getresuid(2)
/// @param setresgid `int setresgid(gid_t rgid, gid_t egid, gid_t sgid)`   setresgid(2)
/// @param getresgid `int getresgid(gid_t *rgid, gid_t *egid, gid_t *sgid)`   getresgid(2)
/// @param setfsuid `int setfsuid(uid_t fsuid)`: returns the previous fsuid, never fails   setfsuid(2)
/// @param setfsgid `int setfsgid(gid_t fsgid)`: returns the previous fsgid, never fails   setfsgid(2)
/// @param capget `int capget(cap_user_header_t hdrp, cap_user_data_t datap)`   capget(2)
/// @param capset `int capset(cap_user_header_t hdrp, const cap_user_data_t datap)`   capset(2)
public record CredH(
        String arch,
        long getgroups,
        long setgroups,
        long setresuid,
        long getresuid,
        long setresgid,
        long getresgid,
        long setfsuid,
        long setfsgid,
        long capget,
        long capset) {

    /// `_LINUX_CAPABILITY_VERSION_3`: the header version of 64-bit capability sets, two
    /// `struct __user_cap_data_struct` {effective, permitted, inheritable} of 32 bits each.
    public static final int CAPABILITY_VERSION_3 = 0x20080522;
    /// sizeof(struct __user_cap_header_struct): version, pid.
    public static final int CAP_HEADER_SIZE = 8;
    /// Two struct __user_cap_data_struct of three 32-bit sets.
    public static final int CAP_DATA_SIZE = 24;

    /// The table for the architecture this JVM runs on.
    public static final CredH CURRENT = forArch(System.getProperty("os.arch"));

    /// The table for a JVM `os.arch` name; every number is -1 for an architecture not listed.
    public static CredH forArch(String osArch) {
        return switch (osArch) {
            case "amd64", "x86_64" -> new CredH("x86_64", 115, 116, 117, 118, 119, 120, 122, 123, 125, 126);
            case "aarch64" -> new CredH("aarch64", 158, 159, 147, 148, 149, 150, 151, 152, 90, 91);
            default -> new CredH(osArch, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1);
        };
    }

    /// Whether this architecture is in the table.
    public boolean known() {
        return setresuid >= 0;
    }
}
