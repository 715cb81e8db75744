package org.posix4j.process;

/// An I/O scheduling class and level, as ioprio_get(2) reports and ioprio_set(2) takes them.
/// Equivalent to `Netsys_posix.ioprio`.
///
/// The classes are honoured by the BFQ and (older) CFQ block schedulers; with others the kernel
/// stores but ignores them.
///
/// Since Linux 6.5 the ten bits above the level carry a hint (`IOPRIO_HINT_*`: 1 to 7 select a
/// command duration limit descriptor of a disk that supports them; 0 is no hint). Any class may
/// carry one, so every priority has a [#hint()], and [#fromRaw(int)] decodes it instead of taking
/// it for part of the level. `ionice` of util-linux 2.38 prints the 13 bits below the class as
/// one number, `hint * 8 + level`.
public sealed interface IoPriority {
    /// IOPRIO_CLASS_NONE: no class set; the process gets best-effort at a level derived from its
    /// nice value. `Netsys_posix.Noprio`.
    IoPriority NONE = new None(0);
    /// IOPRIO_CLASS_IDLE: I/O only when no one else needs the disk. `Netsys_posix.Idle`.
    IoPriority IDLE = new Idle();

    /// The class number: 0 none, 1 real-time, 2 best-effort, 3 idle.
    int classNumber();

    /// The level within the class, 0 (highest) to 7 (lowest); 0 for idle.
    int level();

    /// The hint, 0 (none) to 1023 (`IOPRIO_HINT_*`, Linux 6.5+).
    int hint();

    /// This class and level with `hint` instead of this priority's hint.
    ///
    /// @throws IllegalArgumentException if hint is outside 0..1023
    default IoPriority withHint(int hint) {
        return switch (this) {
            case None n -> new None(n.level(), hint);
            case RealTime r -> new RealTime(r.level(), hint);
            case BestEffort b -> new BestEffort(b.level(), hint);
            case Idle _ -> new Idle(hint);
        };
    }

    /// The raw ioprio value: class shifted by 13, ORed with the hint shifted by 3 and the level.
    default int toRaw() {
        return classNumber() << 13 | hint() << 3 | level();
    }

    /// Real-time at `level` 0 (highest) to 7; setting it needs CAP_SYS_ADMIN or CAP_SYS_NICE.
    /// `Netsys_posix.Real_time`.
    ///
    /// @throws IllegalArgumentException if level is outside 0..7
    static IoPriority realTime(int level) {
        return new RealTime(level);
    }

    /// Best-effort at `level` 0 (highest) to 7. `Netsys_posix.Best_effort`.
    ///
    /// @throws IllegalArgumentException if level is outside 0..7
    static IoPriority bestEffort(int level) {
        return new BestEffort(level);
    }

    /// Decodes a raw ioprio value.
    ///
    /// @throws IllegalArgumentException for a class the kernel does not define
    static IoPriority fromRaw(int raw) {
        // <linux/ioprio.h>: class above bit 13 (IOPRIO_CLASS_SHIFT), then IOPRIO_HINT_NR_BITS (10)
        // of hint above IOPRIO_HINT_SHIFT (3), then the level.
        int level = raw & 7;
        int hint = raw >>> 3 & 0x3ff;
        return switch (raw >>> 13) {
            case 0 -> new None(level, hint);
            case 1 -> new RealTime(level, hint);
            case 2 -> new BestEffort(level, hint);
            // The kernel ignores the level of the idle class; only the hint is kept.
            case 3 -> new Idle(hint);
            default -> throw new IllegalArgumentException("raw: unknown I/O priority class " + (raw >>> 13));
        };
    }

    private static int checkLevel(int level) {
        if (level < 0 || level > 7) {
            throw new IllegalArgumentException("level must be within 0..7: " + level);
        }
        return level;
    }

    private static int checkHint(int hint) {
        if (hint < 0 || hint > 0x3ff) {
            throw new IllegalArgumentException("hint must be within 0..1023: " + hint);
        }
        return hint;
    }

    /// IOPRIO_CLASS_NONE. The kernel reports the level it would use in the low bits.
    ///
    /// @param level the level carried with the class, usually 0 or the nice-derived level
    /// @param hint 0 (none) to 1023
    record None(int level, int hint) implements IoPriority {
        /// Checks the level and the hint.
        public None {
            checkLevel(level);
            checkHint(hint);
        }

        /// No class, at `level`, without a hint.
        public None(int level) {
            this(level, 0);
        }

        @Override
        public int classNumber() {
            return 0;
        }
    }

    /// IOPRIO_CLASS_RT.
    ///
    /// @param level 0 (highest) to 7
    /// @param hint 0 (none) to 1023
    record RealTime(int level, int hint) implements IoPriority {
        /// Checks the level and the hint.
        public RealTime {
            checkLevel(level);
            checkHint(hint);
        }

        /// This class at `level`, without a hint.
        public RealTime(int level) {
            this(level, 0);
        }

        @Override
        public int classNumber() {
            return 1;
        }
    }

    /// IOPRIO_CLASS_BE.
    ///
    /// @param level 0 (highest) to 7
    /// @param hint 0 (none) to 1023
    record BestEffort(int level, int hint) implements IoPriority {
        /// Checks the level and the hint.
        public BestEffort {
            checkLevel(level);
            checkHint(hint);
        }

        /// This class at `level`, without a hint.
        public BestEffort(int level) {
            this(level, 0);
        }

        @Override
        public int classNumber() {
            return 2;
        }
    }

    /// IOPRIO_CLASS_IDLE.
    ///
    /// @param hint 0 (none) to 1023
    record Idle(int hint) implements IoPriority {
        /// Checks the hint.
        public Idle {
            checkHint(hint);
        }

        /// The idle class without a hint.
        public Idle() {
            this(0);
        }

        @Override
        public int classNumber() {
            return 3;
        }

        @Override
        public int level() {
            return 0;
        }
    }
}
