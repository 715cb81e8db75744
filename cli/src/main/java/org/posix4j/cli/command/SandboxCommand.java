package org.posix4j.cli.command;

import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.posix4j.Errno;
import org.posix4j.PosixException;
import org.posix4j.broker.AuditSink;
import org.posix4j.broker.Enforcement;
import org.posix4j.broker.NetworkAddress;
import org.posix4j.broker.Policy;
import org.posix4j.broker.PolicyFile;
import org.posix4j.broker.Sandbox;
import org.posix4j.broker.SocketKind;
import org.posix4j.io.Fd;
import org.posix4j.landlock.Landlock;
import org.posix4j.spawn.Spawn;
import org.posix4j.terminal.Terminal;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;
import picocli.CommandLine.Model.UsageMessageSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;

/// `posix4j sandbox [OPTIONS] -- PROGRAM [ARG...]`: runs a program whose file calls posix4j
/// arbitrates, as Emilua's `libc_service.master` does for its slave, under an allow-list.
///
/// Unlike the other commands, its model is built with picocli's programmatic API ([#spec()])
/// rather than read from annotations, and its values are taken from the parse result when it
/// runs: reading annotations costs the JVM a proxy class for each annotation type and picocli
/// its reflection over every field, and on a sandbox's start, which a program waits for, that
/// was 20-30 ms (BENCHMARKS.md, "Sandbox modes").
final class SandboxCommand implements Callable<Integer> {
    static final String DEFAULT_READ_TEXT = "/bin, /sbin, /usr/bin, /usr/sbin, /usr/libexec, /usr/local/bin,"
            + " /lib, /lib64, /usr/lib, /usr/lib64, /usr/local/lib, /etc/ld.so.cache,"
            + " /etc/nsswitch.conf, /etc/passwd, /etc/group, /etc/localtime, /etc/locale.alias, /usr/share/locale,"
            + " /usr/share/zoneinfo, /dev/urandom, /dev/random, /proc/cpuinfo, /proc/meminfo,"
            + " /sys/devices/system/cpu, and in broker mode each process's own /proc/PID";
    private static final List<String> DEFAULT_READ = List.of("/bin", "/sbin", "/usr/bin", "/usr/sbin",
            "/usr/libexec", "/usr/local/bin", "/lib", "/lib64", "/usr/lib", "/usr/lib64", "/usr/local/lib",
            "/etc/ld.so.cache", "/etc/nsswitch.conf", "/etc/passwd", "/etc/group", "/etc/localtime",
            "/etc/locale.alias",
            "/usr/share/locale", "/usr/share/zoneinfo", "/dev/urandom", "/dev/random", "/proc/cpuinfo", "/proc/meminfo",
            "/sys/devices/system/cpu");
    private static final List<String> DEFAULT_READ_WRITE = List.of("/dev/null", "/dev/zero", "/dev/full");
    private static final int DEFAULT_THREADS = 1;

    private Path policyFile;
    private boolean printPolicy;
    /// How many of the first --allow-connect and --allow-bind values came from the policy file,
    /// so that a host that does not resolve is reported where it was written.
    private int fileConnects;
    private int fileBinds;
    private List<Path> allowRead;
    private List<Path> allowWrite;
    private List<Path> deny;
    private List<String> allowConnect;
    private List<String> allowBind;
    private List<String> allowResolve;
    private List<String> allowSocket;
    private String enforce;
    private boolean hideMetadata;
    private boolean explain;
    private boolean noNetwork;
    private boolean revealMissing;
    private boolean noDefaults;
    private String audit;
    private boolean dryRun;
    private Path chdir;
    private int threads;
    private String program;
    private List<String> args;
    private CommandSpec spec;

