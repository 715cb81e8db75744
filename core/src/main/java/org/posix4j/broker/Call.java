package org.posix4j.broker;

import java.util.concurrent.atomic.AtomicBoolean;

/// One libc call of the sandboxed program, held until the master answers it: what
/// Emilua's `libc_service.master:receive()` stores in the master object's properties (function,
/// arguments), plus which process and thread asked and through which syscall.
///
/// A call is answered exactly once, through [Master]'s `send` methods on the thread that
/// received it. Instances are immutable apart from that answered state, and safe to read from
/// any thread.
public final class Call {
    /// How the program wants a stat result written back.
    enum StatFormat { NONE, STAT, STATX }

    final long id;
    /// The handles of the thread that made the call, valid until the call is answered.
    final Caller caller;
    private final String syscall;
    private final Function function;
    private final Arguments arguments;
    private final String absolutePath;
    private final String absolutePath2;
    final int rawFlags;
    final long resolve;
    final int mode;
    final long buffer;
    final long bufferSize;
    final StatFormat statFormat;
    final int extraFlags;
    private final String rawPath;
    private final String rawPath2;
    private final String rawGiven;
    /// The directory a relative path is relative to (raw), for openat2's resolve flags.
    final String rawBase;
    private final AtomicBoolean answered = new AtomicBoolean();
    /// For socket calls: the program's descriptor, what it named, and which call it was.
    int socketFd = -1;
    private volatile boolean handedOff;
    Endpoint endpoint;
    NetOp netOp;
    /// For sends: what to send (a Sockets.Message, or a sendmmsg batch); for `symlink`, the
    /// link's contents (raw).
    Object payload;

    /// The socket call a network [Call] came from.
    enum NetOp { CONNECT, BIND, LISTEN, SENDTO, SENDMSG, SENDMMSG }

    Call(long id, Caller caller, String syscall, Function function, Arguments arguments,
            String rawGiven, String rawPath, String rawPath2, String rawBase, int rawFlags, long resolve, int mode, long buffer, long bufferSize,
            StatFormat statFormat, int extraFlags) {
        this.id = id;
        this.caller = caller;
        this.syscall = syscall;
        this.function = function;
        this.arguments = arguments;
        this.rawGiven = rawGiven;
        this.rawPath = rawPath;
        this.rawPath2 = rawPath2;
        this.rawBase = rawBase;
        this.absolutePath = rawPath == null ? null : Paths.display(rawPath);
        this.absolutePath2 = rawPath2 == null ? null : Paths.display(rawPath2);
        this.rawFlags = rawFlags;
        this.resolve = resolve;
        this.mode = mode;
        this.buffer = buffer;
        this.bufferSize = bufferSize;
        this.statFormat = statFormat;
        this.extraFlags = extraFlags;
    }

    /// The seed's function this call is.
    public Function function() {
        return function;
    }

    /// The call's arguments, as the seed lists them for [#function()].
    public Arguments arguments() {
        return arguments;
    }

    /// The syscall the program made (`openat`, `newfstatat`, `renameat2`...).
    public String syscall() {
        return syscall;
    }

    /// The id of the thread that made the call, as the kernel reported it.
    public int tid() {
        return caller.tid;
    }

    /// The id of the process (thread group) that made the call, as it was when the call was
    /// received.
    public int pid() {
        return caller.pid;
    }

    /// The path the call names, made absolute: a relative path is joined to the program's working
    /// directory or to the directory its descriptor refers to, as the kernel reports them, without
    /// resolving `..` or symbolic links (the policy layer decides on the kernel's resolution).
    /// For `rename` and `link` this is path1's; for `symlink`, the new link's.
    public String absolutePath() {
        return absolutePath;
    }

    /// For `rename` and `link`, path2 made absolute as [#absolutePath()]; `null` for every other
    /// function.
    public String absolutePath2() {
        return absolutePath2;
    }

    /// The open(2) flags as the program passed them, for `open` and `openat`; 0 otherwise.
    public int rawOpenFlags() {
        return rawFlags;
    }

    String absolutePathRaw() {
        return rawPath;
    }

    String absolutePath2Raw() {
        return rawPath2;
    }

    /// The path exactly as the program passed it (raw).
    String rawPath() {
        return rawGiven;
    }

    /// Marks the call as being answered by another thread (a blocking open or connect), so the
    /// thread that received it may receive again.
    void handOff() {
        handedOff = true;
    }

    boolean isHandedOff() {
        return handedOff;
    }

    boolean markAnswered() {
        return answered.compareAndSet(false, true);
    }

    /// Whether the master has answered this call.
    public boolean isAnswered() {
        return answered.get();
    }

    @Override
    public String toString() {
        return function + " " + arguments + " by " + caller.tid + " (" + syscall + ")";
    }
}
