package org.posix4j.signal;

import java.util.Locale;
import java.util.Optional;

/// The standard Linux signals (1 to 31) with their numbers (x86_64 and aarch64 share them) and
/// glibc's `strsignal(3)` descriptions. Real-time signals (SIGRTMIN to SIGRTMAX) are numbers, not
/// constants: see [#realTime(int)]; [#nameOf(int)] and [#numberOf(String)] name every signal.
public enum Signal {
    /// SIGHUP: Hangup.
    HUP(1, "Hangup"),
    /// SIGINT: Interrupt.
    INT(2, "Interrupt"),
    /// SIGQUIT: Quit.
    QUIT(3, "Quit"),
    /// SIGILL: Illegal instruction.
    ILL(4, "Illegal instruction"),
    /// SIGTRAP: Trace/breakpoint trap.
    TRAP(5, "Trace/breakpoint trap"),
    /// SIGABRT: Aborted.
    ABRT(6, "Aborted"),
    /// SIGBUS: Bus error.
    BUS(7, "Bus error"),
    /// SIGFPE: Floating point exception.
    FPE(8, "Floating point exception"),
    /// SIGKILL: Killed.
    KILL(9, "Killed"),
    /// SIGUSR1: User defined signal 1.
    USR1(10, "User defined signal 1"),
    /// SIGSEGV: Segmentation fault.
    SEGV(11, "Segmentation fault"),
    /// SIGUSR2: User defined signal 2.
    USR2(12, "User defined signal 2"),
    /// SIGPIPE: Broken pipe.
    PIPE(13, "Broken pipe"),
    /// SIGALRM: Alarm clock.
    ALRM(14, "Alarm clock"),
    /// SIGTERM: Terminated.
    TERM(15, "Terminated"),
    /// SIGSTKFLT: Stack fault.
    STKFLT(16, "Stack fault"),
    /// SIGCHLD: Child exited.
    CHLD(17, "Child exited"),
    /// SIGCONT: Continued.
    CONT(18, "Continued"),
    /// SIGSTOP: Stopped (signal).
    STOP(19, "Stopped (signal)"),
    /// SIGTSTP: Stopped.
    TSTP(20, "Stopped"),
    /// SIGTTIN: Stopped (tty input).
    TTIN(21, "Stopped (tty input)"),
    /// SIGTTOU: Stopped (tty output).
    TTOU(22, "Stopped (tty output)"),
    /// SIGURG: Urgent I/O condition.
    URG(23, "Urgent I/O condition"),
    /// SIGXCPU: CPU time limit exceeded.
    XCPU(24, "CPU time limit exceeded"),
    /// SIGXFSZ: File size limit exceeded.
    XFSZ(25, "File size limit exceeded"),
    /// SIGVTALRM: Virtual timer expired.
    VTALRM(26, "Virtual timer expired"),
    /// SIGPROF: Profiling timer expired.
    PROF(27, "Profiling timer expired"),
    /// SIGWINCH: Window changed.
    WINCH(28, "Window changed"),
    /// SIGIO: I/O possible.
    IO(29, "I/O possible"),
    /// SIGPWR: Power failure.
    PWR(30, "Power failure"),
    /// SIGSYS: Bad system call.
    SYS(31, "Bad system call");

    /// The lowest real-time signal number glibc leaves to applications (it keeps 32 and 33 for
    /// thread cancellation and set*id broadcasts).
    public static final int SIGRTMIN = 34;
    /// The highest signal number on Linux.
    public static final int SIGRTMAX = 64;

    private static final Signal[] BY_NUMBER = new Signal[32];

    static {
        for (Signal s : values()) {
            BY_NUMBER[s.number] = s;
        }
    }

    private final int number;
    private final String description;

    Signal(int number, String description) {
        this.number = number;
        this.description = description;
    }

    /// The signal number.
    public int number() {
        return number;
    }

    /// The description `strsignal(3)` gives, such as "Hangup".
    public String description() {
        return description;
    }

    /// The C name, such as "SIGHUP".
    public String cName() {
        return "SIG" + name();
    }