    /// The command's model, the command object its user object: what `@Command`, `@Option` and
    /// `@Parameters` would say, in the order the usage lists them.
    static CommandSpec spec() {
        SandboxCommand command = new SandboxCommand();
        CommandSpec spec = CommandSpec.wrapWithoutInspection(command).name("sandbox")
                .modelTransformer(new RunCommand.ProgramArguments());
        command.spec = spec;
        spec.usageMessage()
                .sortOptions(false)
                .customSynopsis("posix4j sandbox [OPTIONS] [--] PROGRAM [ARG...]",
                        "       posix4j sandbox [OPTIONS] --print-policy")
                .description(
                        "Runs PROGRAM with ARGs (and its threads, children and the programs they run) confined to the"
                                + " allowances of its options. The kernel (Landlock) enforces the file rules it can say, at"
                                + " native speed; posix4j's broker decides the rest (network, metadata writes, signals, and every"
                                + " file call when the kernel cannot say the rules, see --enforce): the call stops in the kernel"
                                + " and posix4j performs it itself, if the allowances permit it. Denied calls fail in the program"
                                + " with EACCES. Network calls are refused unless --allow-connect or --allow-bind allows them.",
                        "Paths are decided after the kernel resolved them (symbolic links, '..', the program's working"
                                + " directory), never by their spelling. The program runs in a process group of its own and"
                                + " inherits standard input, output and error and the environment.",
                        "")
                .exitCodeListHeading("%nExit status:%n")
                .exitCodeList(UsageMessageSpec.keyValuesMap(
                        "0-255:the program's own exit code",
                        "128+N:the program was killed by signal N",
                        "125:posix4j sandbox failed before starting the program",
                        "126:PROGRAM was found but could not be executed",
                        "127:PROGRAM was not found",
                        "2:the command line or the --policy file is wrong"))
                .footerHeading("%nDefaults:%n")
                .footer(
                        "Unless --no-defaults: read-only the loader, the libraries, locale and time zone data and the"
                                + " files a dynamically linked program reads to start (" + DEFAULT_READ_TEXT + "),"
                                + " read-write /dev/null, /dev/zero, /dev/full, and /dev/tty when posix4j's standard input,"
                                + " output or error is a terminal (the program has that terminal then anyway). Programs can"
                                + " be run from the directories of PATH.",
                        "Always (unless denied): read-only PROGRAM's own file. A program may execute only what it may"
                                + " read; the kernel (Landlock) enforces that, and without Landlock every exec after the"
                                + " first is refused.",
                        "The parent directories of every allowed path may be stat'ed (not listed).");
        spec.addPositional(PositionalParamSpec.builder().index("0").arity("0..1").paramLabel("PROGRAM")
                .type(String.class).description("The program: a path, or a name looked up in PATH.").build());
        spec.addPositional(PositionalParamSpec.builder().index("1..*").arity("0..*").paramLabel("ARG").type(List.class)
                .auxiliaryTypes(String.class).description("Its arguments, passed as they are.").build());
        value(spec, "--policy", "FILE", Path.class,
                "Read the allowances and settings from the policy file FILE (JSON, see"
                        + " docs/policy-files.md); the options given with it add to it: their paths and addresses"
                        + " follow the file's, their switches turn on what the file leaves off, and --enforce,"
                        + " --audit and --no-defaults replace the file's.");
        flag(spec, "--print-policy", "Print the effective policy (the --policy file with the"
                + " options added) as a policy file, and exit without running a program.");
        list(spec, "--allow-read", "PATH", Path.class, "Let the program read below PATH: open for reading, stat,"
                + " access, readlink, list (repeatable).");
        list(spec, "--allow-write", "PATH", Path.class,
                "Let the program read, write, create and delete below PATH (repeatable).");
        list(spec, "--deny", "PATH", Path.class,
                "Deny everything at and below PATH, whatever an allowance says (repeatable).");
        list(spec, "--allow-connect", "ADDR", String.class,
                "Let the program connect (and send datagrams) to ADDR: HOST:PORT, CIDR:PORT[-PORT]"
                        + " (IPv6 in brackets: [::1]:80, [fd00::/8]:1-65535), unix:PATH or unix:@NAME (repeatable).");
        list(spec, "--allow-bind", "ADDR", String.class,
                "Let the program bind ADDR, in the forms of --allow-connect; port 0 allows ephemeral"
                        + " ports (repeatable).");
        list(spec, "--allow-resolve", "HOST", String.class,
                "Let a Java program look HOST up through posix4j's resolver ('*': any name) (repeatable).");
        list(spec, "--allow-socket", "KIND", String.class,
                "Let the program create sockets of KIND: netlink, packet, raw or ping. Unix, TCP and UDP"
                        + " sockets need no allowance; these kinds reach past the connect and bind allowances"
                        + " (repeatable).");
        value(spec, "--enforce", "MODE", String.class,
                "Who enforces the file rules: auto (default: the kernel when Landlock can say the whole"
                        + " policy, exactly or more strictly, and no --audit or --dry-run asks for the broker, else the"
                        + " broker), kernel (Landlock: native speed; the program may stat outside the allowances, and may"
                        + " read nothing under /proc, its own /proc/PID of the defaults included; a policy Landlock"
                        + " cannot say is refused, exit 2, naming the part) or broker (posix4j decides and performs"
                        + " every file call, with the kernel's rules behind it; the program may read its own /proc/PID).");
        flag(spec, "--hide-metadata", "In kernel mode, keep stat, access, readlink and chdir with posix4j,"
                + " which answers them under the allowances, so that they reveal nothing outside them (slower:"
                + " each is a round trip).");
        flag(spec, "--explain", "Say on standard error which mechanism enforces the file rules,"
                + " and why, before running the program.");
        flag(spec, "--no-network", "Deny every network call, lookup and socket kind.");
        flag(spec, "--reveal-missing", "Answer ENOENT, not EACCES, for paths outside the allowances that do not"
                + " exist: for programs that probe optional files (compilers' include directories), at the price of"
                + " telling the program which denied paths exist.");
        flag(spec, "--no-defaults", "Do not allow the defaults listed below.");
        value(spec, "--audit", "FILE", String.class,
                "Write one JSON line per arbitrated call to FILE ('-': standard error).");
        flag(spec, "--dry-run", "Allow every call, and record in the audit the calls the allowances would deny.");
        value(spec, "--chdir", "DIR", Path.class, "Run the program in DIR.");
        spec.addOption(OptionSpec.builder("--threads").paramLabel("N").type(int.class)
                .defaultValue(Integer.toString(DEFAULT_THREADS))
                .description("Serve the program's calls with N threads (default: ${DEFAULT-VALUE}: calls that may"
                        + " block for long, such as opening a FIFO or connecting, run on threads of their own anyway,"
                        + " and one serving thread avoids handing the listener from thread to thread).")
                .build());
        RootCommand.addHelpOptions(spec);
        return spec;
    }

