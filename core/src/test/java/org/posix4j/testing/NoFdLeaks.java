package org.posix4j.testing;

import java.util.Set;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.posix4j.io.OpenFds;

/// Fails a test that leaves a descriptor open: compares /proc/self/fd before and after each test
/// (`@ExtendWith(NoFdLeaks.class)`).
public final class NoFdLeaks implements BeforeEachCallback, AfterEachCallback {
    private static final ExtensionContext.Namespace NS = ExtensionContext.Namespace.create(NoFdLeaks.class);

    @Override
    public void beforeEach(ExtensionContext context) {
        context.getStore(NS).put("before", OpenFds.snapshot());
    }

    @Override
    @SuppressWarnings("unchecked")
    public void afterEach(ExtensionContext context) {
        OpenFds.assertNoneOpenedSince((Set<String>) context.getStore(NS).get("before"));
    }
}