    /// The signal with this number, or empty for 0, a real-time signal or an unknown number.
    public static Optional<Signal> of(int number) {
        return number > 0 && number < BY_NUMBER.length ? Optional.of(BY_NUMBER[number]) : Optional.empty();
    }

    /// The signal called `name`: "SIGHUP", "HUP" or "hup".
    ///
    /// @throws IllegalArgumentException naming the argument for anything else
    public static Signal byName(String name) {
        String n = name.toUpperCase(Locale.ROOT);
        try {
            return valueOf(n.startsWith("SIG") ? n.substring(3) : n);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("name: no signal is called " + name, e);
        }
    }

    /// The name of signal `number` as the shell's `kill -l` prints it, with the "SIG" prefix:
    /// "SIGHUP" for 1 to 31, "SIGRTMIN", "SIGRTMIN+1" ... "SIGRTMIN+15" for 34 to 49, then
    /// "SIGRTMAX-14" ... "SIGRTMAX" for 50 to 64. [#numberOf(String)] reads every such name back.
    ///
    /// @throws IllegalArgumentException naming the argument if `number` is not 1..31 or 34..64
    public static String nameOf(int number) {
        if (number > 0 && number < BY_NUMBER.length) {
            return BY_NUMBER[number].cName();
        }
        if (number >= SIGRTMIN && number <= SIGRTMAX) {
            int fromMin = number - SIGRTMIN;
            int fromMax = SIGRTMAX - number;
            if (fromMin == 0) {
                return "SIGRTMIN";
            }
            if (fromMax == 0) {
                return "SIGRTMAX";
            }
            return fromMin <= 15 ? "SIGRTMIN+" + fromMin : "SIGRTMAX-" + fromMax;
        }
        throw new IllegalArgumentException("number must be a signal within 1..31 or "
                + SIGRTMIN + ".." + SIGRTMAX + " (32 and 33 belong to glibc): " + number);
    }

    /// The number of the signal called `name`: a standard name as [#byName(String)] reads it
    /// ("SIGHUP", "HUP", "hup"), or a real-time one ("SIGRTMIN", "SIGRTMIN+3", "RTMAX-2", any
    /// case). The inverse of [#nameOf(int)].
    ///
    /// @throws IllegalArgumentException naming the argument for anything else, including real-time
    ///     names outside SIGRTMIN..SIGRTMAX
    public static int numberOf(String name) {
        String n = name.toUpperCase(Locale.ROOT);
        String bare = n.startsWith("SIG") ? n.substring(3) : n;
        if (!bare.startsWith("RTMIN") && !bare.startsWith("RTMAX")) {
            return byName(name).number();
        }
        String rest = bare.substring(5);
        int base = bare.startsWith("RTMIN") ? SIGRTMIN : SIGRTMAX;
        int number;
        if (rest.isEmpty()) {
            number = base;
        } else if (rest.length() > 1 && rest.length() <= 3 && (rest.charAt(0) == '+' || rest.charAt(0) == '-')
                && rest.chars().skip(1).allMatch(c -> c >= '0' && c <= '9')) {
            int offset = Integer.parseInt(rest.substring(1));
            number = rest.charAt(0) == '+' ? base + offset : base - offset;
        } else {
            throw new IllegalArgumentException("name: no signal is called " + name);
        }
        if (number < SIGRTMIN || number > SIGRTMAX) {
            throw new IllegalArgumentException("name: " + name + " is outside SIGRTMIN..SIGRTMAX ("
                    + SIGRTMIN + ".." + SIGRTMAX + ")");
        }
        return number;
    }

    /// The number of real-time signal SIGRTMIN+`offset` as glibc numbers them for applications
    /// (glibc reserves 32 and 33 for itself, so SIGRTMIN is 34 and SIGRTMAX 64).
    ///
    /// @throws IllegalArgumentException if `offset` is outside 0..30
    public static int realTime(int offset) {
        if (offset < 0 || offset > 30) {
            throw new IllegalArgumentException("offset must be within 0..30 (SIGRTMIN..SIGRTMAX): " + offset);
        }
        return SIGRTMIN + offset;
    }
}