    private static void flag(CommandSpec spec, String name, String description) {
        spec.addOption(OptionSpec.builder(name).type(boolean.class).description(description).build());
    }

    private static void value(CommandSpec spec, String name, String label, Class<?> type, String description) {
        spec.addOption(OptionSpec.builder(name).paramLabel(label).type(type).description(description).build());
    }

    private static void list(CommandSpec spec, String name, String label, Class<?> type, String description) {
        spec.addOption(OptionSpec.builder(name).paramLabel(label).type(List.class).auxiliaryTypes(type)
                .description(description).build());
    }

    /// Takes the options' values from the parse result of this command.
    private void readParseResult() {
        ParseResult r = spec.commandLine().getParseResult();
        policyFile = r.matchedOptionValue("--policy", null);
        printPolicy = r.hasMatchedOption("--print-policy");
        allowRead = r.matchedOptionValue("--allow-read", List.of());
        allowWrite = r.matchedOptionValue("--allow-write", List.of());
        deny = r.matchedOptionValue("--deny", List.of());
        allowConnect = r.matchedOptionValue("--allow-connect", List.of());
        allowBind = r.matchedOptionValue("--allow-bind", List.of());
        allowResolve = r.matchedOptionValue("--allow-resolve", List.of());
        allowSocket = r.matchedOptionValue("--allow-socket", List.of());
        enforce = r.matchedOptionValue("--enforce", null);
        hideMetadata = r.hasMatchedOption("--hide-metadata");
        explain = r.hasMatchedOption("--explain");
        noNetwork = r.hasMatchedOption("--no-network");
        revealMissing = r.hasMatchedOption("--reveal-missing");
        noDefaults = r.hasMatchedOption("--no-defaults");
        audit = r.matchedOptionValue("--audit", null);
        dryRun = r.hasMatchedOption("--dry-run");
        chdir = r.matchedOptionValue("--chdir", null);
        threads = r.matchedOptionValue("--threads", DEFAULT_THREADS);
        program = r.matchedPositionalValue(0, null);
        args = r.matchedPositionalValue(1, List.of());
    }

