package org.posix4j.internal;

/// System call numbers for the calls glibc 2.36 does not wrap, chosen once for this architecture.
///
/// A number of -1 means the call is unknown here; [Features][org.posix4j.Features] reports the
/// features that need it as unavailable with that reason. Calls numbered from 424 on share one
/// number on every architecture that uses the generic table.
public record Syscalls(
        String arch,
        long seccomp,
        long ioprioSet,
        long ioprioGet,
        long pidfdOpen,
        long pidfdSendSignal,
        long pidfdGetfd,
        long closeRange,
        long openat2,
        long processVmReadv,
        long processVmWritev,
        long gettid,
        long rtSigprocmask) {

    /// The table for the architecture this JVM runs on.
    public static final Syscalls CURRENT = forArch(System.getProperty("os.arch"));

    /// The table for a JVM `os.arch` name; every number is -1 for an architecture not listed.
    public static Syscalls forArch(String osArch) {
        return switch (osArch) {
            case "amd64", "x86_64" -> new Syscalls("x86_64", 317, 251, 252, 434, 424, 438, 436, 437, 310, 311, 186, 14);
            case "aarch64" -> new Syscalls("aarch64", 277, 30, 31, 434, 424, 438, 436, 437, 270, 271, 178, 135);
            default -> new Syscalls(osArch, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1);
        };
    }

    /// Whether this architecture is in the table.
    public boolean known() {
        return seccomp >= 0;
    }
}
