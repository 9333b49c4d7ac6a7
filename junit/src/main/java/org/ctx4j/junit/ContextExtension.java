package org.ctx4j.junit;

import java.lang.reflect.Constructor;
import java.lang.reflect.Method;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import org.ctx4j.CancellableContext;
import org.ctx4j.Context;
import org.ctx4j.LeakDetection;
import org.ctx4j.LeakReport;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ExtensionContext.Namespace;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.platform.commons.support.AnnotationSupport;

/**
 * Gives each test one {@link Context}, cancelled when the test ends: Go's {@code t.Context()} (Go
 * 1.24) for JUnit Jupiter.
 *
 * <p>Register it with {@code @ExtendWith(ContextExtension.class)} on a test class (it then applies
 * to the class's {@code @Nested} classes too), or for every test class through JUnit's extension
 * auto-detection ({@code junit.jupiter.extensions.autodetection.enabled=true}). A test method, and
 * its {@code @BeforeEach} and {@code @AfterEach} methods, may then declare a parameter of type
 * {@code Context}:
 *
 * <ul>
 *   <li>every such parameter of one test gets the same context: the one {@code @BeforeEach} sees is
 *       the one the test and {@code @AfterEach} see;
 *   <li>it is cancelled when the test ends, after its {@code @AfterEach} methods, whether the test
 *       passed, failed or was aborted; {@link Context#cause} then names the test;
 *   <li>when the test has a timeout (a {@code @Timeout} on the method, else on its class or an
 *       enclosing class, else JUnit's {@code junit.jupiter.execution.timeout.*} defaults), the
 *       context's deadline is that timeout counted from when the context was created (the first
 *       parameter that asked for it), unless {@code junit.jupiter.execution.timeout.mode} turns
 *       timeouts off.
 * </ul>
 *
 * <p>Each invocation of a {@code @ParameterizedTest} or {@code @RepeatedTest} is a test of its own
 * and gets a context of its own. Declare the parameter as {@code Context}: the extension alone
 * cancels it, so {@code CancellableContext} is refused; derive {@code Context.withCancel(ctx)} to
 * cancel earlier. A constructor, {@code @BeforeAll} or {@code @AfterAll} method cannot ask for one:
 * there is no single test whose life it would follow.
 *
 * <p><b>Strict mode</b> ({@link StrictContexts @StrictContexts} on the method, its class or an
 * enclosing class, or the configuration parameter {@value #STRICT_PARAMETER}{@code =true} for every
 * test the extension is registered for; the nearest {@code @StrictContexts} wins over the
 * parameter): a test fails when a {@code CancellableContext} created during it is still live once
 * it and its {@code @AfterEach} methods have returned, that is neither cancelled, nor ended with an
 * ancestor, nor past its deadline. The failure lists each one, with where it was created. The
 * contexts counted are those created, from the extension's {@code beforeEach} on, by the test's
 * thread and by threads constructed while it runs by that thread or (transitively) by threads it
 * constructed (the scope is inherited like an {@code InheritableThreadLocal}): threads the test
 * starts, executors it creates. Pool threads that existed before the test (a shared executor, the
 * common fork-join pool) are not followed. The test's own context from this extension is not
 * counted: the extension cancels it after the check. This is the runtime's {@link
 * LeakDetection#openScope()}, and needs no garbage collection.
 */
