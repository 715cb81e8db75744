package org.posix4j.signal;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Proxy;

/// The JVM's own signal handler API, `sun.misc.Signal` of module `jdk.unsupported`, through
/// method handles. It is public, exported and needs no `--add-opens`; it is reached reflectively
/// only because javac reports every use of a `sun.misc` type as "internal proprietary API" with a
/// warning no annotation suppresses, and the build treats warnings as errors.
///
/// `sun.misc.Signal.handle` installs the JVM's native handler for the signal, which records it
/// and wakes the JVM's "Signal Dispatcher" thread; that thread starts a new thread which calls
/// the Java handler. The native handler keeps nothing of the `siginfo`.
///
/// Thread safety: `sun.misc.Signal.handle` is synchronized; so is everything here.
final class JvmSignals {
    private JvmSignals() {}

    private static final Class<?> HANDLER;
    private static final MethodHandle NEW_SIGNAL;
    private static final MethodHandle HANDLE;
    private static final String UNAVAILABLE;

    static {
        Class<?> handler = null;
        MethodHandle newSignal = null;
        MethodHandle handle = null;
        String unavailable = null;
        try {
            Class<?> signal = Class.forName("sun.misc.Signal");
            handler = Class.forName("sun.misc.SignalHandler");
            MethodHandles.Lookup lookup = MethodHandles.publicLookup();
            newSignal = lookup.findConstructor(signal, MethodType.methodType(void.class, String.class))
                    .asType(MethodType.methodType(Object.class, String.class));
            handle = lookup.findStatic(signal, "handle", MethodType.methodType(handler, signal, handler))
                    .asType(MethodType.methodType(Object.class, Object.class, Object.class));
        } catch (ReflectiveOperationException | LinkageError e) {
            unavailable = "the JVM's signal API (sun.misc.Signal in module jdk.unsupported) is missing: " + e;
        }
        HANDLER = handler;
        NEW_SIGNAL = newSignal;
        HANDLE = handle;
        UNAVAILABLE = unavailable;
    }

    /// A Java handler installed for one signal, and what it replaced.
    ///
    /// @param signal the `sun.misc.Signal`
    /// @param previous the `sun.misc.SignalHandler` it replaced: SIG_DFL, SIG_IGN, the JVM's
    ///     shutdown handler, a native handler such as HotSpot's own for SIGPIPE
    record Registration(Object signal, Object previous) {}

    /// Installs the JVM's handler for `number` (a standard signal), calling `onSignal` on a new
    /// thread for each delivery, and answers what to restore.
    ///
    /// @throws IllegalArgumentException with the JVM's message when it refuses the signal
    /// @throws UnsupportedOperationException when `jdk.unsupported` is absent
    static synchronized Registration install(int number, Runnable onSignal) {
        if (UNAVAILABLE != null) {
            throw new UnsupportedOperationException(UNAVAILABLE);
        }
        String name = Signal.of(number).orElseThrow().name();
        InvocationHandler ih = (proxy, method, args) -> switch (method.getName()) {
            case "handle" -> {
                onSignal.run();
                yield null;
            }
            case "equals" -> proxy == args[0];
            case "hashCode" -> System.identityHashCode(proxy);
            case "toString" -> "posix4j SignalChannel handler for SIG" + name;
            default -> throw new UnsupportedOperationException(method.toString());
        };
        Object handler = Proxy.newProxyInstance(JvmSignals.class.getClassLoader(), new Class<?>[] {HANDLER}, ih);
        try {
            Object signal = NEW_SIGNAL.invokeExact(name);
            Object previous = HANDLE.invokeExact(signal, handler);
            return new Registration(signal, previous);
        } catch (IllegalArgumentException e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException("sun.misc.Signal.handle(SIG" + name + ") failed: " + t, t);
        }
    }

    /// Puts back what `registration` replaced.
    static synchronized void restore(Registration registration) {
        try {
            Object ignored = HANDLE.invokeExact(registration.signal(), registration.previous());
        } catch (Throwable t) {
            throw new IllegalStateException("restoring the handler of " + registration.signal() + " failed: " + t, t);
        }
    }
}
