package org.posix4j.internal;

import org.posix4j.PosixException;
import org.posix4j.spawn.Child;
import org.posix4j.spawn.Spawn;

/// Lets the broker start a [Spawn] with its posix_spawn call made on a thread of the broker's
/// choosing (the one that carries the seccomp filter), without making that a public API.
public final class SpawnAccess {
    /// A native call to run.
    @FunctionalInterface
    public interface NativeCall {
        /// Makes the call; answers its int result.
        int call() throws Throwable;
    }

    /// Runs a [NativeCall] somewhere, answering its result.
    @FunctionalInterface
    public interface Runner {
        /// Runs `call` and answers its result.
        int run(NativeCall call) throws Throwable;
    }

    /// Starts a spawn through a runner; set once by [Spawn]'s class initialisation.
    @FunctionalInterface
    public interface Starter {
        /// Starts `spawn`, its posix_spawn call made through `runner`, with every file the
        /// child's file actions would open opened in this process instead.
        Child start(Spawn spawn, Runner runner) throws PosixException;
    }

    private static volatile Starter starter;

    private SpawnAccess() {}

    /// Called by [Spawn] only.
    public static void starter(Starter s) {
        starter = s;
    }

    /// Starts `spawn` (an instance exists, so [Spawn] is initialised and the starter set).
    public static Child start(Spawn spawn, Runner runner) throws PosixException {
        return starter.start(spawn, runner);
    }
}
