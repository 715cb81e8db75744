package org.posix4j.broker;

import java.util.List;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.posix4j.internal.SocketH;

/// Performs a decided socket call on the master's copy of the program's socket, with the
/// credentials of the program's thread when [Performer] set them ([ProgramCredentials#actAs]):
/// binding a port below 1024 needs the program's CAP_NET_BIND_SERVICE, a unix socket's path
/// needs the program's write permission, and a peer reading SO_PEERCRED (the effective ids) or
/// receiving SCM_CREDENTIALS (the real ids) sees the program's uid and gid. The pid the kernel
/// gives both is the JVM's: a connect or send records the pid of the process that makes it,
/// and only CAP_SYS_ADMIN could name another one (not lent to the program).
final class NetworkCalls {
    private static final int EAGAIN = 11;
    private static final int ENOBUFS = 105;
    private static final int EACCES = 13;

    private NetworkCalls() {}

    /// Performs `call` with `address` as the sockaddr (for a sendmmsg, `destinations` per
    /// message). Answers {result, errno} when done here; `null` when a blocking connect or send
    /// went to a thread of its own (so a slow peer stalls no serving thread), which then hands
    /// {result, errno} to `done` (may be `null`) and answers the call. Runs `after` once the call
    /// is done, here or on its own thread: it releases what `address` refers to.
    static long[] perform(Master master, Scratch s, Call call, byte[] address, List<byte[]> destinations,
            Consumer<long[]> done, Runnable after) {
        try {
            return performThen(master, s, call, address, destinations, done, after);
        } catch (RuntimeException | Error e) {
            after.run();
            throw e;
        }
    }

    @SuppressWarnings("unchecked")
    private static long[] performThen(Master master, Scratch s, Call call, byte[] address, List<byte[]> destinations,
            Consumer<long[]> done, Runnable after) {
        int copy = call.caller.copyFd(call.socketFd);
        if (copy < 0) {
            closePayload(call);
            after.run();
            return new long[] {-1, -copy};
        }
        int socket = Sockets.checkSocket(s, copy);
        if (socket < 0) {
            Kernel.close(copy);
            closePayload(call);
            after.run();
            return new long[] {-1, -socket};
        }
        switch (call.netOp) {
            case CONNECT -> {
                if (Sockets.isBlocking(copy)) {
                    return offload(master, call, done, () -> {
                        int r = connect(copy, address);
                        Kernel.close(copy);
                        after.run();
                        return result(r);
                    }, () -> {
                        Kernel.close(copy);
                        after.run();
                    });
                }
                int r = connect(copy, address);
                Kernel.close(copy);
                after.run();
                return result(r);
            }
            case BIND -> {
                int r = Performer.withProgramUmask(
                        () -> ProgramCredentials.asProgram(() -> Sockets.bind(copy, address)));
                Kernel.close(copy);
                after.run();
                return result(r);
            }
            case LISTEN -> {
                int r = ProgramCredentials.asProgram(() -> Sockets.listen(copy, (Integer) call.payload));
                Kernel.close(copy);
                after.run();
                return result(r);
            }
            case SENDMMSG -> {
                Kernel.close(copy);
                Object[] batch = (Object[]) call.payload;
                long[] r = Master.sendBatch(master, s, call.caller, call.id, call.socketFd, (long) batch[0],
                        (List<Object[]>) batch[1], (int) batch[2], destinations, false);
                if (r == null) {
                    return offload(master, call, done, () -> {
                        long[] w = Master.sendBatch(master, Scratch.get(), call.caller, call.id, call.socketFd,
                                (long) batch[0], (List<Object[]>) batch[1], (int) batch[2], destinations, true);
                        after.run();
                        return w;
                    }, () -> {
                        closePayload(call);
                        after.run();
                    });
                }
                after.run();
                return r;
            }
            default -> {
                Sockets.Message m = (Sockets.Message) call.payload;
                boolean blocking = Sockets.isBlocking(copy) && (m.flags() & SocketH.MSG_DONTWAIT) == 0;
                long r = send(copy, m, address, m.flags() | (blocking ? SocketH.MSG_DONTWAIT : 0));
                if (r == -EAGAIN && blocking) {
                    return offload(master, call, done, () -> {
                        long w = Sockets.sendWaiting(master, Scratch.get(), call.id, copy, m, address, m.flags());
                        Kernel.close(copy);
                        m.fds().forEach(Kernel::close);
                        after.run();
                        return result(w);
                    }, () -> {
                        Kernel.close(copy);
                        m.fds().forEach(Kernel::close);
                        after.run();
                    });
                }
                Kernel.close(copy);
                m.fds().forEach(Kernel::close);
                after.run();
                return result(r);
            }
        }
    }

    private static int connect(int fd, byte[] address) {
        return ProgramCredentials.asProgram(() -> Sockets.connect(fd, address));
    }

    /// [Sockets#send] with the credentials this thread acts with.
    static long send(int fd, Sockets.Message m, byte[] address, int flags) {
        return ProgramCredentials.asProgramLong(() -> Sockets.send(fd, m, address, flags));
    }

    /// Runs `op` with `creds` set for this thread's [ProgramCredentials#enter()]: a send that
    /// needs no decision (no destination) still carries the program's ids in SCM_CREDENTIALS.
    static <T> T asCaller(ProgramCredentials creds, Supplier<T> op) {
        ProgramCredentials.actAs(creds);
        try {
            return op.get();
        } finally {
            ProgramCredentials.actAs(null);
        }
    }

    private static long[] result(long r) {
        return r < 0 ? new long[] {-1, -r} : new long[] {r, 0};
    }

    @SuppressWarnings("unchecked")
    static void closePayload(Call call) {
        if (call.payload instanceof Sockets.Message m) {
            m.fds().forEach(Kernel::close);
        } else if (call.payload instanceof Object[] batch) {
            ((List<Object[]>) batch[1]).forEach(x -> ((Sockets.Message) x[2]).fds().forEach(Kernel::close));
        }
    }

    private interface Blocking {
        long[] run();
    }

    /// Runs `op` on the offload pool, which then answers the call; or, when the pool holds as
    /// many of the program's calls as it takes ([Offload]), runs `release` (what `op` would have
    /// closed) and answers ENOBUFS here, as a send does when the kernel has no buffer for it.
    private static long[] offload(Master master, Call call, Consumer<long[]> done, Blocking op, Runnable release) {
        call.handOff();
        ProgramCredentials acting = ProgramCredentials.acting();
        Offload.run(call.caller, () -> {
            if (!master.stillWaiting(Scratch.get(), call.id)) {
                // Answered while it waited for a thread (a signal, see Interrupts).
                release.run();
                master.release(call.id);
                return;
            }
            ProgramCredentials.actAs(acting);
            long[] r;
            try {
                r = op.run();
            } finally {
                ProgramCredentials.actAs(null);
            }
            answer(master, call, done, r);
        }, () -> {
            release.run();
            answer(master, call, done, new long[] {-1, ENOBUFS});
        });
        return null;
    }

    private static void answer(Master master, Call call, Consumer<long[]> done, long[] r) {
        if (done != null) {
            done.accept(r);
        }
        master.reply(Scratch.get(), call.id, r[0], (int) r[1]);
    }
}
