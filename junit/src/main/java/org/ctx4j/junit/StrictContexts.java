package org.ctx4j.junit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Fails a test that leaves a cancellable context live: every {@code CancellableContext} created
 * while the test runs (by the test's thread and the threads it starts) must be cancelled, or have
 * ended with an ancestor or at its deadline, by the time the test and its {@code @AfterEach}
 * methods return. The failure lists each context still live and where it was created.
 *
 * <p>On a test class (then for its tests and those of its {@code @Nested} classes) or a test
 * method; it registers {@link ContextExtension}, which does the check.
 * {@code @StrictContexts(false)} turns strict mode off where a class or the configuration parameter
 * {@value ContextExtension#STRICT_PARAMETER} turned it on. See {@link ContextExtension} for the
 * details.
 */
@Target({ElementType.TYPE, ElementType.METHOD})
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@ExtendWith(ContextExtension.class)
public @interface StrictContexts {
  /**
   * Whether strict mode is on here.
   *
   * @return false to turn it off for this class or method
   */
  boolean value() default true;
}
