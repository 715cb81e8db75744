package org.posix4j.testing;

import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.InvocationInterceptor;
import org.junit.jupiter.api.extension.ReflectiveInvocationContext;
import org.junit.platform.commons.support.AnnotationSupport;

/// Runs each test and lifecycle method on a thread of its own and fails it once its
/// [ScaledTimeout] (or, without one, 90 s) times [TimeFactor#factor()] has passed, so that a test
/// that hangs (a child JVM waiting on a pipe, say) fails instead of stalling CI, and a loaded
/// machine stretches the limit instead of failing. The failure's cause carries the stack of the
/// test's thread when the time ran out. Methods under JUnit's own `@Timeout` are left to JUnit.
public final class ScaledTimeoutExtension implements InvocationInterceptor {
    private static final long UNANNOTATED_SECONDS = 90;

    /// Created by JUnit, which finds it through `META-INF/services`.
    public ScaledTimeoutExtension() {}

    @Override
    public void interceptTestMethod(Invocation<Void> invocation, ReflectiveInvocationContext<Method> call,
            ExtensionContext context) throws Throwable {
        testable(invocation, call);
    }

    @Override
    public void interceptTestTemplateMethod(Invocation<Void> invocation, ReflectiveInvocationContext<Method> call,
            ExtensionContext context) throws Throwable {
        testable(invocation, call);
    }

    @Override
    public <T> T interceptTestFactoryMethod(Invocation<T> invocation, ReflectiveInvocationContext<Method> call,
            ExtensionContext context) throws Throwable {
        return testable(invocation, call);
    }

    @Override
    public void interceptBeforeAllMethod(Invocation<Void> invocation, ReflectiveInvocationContext<Method> call,
            ExtensionContext context) throws Throwable {
        lifecycle(invocation, call);
    }

    @Override
    public void interceptBeforeEachMethod(Invocation<Void> invocation, ReflectiveInvocationContext<Method> call,
            ExtensionContext context) throws Throwable {
        lifecycle(invocation, call);
    }

    @Override
    public void interceptAfterEachMethod(Invocation<Void> invocation, ReflectiveInvocationContext<Method> call,
            ExtensionContext context) throws Throwable {
        lifecycle(invocation, call);
    }

    @Override
    public void interceptAfterAllMethod(Invocation<Void> invocation, ReflectiveInvocationContext<Method> call,
            ExtensionContext context) throws Throwable {
        lifecycle(invocation, call);
    }

    /// As JUnit's `@Timeout`: a test method's own annotation, else its class's (or an enclosing one's).
    private static <T> T testable(Invocation<T> invocation, ReflectiveInvocationContext<Method> call)
            throws Throwable {
        if (AnnotationSupport.isAnnotated(call.getExecutable(), Timeout.class)
                || onClass(call.getTargetClass(), Timeout.class).isPresent()) {
            return invocation.proceed();
        }
        Optional<ScaledTimeout> own = AnnotationSupport.findAnnotation(call.getExecutable(), ScaledTimeout.class);
        Optional<ScaledTimeout> declared = own.isPresent() ? own : onClass(call.getTargetClass(), ScaledTimeout.class);
        return run(invocation, call, declared.map(ScaledTimeout::value).orElse(UNANNOTATED_SECONDS));
    }

    /// As JUnit's `@Timeout`: a class's annotation does not reach its lifecycle methods.
    private static <T> T lifecycle(Invocation<T> invocation, ReflectiveInvocationContext<Method> call)
            throws Throwable {
        if (AnnotationSupport.isAnnotated(call.getExecutable(), Timeout.class)) {
            return invocation.proceed();
        }
        return run(invocation, call, AnnotationSupport.findAnnotation(call.getExecutable(), ScaledTimeout.class)
                .map(ScaledTimeout::value).orElse(UNANNOTATED_SECONDS));
    }

    private static <T> T run(Invocation<T> invocation, ReflectiveInvocationContext<Method> call, long seconds) {
        Duration limit = TimeFactor.seconds(seconds);
        return assertTimeoutPreemptively(limit, invocation::proceed, () -> call.getExecutable().getName()
                + "() took longer than " + seconds + " s times " + TimeFactor.VARIABLE + " (" + TimeFactor.factor()
                + ")");
    }

    /// `annotation` on `type` or on a class enclosing it.
    private static <A extends Annotation> Optional<A> onClass(Class<?> type, Class<A> annotation) {
        for (Class<?> c = type; c != null; c = c.getEnclosingClass()) {
            Optional<A> found = AnnotationSupport.findAnnotation(c, annotation);
            if (found.isPresent()) {
                return found;
            }
        }
        return Optional.empty();
    }
}
