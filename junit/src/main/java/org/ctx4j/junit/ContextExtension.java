package org.ctx4j.junit;

import java.lang.reflect.Constructor;
import java.lang.reflect.Method;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import org.ctx4j.CancellableContext;
import org.ctx4j.Context;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ExtensionContext.Namespace;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;

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
 */
public final class ContextExtension implements ParameterResolver, AfterEachCallback {
  private static final Namespace NAMESPACE = Namespace.create(ContextExtension.class);
  private static final String KEY = "context";

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
        .getOrComputeIfAbsent(KEY, key -> create(test, method.get()), CancellableContext.class);
  }

  /** Cancels the test's context, if any parameter asked for one. Runs after {@code @AfterEach}. */
  @Override
  public void afterEach(ExtensionContext test) {
    CancellableContext ctx = test.getStore(NAMESPACE).remove(KEY, CancellableContext.class);
    if (ctx != null) {
      ctx.cancel(new CancellationException("the test " + test.getDisplayName() + " ended"));
    }
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
