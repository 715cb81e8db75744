package org.posix4j.cli.testing;

import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/// The time a test method (or, on a class, each of its test methods) may take, in seconds, before
/// it fails: JUnit's `@Timeout` in `SEPARATE_THREAD` mode, but multiplied by
/// [TimeFactor#factor()]. [ScaledTimeoutExtension] enforces it; it is registered for every test
/// by `META-INF/services`, and gives methods without this annotation a scaled default.
@Target({ElementType.TYPE, ElementType.METHOD})
@Retention(RetentionPolicy.RUNTIME)
@Inherited
public @interface ScaledTimeout {
    /// Seconds on a quiet machine, before scaling.
    long value();
}