    /// Creates the command; [#spec()] makes its model.
    private SandboxCommand() {}

    @Override
    public Integer call() throws InterruptedException {
        readParseResult();
        PrintWriter err = spec.commandLine().getErr();
        if (threads < 1 || threads > 64) {
            err.println(spec.qualifiedName() + ": --threads must be 1..64");
            return 2;
        }
        if (policyFile != null) {
            mergePolicyFile();
        }
        if (enforce == null) {
            enforce = "auto";
        }
        if (printPolicy) {
            PrintWriter out = spec.commandLine().getOut();
            out.print(effectivePolicy().toJson());
            out.flush();
            return 0;
        }
        if (program == null) {
            throw new ParameterException(spec.commandLine(), "Missing required parameter: 'PROGRAM'");
        }
        if (program.isEmpty()) {
            err.println(spec.qualifiedName() + ": : " + Errno.ENOENT.description());
            return RunCommand.EXIT_NOT_FOUND;
        }
        // The serving code links while this thread builds the policy, on the other processor.
        Thread.ofPlatform().daemon().name("posix4j-sandbox-warm-up").start(() -> {
            try {
                Sandbox.warmUp();
            } catch (RuntimeException e) {
                // Sandbox.start warms up again and reports the failure where it can be handled.
            }
        });
        List<NetworkAddress> connects = new ArrayList<>();
        List<NetworkAddress> binds = new ArrayList<>();
        List<SocketKind> sockets = new ArrayList<>();
        try {
            for (String k : allowSocket) {
                sockets.add(socketKind(k));
            }
            for (int i = 0; i < allowConnect.size(); i++) {
                connects.add(address(i < fileConnects ? policyFile + ": network.connect" : "--allow-connect",
                        allowConnect.get(i)));
            }
            for (int i = 0; i < allowBind.size(); i++) {
                binds.add(address(i < fileBinds ? policyFile + ": network.bind" : "--allow-bind",
                        allowBind.get(i)));
            }
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        } catch (UnknownHostException e) {
            err.println(spec.qualifiedName() + ": " + e.getMessage());
            return RunCommand.EXIT_RUN_FAILED;
        }
        Enforcement enforcement = switch (enforce) {
            case "auto" -> audit != null || dryRun ? Enforcement.BROKER : Enforcement.AUTO;
            case "kernel" -> Enforcement.KERNEL;
            case "broker" -> Enforcement.BROKER;
            default -> throw new ParameterException(spec.commandLine(),
                    "--enforce: unknown mode '" + enforce + "' (auto, kernel, broker)");
        };
        Policy policy;
        try {
            policy = policy(connects, binds, sockets);
        } catch (IllegalArgumentException | PosixException | UnknownHostException e) {
            err.println(spec.qualifiedName() + ": " + e.getMessage());
            return RunCommand.EXIT_RUN_FAILED;
        }
        try (policy; OutputStream auditOut = auditStream()) {
            Spawn spawn = Spawn.program(program).args(args);
            if (chdir != null) {
                if (!Files.isDirectory(chdir)) {
                    err.println(spec.qualifiedName() + ": --chdir " + chdir + ": not a directory");
                    return RunCommand.EXIT_RUN_FAILED;
                }
                spawn.chdir(chdir);
            }
            AuditSink sink = auditOut == null ? null : AuditSink.jsonLines(auditOut);
            List<String> why = Sandbox.kernelRefusals(policy);
            // kernelRefusals names a missing or too old Landlock as its only reason.
            if (why.size() == 1 && why.getFirst().startsWith("Landlock ABI ")) {
                if (enforcement == Enforcement.KERNEL) {
                    throw new ParameterException(spec.commandLine(), "--enforce kernel: " + why.getFirst());
                }
                if (enforce.equals("auto")) {
                    err.println(spec.qualifiedName() + ": " + (Landlock.abi() == 0 ? "this kernel has no Landlock"
                            : "Landlock ABI " + Landlock.abi() + " is too old for kernel mode")
                            + ": the broker enforces the file rules" + (Landlock.abi() == 0 && !dryRun
                                    ? ", and refuses every exec after the program's own" : ""));
                }
            }
            // Kernel mode refusing the policy says why itself, below.
            if (explain && (enforcement != Enforcement.KERNEL || why.isEmpty())) {
                explain(err, policy, enforcement, why);
            }
            // Taken before the spawn, so that a signal arriving meanwhile waits for the program.
            try (SignalRelay relay = SignalRelay.open()) {
                Sandbox sandbox;
                try {
                    sandbox = Sandbox.start(spawn, policy, enforcement);
                } catch (IllegalArgumentException e) {
                    // Sandbox.start refuses a policy the kernel alone cannot enforce in kernel mode;
                    // anything else it throws is not about --enforce and is reported as it is.
                    if (enforcement != Enforcement.KERNEL || why.isEmpty()) {
                        throw e;
                    }
                    throw new ParameterException(spec.commandLine(), "--enforce kernel: " + e.getMessage());
                } catch (PosixException e) {
                    if (e.function().equals("posix_spawn") || e.function().equals("posix_spawnp")) {
                        err.println(spec.qualifiedName() + ": " + program + ": " + e.errno().map(Errno::description)
                                .orElse("error " + e.errnoValue()));
                        return e.is(Errno.ENOENT) ? RunCommand.EXIT_NOT_FOUND : RunCommand.EXIT_CANNOT_EXECUTE;
                    }
                    err.println(spec.qualifiedName() + ": " + e.getMessage());
                    return RunCommand.EXIT_RUN_FAILED;
                } catch (UnsupportedOperationException e) {
                    err.println(spec.qualifiedName() + ": " + e.getMessage());
                    return RunCommand.EXIT_RUN_FAILED;
                }
                try (sandbox) {
                    relay.forwardTo(sandbox.child(), true);
                    return sandbox.serve(policy, sink, threads).shellCode();
                } catch (UncheckedIOException e) {
                    // The audit could not be written: the sandbox stopped the program rather than let
                    // a call go on unrecorded.
                    err.println(spec.qualifiedName() + ": --audit " + audit + ": " + e.getMessage() + ": "
                            + e.getCause().getMessage() + "; the program was stopped");
                    return RunCommand.EXIT_RUN_FAILED;
                }
            }
        } catch (IOException e) {
            err.println(spec.qualifiedName() + ": " + e.getMessage());
            return RunCommand.EXIT_RUN_FAILED;
        }
    }

