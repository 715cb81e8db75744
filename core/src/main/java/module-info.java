/// posix4j: the POSIX system facilities the JDK lacks, through `java.lang.foreign`.
///
/// The module calls native code, so the JVM must grant it native access:
/// `--enable-native-access=org.posix4j` on the module path, or
/// `--enable-native-access=ALL-UNNAMED` when the jar sits on the class path (an executable jar can
/// say `Enable-Native-Access: ALL-UNNAMED` in its manifest instead). Without the flag the JDK
/// prints a warning on first use.
module org.posix4j {
    requires transitive java.logging; // org.posix4j.syslog.SyslogHandler is a java.util.logging.Handler
    requires jdk.unsupported; // sun.misc.Signal: SignalChannel's delivery through the JVM's handler
    exports org.posix4j;
    exports org.posix4j.io;
    exports org.posix4j.process;
    exports org.posix4j.system;
    exports org.posix4j.fs;
    exports org.posix4j.terminal;
    exports org.posix4j.signal;
    exports org.posix4j.spawn;
    exports org.posix4j.event;
    exports org.posix4j.systemd;
    exports org.posix4j.daemon;
    exports org.posix4j.syslog;
    exports org.posix4j.journal;
    exports org.posix4j.ipc;
    exports org.posix4j.broker;
    exports org.posix4j.landlock;
    provides java.net.spi.InetAddressResolverProvider with org.posix4j.broker.BrokerResolverProvider; // only under a sandbox
    provides System.LoggerFinder with org.posix4j.syslog.SyslogLoggerFinder; // inert unless -Dposix4j.syslog or -Dposix4j.journal is set
}
