package org.posix4j.spawn;

import java.util.Objects;
import org.posix4j.io.Fd;

/// Which process group a spawned child joins. Equivalent to `Netsys_posix.pg_spec`.
///
/// Thread safety: immutable.
public sealed interface ProcessGroup {
    /// The child stays in the caller's process group (the default). Equivalent to `Pg_keep`.
    ProcessGroup KEEP = new Keep();

    /// The child leads a new process group of its own, in the background: posix_spawn with
    /// POSIX_SPAWN_SETPGROUP and group 0. Equivalent to `Pg_new_bg_group`.
    ProcessGroup NEW_BACKGROUND = new NewBackground();

    /// The child leads a new process group that becomes the foreground group of terminal `tty`,
    /// which must be the caller's controlling terminal. Equivalent to `Pg_new_fg_group`.
    ///
    /// glibc's child calls tcsetpgrp(3) from the new group through
    /// `posix_spawn_file_actions_addtcsetpgrp_np` (glibc 2.35+) while every signal is blocked, so
    /// the SIGTTOU a background group's tcsetpgrp raises cannot stop it: the seed's advice to add
    /// `Sig_ignore sigttou` is not needed, and the child starts with SIGTTOU untouched. This
    /// process is then in the background on that terminal; to take it back it calls
    /// tcsetpgrp with SIGTTOU blocked or ignored, as shells do.
    ///
    /// @param tty an open descriptor of the controlling terminal; it must stay open until
    ///     [Spawn#start()] returns
    /// @throws NullPointerException if `tty` is null
    static ProcessGroup newForeground(Fd tty) {
        return new NewForeground(tty);
    }

    /// The child joins existing process group `pgid` of this session: POSIX_SPAWN_SETPGROUP.
    /// Equivalent to `Pg_join_group`.
    ///
    /// @throws IllegalArgumentException if `pgid` is not positive
    static ProcessGroup join(int pgid) {
        return new Join(pgid);
    }

    /// See [ProcessGroup#KEEP].
    record Keep() implements ProcessGroup {}

    /// See [ProcessGroup#NEW_BACKGROUND].
    record NewBackground() implements ProcessGroup {}

    /// See [ProcessGroup#newForeground(Fd)].
    ///
    /// @param tty the controlling terminal
    record NewForeground(Fd tty) implements ProcessGroup {
        /// Checks the argument.
        ///
        /// @throws NullPointerException if `tty` is null
        public NewForeground {
            Objects.requireNonNull(tty, "tty is null");
        }
    }

    /// See [ProcessGroup#join(int)].
    ///
    /// @param pgid the group to join
    record Join(int pgid) implements ProcessGroup {
        /// Checks the argument.
        ///
        /// @throws IllegalArgumentException if `pgid` is not positive
        public Join {
            if (pgid <= 0) {
                throw new IllegalArgumentException("pgid must be positive: " + pgid);
            }
        }
    }
}
