/// The libc service broker: Emilua's `libc_service.master` for Java, with a slave end that
/// works for any Linux program (seccomp user notification). [Sandbox] starts a program under
/// the broker; [Master] receives and answers its calls; [Policy] and [Sandbox#serve] decide and
/// perform them with an [AuditSink] recording each decision.
package org.posix4j.broker;
