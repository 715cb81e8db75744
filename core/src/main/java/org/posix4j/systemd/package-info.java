/// The systemd service protocols, spoken directly without libsystemd: readiness and status
/// notification ([SystemdNotify], sd_notify(3)), the service watchdog ([Watchdog],
/// sd_watchdog_enabled(3)) and socket activation ([SocketActivation], sd_listen_fds(3)), with a
/// way for plain Java code to accept connections on an activated socket.
///
/// Everything here reads the real native environment (see `org.posix4j.process.Environment`),
/// not the JDK's `System.getenv()` snapshot, and unsets variables there when asked to, so that
/// child processes do not inherit them.
package org.posix4j.systemd;
