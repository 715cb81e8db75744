/// Landlock for Java: unprivileged, thread-scoped access control enforced by the Linux kernel
/// (Linux 5.13+), without the broker.
///
/// [Landlock#abi()] says which ABI version the kernel speaks (0: none). A [Ruleset] names the
/// filesystem rights it handles ([FsAccess]), each one denied from then on except beneath the
/// files and directories its rules allow; [Ruleset#restrictCurrentThread()] applies it to the
/// calling thread and, irreversibly, to every process that thread starts afterwards. Other
/// threads of the JVM are untouched: restrict a thread of your own, then spawn from it.
///
/// ```java
/// try (Ruleset rules = Ruleset.builder()
///         .handle(FsAccess.EXECUTE)
///         .allow(Path.of("/usr"), Set.of(FsAccess.EXECUTE))
///         .build()) {
///     rules.restrictCurrentThread(); // this thread can now exec only below /usr
/// }
/// ```
///
/// The syscalls: landlock_create_ruleset(2), landlock_add_rule(2), landlock_restrict_self(2).
/// A ruleset may also handle TCP bind and connect ([NetAccess], ABI 4: granted by port, never
/// by address) and scope signals and abstract unix sockets to its domain ([Scope], ABI 6).
package org.posix4j.landlock;
