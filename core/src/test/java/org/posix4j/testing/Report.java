package org.posix4j.testing;

import org.posix4j.PosixException;

/// How a child JVM tells its parent test what a call did, one `key=...` line per call:
/// `key=<value>` (or `key=ok` for a call without one) on success, `key=<ERRNO>` plus
/// `key.message=<message>` for a [PosixException], `key=<exception>` for anything else.
public final class Report {
    private Report() {}

    /// A call with a result.
    @FunctionalInterface
    public interface Call {
        /// Makes the call.
        Object run() throws Exception;
    }

    /// A call without a result.
    @FunctionalInterface
    public interface Action {
        /// Makes the call.
        void run() throws Exception;
    }

    /// Makes `call` and prints its result or failure under `key`.
    public static void value(String key, Call call) {
        try {
            System.out.println(key + "=" + call.run());
        } catch (PosixException e) {
            failed(key, e);
        } catch (Exception e) {
            System.out.println(key + "=" + e);
        }
    }

    /// Makes `action` and prints `ok` or its failure under `key`.
    public static void done(String key, Action action) {
        value(key, () -> {
            action.run();
            return "ok";
        });
    }

    private static void failed(String key, PosixException e) {
        System.out.println(key + "=" + e.errno().map(Enum::name).orElse("errno " + e.errnoValue()));
        System.out.println(key + ".message=" + e.getMessage());
    }
}
