package org.posix4j.process;

/// An I/O scheduling class and level, as ioprio_get(2) reports and ioprio_set(2) takes them.
/// Equivalent to `Netsys_posix.ioprio`.
///
/// The classes are honoured by the BFQ and (older) CFQ block schedulers; with others the kernel
/// stores but ignores them.
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

    /// The raw ioprio value: class shifted by 13, ORed with the level.
    default int toRaw() {
        return classNumber() << 13 | level();
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
        int level = raw & 0x1fff;
        return switch (raw >>> 13) {
            case 0 -> new None(level);
            case 1 -> new RealTime(level);
            case 2 -> new BestEffort(level);
            case 3 -> IDLE;
            default -> throw new IllegalArgumentException("raw: unknown I/O priority class " + (raw >>> 13));
        };
    }

    private static int checkLevel(int level) {
        if (level < 0 || level > 7) {
            throw new IllegalArgumentException("level must be within 0..7: " + level);
        }
        return level;
    }

    /// IOPRIO_CLASS_NONE. The kernel reports the level it would use in the low bits.
    ///
    /// @param level the level carried with the class, usually 0 or the nice-derived level
    record None(int level) implements IoPriority {
        /// Checks the level.
        public None {
            checkLevel(level);
        }

        @Override
        public int classNumber() {
            return 0;
        }
    }

    /// IOPRIO_CLASS_RT.
    ///
    /// @param level 0 (highest) to 7
    record RealTime(int level) implements IoPriority {
        /// Checks the level.
        public RealTime {
            checkLevel(level);
        }

        @Override
        public int classNumber() {
            return 1;
        }
    }

    /// IOPRIO_CLASS_BE.
    ///
    /// @param level 0 (highest) to 7
    record BestEffort(int level) implements IoPriority {
        /// Checks the level.
        public BestEffort {
            checkLevel(level);
        }

        @Override
        public int classNumber() {
            return 2;
        }
    }

    /// IOPRIO_CLASS_IDLE.
    record Idle() implements IoPriority {
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
