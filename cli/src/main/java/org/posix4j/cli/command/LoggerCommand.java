package org.posix4j.cli.command;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.Callable;
import org.posix4j.syslog.Facility;
import org.posix4j.syslog.Level;
import org.posix4j.syslog.Syslog;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/// `posix4j logger [-p FACILITY.LEVEL] [-t TAG] [-i] [MESSAGE...]`: sends a message to the system
/// log through syslog(3), like util-linux logger(1) with the same options: the message words
/// joined by spaces, or each line of standard input (empty ones included) when there are none.
/// The default priority is `user.notice` and the default tag the user's name, as with logger(1).
@Command(
        name = "logger",
        mixinStandardHelpOptions = true,
        description = "Sends a message (or each line of stdin) to the system log, like logger(1).")
final class LoggerCommand implements Callable<Integer> {
    @Option(names = {"-p", "--priority"}, paramLabel = "FACILITY.LEVEL",
            defaultValue = "user.notice",
            description = "Facility and level (`daemon.err`, `local3.info`), or a level alone for user. "
                    + "Default: ${DEFAULT-VALUE}.")
    private String priority;

    @Option(names = {"-t", "--tag"}, paramLabel = "TAG",
            description = "The tag of every line. Default: the user name.")
    private String tag;

    @Option(names = {"-i"}, description = "Put this process's id in every line.")
    private boolean pid;

    @Parameters(paramLabel = "MESSAGE", arity = "0..*", description = "The message; standard input when none.")
    private List<String> message;

    @Override
    public Integer call() throws IOException {
        int dot = priority.lastIndexOf('.');
        Facility facility = dot < 0 ? Facility.USER : Facility.parse(priority.substring(0, dot));
        Level level = Level.parse(priority.substring(dot + 1));
        EnumSet<org.posix4j.syslog.Option> options = EnumSet.noneOf(org.posix4j.syslog.Option.class);
        if (pid) {
            options.add(org.posix4j.syslog.Option.PID);
        }
        Syslog.open(tag != null ? tag : System.getProperty("user.name"), options, facility);
        try {
            if (message != null && !message.isEmpty()) {
                Syslog.log(facility, level, String.join(" ", message));
            } else {
                BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
                for (String line; (line = in.readLine()) != null; ) {
                    Syslog.log(facility, level, line);
                }
            }
        } finally {
            Syslog.close();
        }
        return 0;
    }
}
