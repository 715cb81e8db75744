package org.posix4j.landlock;

/// What a [Ruleset] does with rights the running kernel's Landlock ABI does not have.
public enum Compatibility {
    /// Leave them out: the ruleset handles, and its rules grant, only the rights the kernel
    /// has; what it lacks stays unrestricted (a rule whose rights are all left out is skipped).
    /// [Ruleset#handled()] tells what was kept.
    BEST_EFFORT,
    /// Refuse, with [UnsupportedOperationException] naming the right and the ABI it needs.
    STRICT
}
