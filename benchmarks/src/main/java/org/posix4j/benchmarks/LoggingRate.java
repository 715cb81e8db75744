package org.posix4j.benchmarks;

import java.util.Locale;
import java.util.function.Consumer;

/// Whole-process benchmark: how many messages a second one thread logs through a syslog
/// appender, posix4j's (syslog(3) on /dev/log) or the framework's own (UDP), each configured from
/// its XML file in this module's resources. Run by scripts/bench-logging.sh, which starts
/// rsyslogd with both inputs and counts what arrives there: a UDP appender that outpaces the
/// daemon loses messages, so the rate that matters is the one the daemon received.
///
/// Usage: `LoggingRate VARIANT RUN WARMUP COUNT` with VARIANT one of `logback-posix4j`,
/// `logback-udp`, `log4j-posix4j`, `log4j-udp` (the configuration file `bench-VARIANT.xml`,
/// `log4j` read as `log4j2`), RUN a word that marks this run's messages, WARMUP messages logged
/// first without being counted (so that the JIT has compiled the path), then COUNT messages, each
/// `run=RUN seq=N` padded to 64 characters. Prints `seconds=S` (the time to log the COUNT) and
/// `rate=R` (COUNT / S). The UDP appenders need `-Dp4j.port=PORT`.
public final class LoggingRate {
    private LoggingRate() {}

    public static void main(String[] args) throws Exception {
        if (args.length != 4) {
            System.err.println("usage: LoggingRate logback-posix4j|logback-udp|log4j-posix4j|log4j-udp RUN WARMUP COUNT");
            System.exit(2);
        }
        String variant = args[0];
        String run = args[1];
        int warmup = Integer.parseInt(args[2]);
        int count = Integer.parseInt(args[3]);
        Consumer<String> info = switch (variant) {
            case "logback-posix4j", "logback-udp" -> {
                System.setProperty("logback.configurationFile", "bench-" + variant + ".xml");
                org.slf4j.Logger logger = org.slf4j.LoggerFactory.getLogger("bench");
                yield logger::info;
            }
            case "log4j-posix4j", "log4j-udp" -> {
                System.setProperty("log4j2.configurationFile", "bench-" + variant.replace("log4j", "log4j2") + ".xml");
                org.apache.logging.log4j.Logger logger = org.apache.logging.log4j.LogManager.getLogger("bench");
                yield logger::info;
            }
            default -> throw new IllegalArgumentException("unknown variant: " + variant);
        };
        for (int i = 0; i < warmup; i++) {
            info.accept(message("warm-" + run, i));
        }
        long t0 = System.nanoTime();
        for (int i = 0; i < count; i++) {
            info.accept(message(run, i));
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        System.out.printf(Locale.ROOT, "seconds=%.4f%n", seconds);
        System.out.printf(Locale.ROOT, "rate=%.1f%n", count / seconds);
    }

    /// `run=RUN seq=N`, padded with dots to 64 characters, as the other syslog benchmarks send.
    private static String message(String run, int seq) {
        StringBuilder b = new StringBuilder(64).append("run=").append(run).append(" seq=").append(seq).append(' ');
        while (b.length() < 64) {
            b.append('.');
        }
        return b.toString();
    }
}