    /// Adds the `--policy` file to the options: its paths, addresses, names and socket kinds before
    /// theirs, its switches on unless an option turned them on already, its `defaults: false` as
    /// `--no-defaults`, its audit and enforcement mode unless `--audit` or `--enforce` gave one.
    ///
    /// @throws ParameterException when the file cannot be read or is not a valid policy, with
    ///     the reader's message (file, line, key)
    private void mergePolicyFile() {
        PolicyFile file;
        try {
            file = PolicyFile.read(policyFile);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        } catch (IOException e) {
            throw new ParameterException(spec.commandLine(), "--policy " + policyFile + ": "
                    + (e instanceof NoSuchFileException ? Errno.ENOENT.description() : e.toString()));
        }
        allowRead = concat(file.allowRead().stream().map(Path::of).toList(), allowRead);
        allowWrite = concat(file.allowWrite().stream().map(Path::of).toList(), allowWrite);
        deny = concat(file.deny().stream().map(Path::of).toList(), deny);
        allowConnect = concat(file.connect(), allowConnect);
        allowBind = concat(file.bind(), allowBind);
        fileConnects = file.connect().size();
        fileBinds = file.bind().size();
        allowResolve = concat(file.resolve(), allowResolve);
        allowSocket = concat(file.sockets(), allowSocket);
        noDefaults |= !file.defaults();
        revealMissing |= file.revealMissing();
        hideMetadata |= file.hideMetadata();
        noNetwork |= file.noNetwork();
        dryRun |= file.dryRun();
        audit = audit != null ? audit : file.audit();
        enforce = enforce != null ? enforce : file.enforce();
    }

