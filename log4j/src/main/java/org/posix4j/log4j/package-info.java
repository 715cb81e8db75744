/// Log4j 2 appender plugins on posix4j: `Posix4jSyslog` ([org.posix4j.log4j.SyslogAppender])
/// sends to the local syslog daemon through /dev/log (syslog(3)), `Posix4jJournal`
/// ([org.posix4j.log4j.JournalAppender]) to the systemd journal through its native protocol, with
/// the context data and markers as fields. Log4j finds both through the plugin descriptor in this
/// jar. The JVM needs native access for posix4j (`--enable-native-access=ALL-UNNAMED` on the class
/// path).
package org.posix4j.log4j;