public final class ContextExtension
    implements ParameterResolver, BeforeEachCallback, AfterEachCallback {
  /**
   * The configuration parameter that turns strict mode on for every test: {@code true}/{@code
   * false}.
   */
  public static final String STRICT_PARAMETER = "ctx4j.strict";

  private static final Namespace NAMESPACE = Namespace.create(ContextExtension.class);
  private static final String KEY = "context";
  private static final String SCOPE = "strict scope";

  /** How many frames of a leaked context's creation stack a failure shows. */
  private static final int FRAMES = 8;

  /** Created by JUnit from {@code @ExtendWith(ContextExtension.class)}. */
  public ContextExtension() {}

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext test) {
    Class<?> type = parameter.getParameter().getType();
    // CancellableContext is claimed too, so that asking for it gets an error that says why.
    return type == Context.class || type == CancellableContext.class;
  }

  @Override
  public Context resolveParameter(ParameterContext parameter, ExtensionContext test) {
    String where = describe(parameter);
    if (parameter.getParameter().getType() == CancellableContext.class) {
      throw new ParameterResolutionException(
          where
              + ": declare it as Context, not CancellableContext: ContextExtension cancels it when"
              + " the test ends; to cancel earlier, derive Context.withCancel(ctx) from it");
    }
    if (parameter.getDeclaringExecutable() instanceof Constructor<?>) {
      throw new ParameterResolutionException(
          where
              + ": a test's Context cannot be a constructor parameter (it would outlive the test in"
              + " a field); declare it on the test method or its @BeforeEach/@AfterEach methods");
    }
    Optional<Method> method = test.getTestMethod();
    if (method.isEmpty()) {
      throw new ParameterResolutionException(
          where
              + ": a test's Context is for a test method and its @BeforeEach/@AfterEach methods;"
              + " @BeforeAll and @AfterAll run outside any single test");
    }
    return test.getStore(NAMESPACE)
        .getOrComputeIfAbsent(
            KEY,
            key -> {
              CancellableContext ctx = create(test, method.get());
              LeakDetection.Scope scope =
                  test.getStore(NAMESPACE).get(SCOPE, LeakDetection.Scope.class);
              if (scope != null) {
                scope.exclude(ctx); // this extension cancels it, after the check
              }
              return ctx;
            },
            CancellableContext.class);
  }

  /** In strict mode, starts recording the contexts the test creates. */
  @Override
  public void beforeEach(ExtensionContext test) {
    if (strict(test)) {
      test.getStore(NAMESPACE).put(SCOPE, LeakDetection.openScope());
    }
  }

  /**
   * In strict mode, lists the contexts the test left live; then cancels the test's context, if any
   * parameter asked for one; then fails the test if the list is not empty. Runs after
   * {@code @AfterEach}.
   */
  @Override
  public void afterEach(ExtensionContext test) {
    LeakDetection.Scope scope = test.getStore(NAMESPACE).remove(SCOPE, LeakDetection.Scope.class);
    List<LeakReport> live = List.of();
    if (scope != null) {
      live = scope.unfinished();
      scope.close();
    }
    CancellableContext ctx = test.getStore(NAMESPACE).remove(KEY, CancellableContext.class);
    if (ctx != null) {
      ctx.cancel(new CancellationException("the test " + test.getDisplayName() + " ended"));
    }
    if (!live.isEmpty()) {
      throw new AssertionError(failure(live));
    }
  }

  /** The nearest {@code @StrictContexts}, else the configuration parameter, else off. */
  private static boolean strict(ExtensionContext test) {
    Optional<StrictContexts> a =
        test.getTestMethod()
            .flatMap(m -> AnnotationSupport.findAnnotation(m, StrictContexts.class));
    for (Class<?> c = test.getRequiredTestClass();
        a.isEmpty() && c != null;
        c = c.getEnclosingClass()) {
      a = AnnotationSupport.findAnnotation(c, StrictContexts.class);
    }
    if (a.isPresent()) {
      return a.get().value();
    }
    Optional<String> p = test.getConfigurationParameter(STRICT_PARAMETER);
    if (p.isEmpty()) {
      return false;
    }
    String v = p.get().strip().toLowerCase(Locale.ROOT);
    if (!v.equals("true") && !v.equals("false")) {
      throw new ExtensionConfigurationException(
          "configuration parameter "
              + STRICT_PARAMETER
              + "="
              + p.get()
              + " is neither true nor false");
    }
    return v.equals("true");
  }

  private static String failure(List<LeakReport> live) {
    StringBuilder sb = new StringBuilder();
    sb.append(live.size() == 1 ? "1 context" : live.size() + " contexts")
        .append(" created during the test ")
        .append(live.size() == 1 ? "is" : "are")
        .append(" still live at its end (neither cancelled, nor ended with an ancestor, nor past")
        .append(" a deadline); cancel each on every path, for example with try-with-resources:");
    int n = 0;
    for (LeakReport r : live) {
      sb.append(System.lineSeparator()).append("  ").append(++n).append(". ").append(r.kind());
      sb.append(' ').append(r.context());
      List<StackTraceElement> stack = r.creationStack();
      if (stack != null) {
        String prefix = "created at ";
        for (int i = 0; i < stack.size() && i < FRAMES && !isFramework(stack.get(i)); i++) {
          sb.append(System.lineSeparator()).append("       ").append(prefix).append(stack.get(i));
          prefix = "   from ";
        }
      }
    }
    return sb.toString();
  }

  /** Where a test's own frames end: the reflection and JUnit frames that called the test. */
  private static boolean isFramework(StackTraceElement e) {
    String c = e.getClassName();
    return c.startsWith("org.junit.")
        || c.startsWith("jdk.internal.reflect.")
        || c.startsWith("java.lang.reflect.");
  }

  private static CancellableContext create(ExtensionContext test, Method method) {
    Optional<Duration> timeout = TestTimeouts.of(test, method);
    if (timeout.isEmpty()) {
      return Context.withCancel(Context.background());
    }
    Duration d = timeout.get();
    return Context.withTimeoutCause(
        Context.background(),
        d,
        new CancellationException(
            "the test " + test.getDisplayName() + " reached its timeout of " + d));
  }

  private static String describe(ParameterContext parameter) {
    return "parameter "
        + parameter.getIndex()
        + " of "
        + parameter.getDeclaringExecutable().getDeclaringClass().getSimpleName()
        + "."
        + parameter.getDeclaringExecutable().getName();
  }
}
