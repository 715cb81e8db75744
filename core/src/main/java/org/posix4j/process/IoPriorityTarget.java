package org.posix4j.process;

/// Whose I/O priority to read or set: a process, a process group or a user's processes.
/// Equivalent to `Netsys_posix.ioprio_target`.
///
/// @param which IOPRIO_WHO_PROCESS (1), IOPRIO_WHO_PGRP (2) or IOPRIO_WHO_USER (3)
/// @param who the pid, pgid or uid; 0 means the caller's own
public record IoPriorityTarget(int which, int who) {
    /// Checks the pair.
    public IoPriorityTarget {
        if (which < 1 || which > 3) {
            throw new IllegalArgumentException("which must be 1 (process), 2 (group) or 3 (user): " + which);
        }
        if (which != 3 && who < 0) {
            throw new IllegalArgumentException("who must not be negative: " + who);
        }
    }

    /// One process (0: the calling thread's process). `Netsys_posix.Ioprio_process`.
    public static IoPriorityTarget process(int pid) {
        return new IoPriorityTarget(1, pid);
    }

    /// Every process of a process group (0: the caller's). `Netsys_posix.Ioprio_pgrp`.
    public static IoPriorityTarget processGroup(int pgid) {
        return new IoPriorityTarget(2, pgid);
    }

    /// Every process whose real user id is `uid`. `Netsys_posix.Ioprio_user`.
    public static IoPriorityTarget user(int uid) {
        return new IoPriorityTarget(3, uid);
    }

    @Override
    public String toString() {
        return switch (which) {
            case 1 -> "process " + who;
            case 2 -> "process group " + who;
            default -> "user " + Integer.toUnsignedString(who);
        };
    }
}
