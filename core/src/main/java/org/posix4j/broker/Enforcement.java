package org.posix4j.broker;

/// Which mechanism enforces a [Policy]'s file rules ([Sandbox#start(org.posix4j.spawn.Spawn,
/// Policy, Enforcement)]). Network address rules, metadata writes (chmod, chown, timestamps,
/// xattrs), signals and the rest of the filter's guards are the broker's in every mode.
public enum Enforcement {
    /// The kernel when it can say the whole policy exactly or more strictly (Landlock ABI 3 or
    /// later, and [#KERNEL]'s conditions met), else the broker. More strictly means what
    /// [Sandbox#kernelStricter(Policy)] lists: the program's own /proc/PID, which the policy
    /// allows by default, is among it, so a program that needs to read it asks for [#BROKER].
    AUTO,
    /// Landlock: the program's file calls go straight to the kernel, which allows them only
    /// below the policy's trees, at native speed. What a program may observe differs from the
    /// broker's: stat, access and readlink outside the allowances succeed or say ENOENT (only
    /// contents and changes are confined, as with other Landlock sandboxes; unless
    /// [Policy#hidesMetadata()] or [Policy#looksUpNames()] keeps them with the broker), nothing
    /// of the other file calls reaches an audit. Stricter than the policy in two ways
    /// ([Sandbox#kernelStricter(Policy)]): no file under /proc is readable, the program's own
    /// /proc/PID included (Landlock cannot confine /proc to one process's entries), and a
    /// `--deny` inside a read-only tree (or /proc inside an allowed tree such as `/`) also hides
    /// its parent directories' listings. Refused, with the reasons, for a policy Landlock cannot
    /// say exactly or more strictly: a deny (or /proc) inside a writable tree, an allowance of
    /// /proc itself (which the broker shows without posix4j's own entries), a dry run, or a
    /// kernel older than ABI 3.
    KERNEL,
    /// The broker decides and performs every file call (what the sandbox did before this
    /// choice existed), with the policy's Landlock ruleset standing behind it as a second wall:
    /// what reaches the kernel in the program's name (an exec, a call a filter bug let through)
    /// is still held to the allow-lists.
    BROKER
}
