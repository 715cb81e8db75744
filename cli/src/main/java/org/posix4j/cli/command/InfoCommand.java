package org.posix4j.cli.command;

import java.util.concurrent.Callable;
import org.posix4j.PosixException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/// `posix4j info [--json]`: what the kernel and libc say about this process and this system
/// (uname, ids, session, umask, terminal, resource limits, malloc statistics, I/O priority and
/// the optional features posix4j found).
@Command(
        name = "info",
        mixinStandardHelpOptions = true,
        description = "Shows the system, this process's ids, session, limits and the features posix4j can use.")
final class InfoCommand implements Callable<Integer> {
    @Option(names = "--json", description = "Print one JSON object instead of text.")
    private boolean json;

    @Spec
    private CommandSpec spec;

    @Override
    public Integer call() throws PosixException {
        InfoReport report = InfoReport.collect();
        if (json) {
            spec.commandLine().getOut().println(report.toJson());
        } else {
            report.printText(spec.commandLine().getOut());
        }
        return 0;
    }
}
