/// Daemons: daemonizing a Java program (by re-launching it detached, [Daemon]), and the helpers a
/// daemon needs: pointing standard I/O at files or /dev/null ([Stdio], slimta's `redirect_stdio`),
/// giving up root after binding privileged ports ([Privileges], slimta's `drop_privileges`), a
/// pid file locked for the daemon's life ([PidFile]), and UUIDs without libuuid ([Uuids], slimta's
/// `slimta.uuid`). Daemonizing follows slimta's and Prosody's `daemonize`.
package org.posix4j.daemon;
