package org.posix4j.cli.command;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.posix4j.PosixException;
import org.posix4j.signal.Signal;
import org.posix4j.signal.SignalChannel;
import org.posix4j.signal.SignalEvent;
import org.posix4j.spawn.Child;

/// Takes SIGINT, SIGTERM and SIGHUP away from the JVM's shutdown while `posix4j run`'s program
/// runs, and passes them on to the program, as timeout(1) does, so that posix4j never exits
/// before its program and always exits with its status.
///
/// A program with a process group of its own gets each signal on its whole group, followed by
/// SIGCONT so that a stopped group acts on it (timeout(1) does the same). A program in posix4j's
/// group gets SIGTERM and SIGHUP, but not SIGINT: a terminal's Ctrl-C already reached the whole
/// group, the program included, and a shell waiting for its foreground job does not pass it on
/// either.
///
/// A signal that posix4j ignores (SIG_IGN, as under nohup) is left so: the JVM never sees it,
/// and the program inherits it ignored, as it would through exec.
///
/// Thread safety: [#open()] and [#close()] are called by the thread that runs the command;
/// [#forwardTo] once, by the same thread. One daemon thread per signal passes them on: platform
/// threads, since starting the JVM's virtual-thread scheduler would cost more than the three.
final class SignalRelay implements AutoCloseable {
    private static final List<Signal> RELAYED = List.of(Signal.INT, Signal.TERM, Signal.HUP);

    private final List<SignalChannel> channels;

    private SignalRelay(List<SignalChannel> channels) {
        this.channels = channels;
    }

    /// Takes the signals from the JVM now, before the program starts, so that none arriving
    /// meanwhile ends posix4j: they wait in their channels until [#forwardTo] is called. The
    /// program still starts with them at their default action, as posix_spawn resets every
    /// signal that has a handler.
    ///
    /// One channel per signal, since a channel refuses the whole set when one of them is ignored.
    /// Where the JVM cannot lend its signals (`-Xrs`, no `jdk.unsupported`), the relay does
    /// nothing and the JVM's shutdown stays as it is.
    ///
    /// @throws PosixException EMFILE or ENFILE when descriptors run out
    static SignalRelay open() throws PosixException {
        List<SignalChannel> channels = new ArrayList<>();
        for (Signal s : RELAYED) {
            try {
                channels.add(SignalChannel.open(s));
            } catch (IllegalStateException ignoredByThisProcess) {
                // SIG_IGN: nothing to relay, and the program inherits it ignored.
            } catch (IllegalArgumentException | UnsupportedOperationException jvmRefuses) {
                break;
            }
        }
        return new SignalRelay(channels);
    }

    /// Starts passing the signals on to `child`, including those that came since [#open()].
    ///
    /// @param ownGroup whether the child leads a process group of its own, to be signalled whole
    void forwardTo(Child child, boolean ownGroup) {
        for (SignalChannel channel : channels) {
            Thread.ofPlatform().daemon().name("posix4j run: relay " + channel.signals())
                    .start(() -> relay(channel, child, ownGroup));
        }
    }

    private static void relay(SignalChannel channel, Child child, boolean ownGroup) {
        try {
            while (true) {
                SignalEvent e = channel.read();
                Signal signal = e.signal().orElseThrow();
                try {
                    if (ownGroup) {
                        child.signalGroup(signal);
                        child.signalGroup(Signal.CONT);
                    } else if (signal != Signal.INT) {
                        child.signal(signal);
                    }
                } catch (PosixException | IllegalStateException ended) {
                    // ESRCH: the program (or its whole group) is gone, and its status is on the way;
                    // or the command already closed the Child, after its end.
                }
            }
        } catch (IOException | InterruptedException closed) {
            // close() closed the channel: the program has ended.
        }
    }

    /// Gives the signals back to the JVM; the readers then end.
    @Override
    public void close() {
        for (SignalChannel channel : channels) {
            try {
                channel.close();
            } catch (PosixException e) {
                // Only closing the channel's pipe can fail (EIO), and the descriptor is released
                // anyway; the handlers are back already. The program's exit code matters more.
            }
        }
    }
}
