package org.ctx4j.junit;

import java.lang.management.ManagementFactory;
import java.lang.reflect.AnnotatedElement;
import java.lang.reflect.Method;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.TestTemplate;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.platform.commons.support.AnnotationSupport;

/**
 * The timeout JUnit applies to a test method, read the way JUnit reads it: {@code @Timeout} on the
 * method, else on its class or an enclosing class ({@code @Nested} classes inherit it), else the
 * configuration parameters {@code junit.jupiter.execution.timeout.*}.
 */
final class TestTimeouts {
  private static final String PREFIX = "junit.jupiter.execution.timeout.";
  private static final String MODE = PREFIX + "mode";
  private static final String DEFAULT = PREFIX + "default";
  private static final String TESTABLE = PREFIX + "testable.method.default";

  /** JUnit's duration syntax: a positive integer and an optional unit (seconds when absent). */
  private static final Pattern DURATION =
      Pattern.compile("([1-9]\\d*) ?((?:[nμm]?s)|m|h|d)?", Pattern.CASE_INSENSITIVE);

  private TestTimeouts() {}

  static Optional<Duration> of(ExtensionContext test, Method method) {
    if (timeoutsOff(test)) {
      return Optional.empty();
    }
    Optional<Timeout> annotation = AnnotationSupport.findAnnotation(method, Timeout.class);
    for (Class<?> c = test.getRequiredTestClass();
        annotation.isEmpty() && c != null;
        c = c.getEnclosingClass()) {
      annotation = AnnotationSupport.findAnnotation(c, Timeout.class);
    }
    if (annotation.isPresent()) {
      return Optional.of(fromAnnotation(annotation.get(), method));
    }
    // Arrays.asList, not List.of: the kind-specific key is null for a method of none of the kinds.
    for (String key : Arrays.asList(kindSpecificKey(method), TESTABLE, DEFAULT)) {
      Optional<String> value = key == null ? Optional.empty() : test.getConfigurationParameter(key);
      if (value.isPresent()) {
        return Optional.of(parse(key, value.get()));
      }
    }
    return Optional.empty();
  }

  private static Duration fromAnnotation(Timeout timeout, AnnotatedElement where) {
    if (timeout.value() <= 0) {
      throw new ParameterResolutionException(
          "@Timeout(" + timeout.value() + ") on " + where + ": a timeout must be positive");
    }
    return Duration.ofNanos(timeout.unit().toNanos(timeout.value()));
  }

  /**
   * The key of the default for this kind of testable method: @Test, @TestTemplate or @TestFactory.
   */
  private static @Nullable String kindSpecificKey(Method method) {
    if (AnnotationSupport.isAnnotated(method, Test.class)) {
      return PREFIX + "test.method.default";
    }
    if (AnnotationSupport.isAnnotated(method, TestTemplate.class)) {
      return PREFIX + "testtemplate.method.default";
    }
    if (AnnotationSupport.isAnnotated(method, TestFactory.class)) {
      return PREFIX + "testfactory.method.default";
    }
    return null;
  }

  /** Parses {@code 5}, {@code 5 s}, {@code 500ms}, {@code 2 m}, ... (JUnit's syntax). */
  static Duration parse(String key, String value) {
    Matcher m = DURATION.matcher(value.strip());
    if (!m.matches()) {
      throw new ParameterResolutionException(
          "configuration parameter "
              + key
              + "="
              + value
              + " is not a timeout: write a positive integer and an optional unit"
              + " (ns, μs, ms, s, m, h, d), for example \"5 s\"");
    }
    long amount = Long.parseLong(m.group(1));
    String unit = m.group(2) == null ? "s" : m.group(2).toLowerCase(Locale.ROOT);
    TimeUnit timeUnit =
        switch (unit) {
          case "ns" -> TimeUnit.NANOSECONDS;
          case "μs" -> TimeUnit.MICROSECONDS;
          case "ms" -> TimeUnit.MILLISECONDS;
          case "s" -> TimeUnit.SECONDS;
          case "m" -> TimeUnit.MINUTES;
          case "h" -> TimeUnit.HOURS;
          case "d" -> TimeUnit.DAYS;
          default -> throw new IllegalStateException("unit " + unit + " matched the pattern");
        };
    return Duration.ofNanos(timeUnit.toNanos(amount));
  }

  /**
   * {@code mode=disabled}, or {@code disabled_on_debug} under a debugger: JUnit times nothing out.
   */
  private static boolean timeoutsOff(ExtensionContext test) {
    String mode = test.getConfigurationParameter(MODE).orElse("enabled").strip();
    if (mode.equalsIgnoreCase("disabled")) {
      return true;
    }
    return mode.equalsIgnoreCase("disabled_on_debug") && underDebugger();
  }

  private static boolean underDebugger() {
    return ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
        .anyMatch(arg -> arg.startsWith("-agentlib:jdwp") || arg.startsWith("-Xrunjdwp"));
  }
}
