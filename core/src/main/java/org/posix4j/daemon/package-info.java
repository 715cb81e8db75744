/// Daemons: daemonizing a Java program (by re-launching it detached), and the helpers a daemon
/// needs (slimta's and Prosody's daemonize, redirect_stdio, drop_privileges; pid files; UUIDs).
package org.posix4j.daemon;