    private static <T> List<T> concat(List<T> first, List<T> then) {
        List<T> all = new ArrayList<>(first);
        all.addAll(then);
        return all;
    }

    /// The options (the policy file merged in) as a policy file, `defaults` as the flag says it
    /// rather than expanded: what the defaults are depends on the machine and the terminal.
    ///
    /// @throws ParameterException for a malformed address, socket kind or mode, naming the option
    private PolicyFile effectivePolicy() {
        try {
            for (String a : allowConnect) {
                parseAddress("--allow-connect", a);
            }
            for (String a : allowBind) {
                parseAddress("--allow-bind", a);
            }
            allowSocket.forEach(SandboxCommand::socketKind);
            if (!List.of("auto", "kernel", "broker").contains(enforce)) {
                throw new IllegalArgumentException("--enforce: unknown mode '" + enforce + "' (auto, kernel, broker)");
            }
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        return new PolicyFile(strings(allowRead), strings(allowWrite), strings(deny), !noDefaults, revealMissing,
                hideMetadata, allowConnect, allowBind, allowResolve, allowSocket, noNetwork, audit, enforce, dryRun);
    }

    /// `value` of `option`, its syntax checked without looking its host name up (a printed
    /// policy is for running later, perhaps elsewhere).
    ///
    /// @throws IllegalArgumentException when `value` is malformed, with a message naming both
    private static NetworkAddress parseAddress(String option, String value) {
        try {
            return NetworkAddress.parse(value);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(option + " " + value + ": " + e.getMessage());
        }
    }

    private static List<String> strings(List<Path> paths) {
        return paths.stream().map(Path::toString).toList();
    }

    /// Says on standard error which mechanism will enforce the file rules and what the program
    /// may observe differently because of it.
    private void explain(PrintWriter err, Policy policy, Enforcement enforcement, List<String> why) {
        List<String> stricter = Sandbox.kernelStricter(policy);
        boolean kernel = why.isEmpty() && enforcement != Enforcement.BROKER;
        String name = spec.qualifiedName() + ": --enforce " + enforce + ": ";
        if (!kernel) {
            err.println(name + "file rules enforced by the broker, the kernel's rules behind it"
                    + (why.isEmpty() ? "" : "; the kernel alone cannot: " + String.join("; ", why)));
            return;
        }
        err.println(name + "file rules enforced by the kernel (Landlock ABI " + Landlock.abi()
                + "); the broker decides network, metadata writes, signals"
                + (policy.hidesMetadata() ? ", and stat, access, readlink and chdir (--hide-metadata)"
                        : policy.looksUpNames() ? ", and stat, access, readlink and chdir (--allow-resolve: a Java"
                                + " program's lookups reach posix4j as readlink calls)"
                        : "; stat, access, readlink and chdir outside the allowances answer as the kernel does")
                + "; an open of a missing path outside them fails with ENOENT");
        for (String s : stricter) {
            err.println(name + "stricter than asked: " + s);
        }
        for (String s : Sandbox.brokerAlone(policy)) {
            err.println(name + "the broker alone decides " + s);
        }
    }

    /// `value` of `option`, its host name resolved here, once, by posix4j.
    ///
    /// @throws IllegalArgumentException when `value` is malformed, with a message naming both
    /// @throws UnknownHostException when its host name does not resolve
    private static NetworkAddress address(String option, String value) throws UnknownHostException {
        NetworkAddress a = parseAddress(option, value);
        try {
            return a.resolved();
        } catch (UnknownHostException e) {
            throw new UnknownHostException(option + " " + e.getMessage());
        }
    }

    private Policy policy(List<NetworkAddress> connects, List<NetworkAddress> binds, List<SocketKind> sockets)
            throws PosixException, UnknownHostException {
        Policy.Builder b = Policy.builder().dryRun(dryRun).ownProc(!noDefaults).revealMissing(revealMissing)
                .hideMetadata(hideMetadata);
        if (!noDefaults) {
            for (String p : DEFAULT_READ) {
                if (Files.exists(Path.of(p))) {
                    b.allowRead(Path.of(p));
                }
            }
            for (String p : DEFAULT_READ_WRITE) {
                if (Files.exists(Path.of(p))) {
                    b.allowReadWrite(Path.of(p));
                }
            }
            if (onTerminal()) {
                b.allowReadWrite(Path.of("/dev/tty"));
            }
        }
        programFile().ifPresent(b::allowRead);
        allowRead.forEach(b::allowRead);
        allowWrite.forEach(b::allowCreate);
        deny.forEach(b::deny);
        for (NetworkAddress a : connects) {
            a.addTo(b, false);
        }
        for (NetworkAddress a : binds) {
            a.addTo(b, true);
        }
        allowResolve.forEach(b::allowResolve);
        sockets.forEach(b::allowSocket);
        if (noNetwork) {
            b.noNetwork();
        }
        return b.build();
    }

    private static SocketKind socketKind(String name) {
        for (SocketKind k : SocketKind.values()) {
            if (k.optionName().equals(name)) {
                return k;
            }
        }
        throw new IllegalArgumentException("--allow-socket: unknown kind '" + name + "' (netlink, packet, raw, ping)");
    }

    /// The file the spawn will execute: the program as named when it holds a slash, else the
    /// first executable of that name along PATH, as posix_spawnp searches. The user named it to
    /// be run, so reading and executing it (that file alone) is allowed; a `--deny` still wins.
    private Optional<Path> programFile() {
        if (program.contains("/")) {
            Path p = Path.of(program).toAbsolutePath();
            return Files.isRegularFile(p) ? Optional.of(p) : Optional.empty();
        }
        String path = System.getenv().getOrDefault("PATH", "/bin:/usr/bin");
        for (String dir : path.split(":", -1)) {
            Path p = Path.of(dir.isEmpty() ? "." : dir, program).toAbsolutePath();
            if (Files.isRegularFile(p) && Files.isExecutable(p)) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }

    /// Whether posix4j's standard input, output or error is a terminal. Only then is /dev/tty
    /// among the defaults: without one, /dev/tty would hand the program a terminal it was not given
    /// (posix4j's controlling terminal, where it could read what the user types).
    private static boolean onTerminal() {
        return Terminal.isTerminal(Fd.stdin()) || Terminal.isTerminal(Fd.stdout()) || Terminal.isTerminal(Fd.stderr());
    }

    private OutputStream auditStream() throws IOException {
        if (audit == null) {
            return null;
        }
        if (audit.equals("-")) {
            return new FileOutputStream(java.io.FileDescriptor.err) {
                @Override
                public void close() {
                    // Standard error stays open for the command's own messages.
                }
            };
        }
        return new FileOutputStream(audit);
    }
}
