package org.ctx4j.junit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectMethod;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.ctx4j.CanceledException;
import org.ctx4j.CancellableContext;
import org.ctx4j.Context;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.platform.engine.DiscoverySelector;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Event;
import org.junit.platform.testkit.engine.Events;

/**
 * Strict mode of {@link ContextExtension} ({@link StrictContexts}, {@code ctx4j.strict}): runs the
 * static nested {@code *Fixture} classes on the real Jupiter engine and checks which of their tests
 * fail, and what the failure says.
 */
final class StrictContextsTest {
  /** Contexts the fixtures keep so that a test can look at them afterwards. */
  private static final List<Context> KEPT = new ArrayList<>();

  private static synchronized void keep(Context ctx) {
    KEPT.add(ctx);
  }

  private static Events run(Map<String, String> config, DiscoverySelector selector) {
    synchronized (StrictContextsTest.class) {
      KEPT.clear();
    }
    return EngineTestKit.engine("junit-jupiter")
        .configurationParameters(config)
        .selectors(selector)
        .execute()
        .testEvents();
  }

  private static Events run(Class<?> fixture) {
    return run(Map.of(), selectClass(fixture));
  }

  /** The failure message of the one failed test named {@code method}. */
  private static String failureOf(Events tests, String method) {
    List<String> messages =
        tests.failed().stream()
            .filter(e -> e.getTestDescriptor().getDisplayName().startsWith(method + "("))
            .map(Event::getPayload)
            .map(p -> p.flatMap(x -> x instanceof TestExecutionResult r ? r.getThrowable() : null))
            .map(t -> t.map(Throwable::getMessage).orElse(""))
            .toList();
    assertEquals(1, messages.size(), () -> "failed tests named " + method + ": " + messages);
    return messages.get(0);
  }

  private static List<String> failedNames(Events tests) {
    return tests.failed().stream()
        .map(e -> e.getTestDescriptor().getDisplayName())
        .sorted()
        .toList();
  }

  // ---- what fails and what passes ----

  @StrictContexts
  static final class StrictFixture {
    @Test
    void leaks() {
      keep(Context.withCancel(Context.background()));
    }

    @Test
    void leaksATimeoutAndCancelsAnother() {
      keep(Context.withTimeout(Context.background(), Duration.ofHours(1)));
      try (CancellableContext ok = Context.withTimeout(Context.background(), Duration.ofHours(1))) {
        keep(ok);
      }
    }

    @Test
    void cancels() {
      CancellableContext ctx = Context.withCancel(Context.background());
      ctx.cancel();
    }

    @Test
    void childrenEndWithTheirParent() {
      CancellableContext parent = Context.withCancel(Context.background());
      keep(Context.withCancel(parent));
      keep(Context.withTimeout(Context.withValue(parent, "k", "v"), Duration.ofHours(1)));
      parent.cancel();
    }

    @Test
    void expires() throws InterruptedException {
      CancellableContext ctx = Context.withTimeout(Context.background(), Duration.ofMillis(1));
      ctx.done().await();
    }

    @Test
    void leaksAChildOfTheTestsContext(Context ctx) {
      keep(ctx);
      keep(Context.withCancel(ctx)); // the test's context is cancelled only after the check
    }

    @Test
    void usesTheTestsContextOnly(Context ctx) {
      keep(ctx);
      keep(Context.withValue(ctx, "k", "v"));
    }

    @Test
    void leaksInAThreadItStarts() throws InterruptedException {
      Thread t = new Thread(() -> keep(Context.withCancel(Context.background())));
      t.start();
      t.join();
    }

    @Test
    void leaksInAnExecutorItCreates() throws Exception {
      ExecutorService pool = Executors.newSingleThreadExecutor();
      try {
        CompletableFuture.runAsync(() -> keep(Context.withCancel(Context.background())), pool)
            .get();
      } finally {
        pool.shutdown();
      }
    }
  }

  @Test
  void aTestFailsForEachContextItLeftLiveNamingItAndWhereItWasCreated() {
    Events tests = run(StrictFixture.class);

    assertEquals(
        List.of(
                "leaks()",
                "leaksATimeoutAndCancelsAnother()",
                "leaksAChildOfTheTestsContext(Context)",
                "leaksInAThreadItStarts()",
                "leaksInAnExecutorItCreates()")
            .stream()
            .sorted()
            .toList(),
        failedNames(tests));
    tests.assertStatistics(s -> s.started(9).succeeded(4).failed(5));

    String leaks = failureOf(tests, "leaks");
    assertTrue(
        leaks.startsWith("1 context created during the test is still live at its end"), leaks);
    assertTrue(leaks.contains("1. CancellableContext Context.background.withCancel"), leaks);
    assertTrue(
        leaks.contains(
            "created at " + StrictFixture.class.getName() + ".leaks(StrictContextsTest.java:"),
        leaks);
    assertTrue(!leaks.contains("org.junit."), leaks); // the stack stops at the test method

    String timeout = failureOf(tests, "leaksATimeoutAndCancelsAnother");
    assertTrue(timeout.contains("1. CancellableContext Context.background.withDeadline("), timeout);
    assertTrue(!timeout.contains("\n  2. "), timeout);

    String child = failureOf(tests, "leaksAChildOfTheTestsContext");
    assertTrue(
        child.contains("1. CancellableContext Context.background.withCancel.withCancel"), child);
    assertTrue(!child.contains("\n  2. "), child); // the test's own context is not counted

    String thread = failureOf(tests, "leaksInAThreadItStarts");
    assertTrue(thread.contains("lambda$leaksInAThreadItStarts$"), thread);
    String executor = failureOf(tests, "leaksInAnExecutorItCreates");
    assertTrue(executor.contains("lambda$leaksInAnExecutorItCreates$"), executor);

    // The check ends nothing: what leaked is still live afterwards, except the child of the
    // test's context, which ended with it when the extension cancelled it after the check.
    synchronized (StrictContextsTest.class) {
      long live =
          KEPT.stream()
              .filter(c -> c.toString().equals("Context.background.withCancel") && c.err() == null)
              .count();
      assertEquals(3, live, KEPT::toString); // leaks, leaksInAThreadItStarts, leaksInAnExecutor...
      for (Context c : KEPT) {
        if (c.toString().endsWith(".withCancel.withCancel")) {
          assertInstanceOf(CanceledException.class, c.err(), c::toString);
        }
      }
    }
  }

  // ---- where strict mode is on ----

  @ExtendWith(ContextExtension.class)
  static final class NotStrictFixture {
    @Test
    void leaks() {
      keep(Context.withCancel(Context.background()));
    }

    @Test
    @StrictContexts
    void leaksStrictly() {
      keep(Context.withCancel(Context.background()));
    }
  }

  @Test
  void withoutTheAnnotationOrTheParameterNothingFails() {
    Events tests = run(NotStrictFixture.class);
    assertEquals(List.of("leaksStrictly()"), failedNames(tests));
  }

  @Test
  void theConfigurationParameterTurnsStrictModeOnForEveryTest() {
    Events tests = run(Map.of("ctx4j.strict", "true"), selectClass(NotStrictFixture.class));
    assertEquals(List.of("leaks()", "leaksStrictly()"), failedNames(tests));

    Events auto =
        run(
            Map.of(
                "ctx4j.strict", "true", "junit.jupiter.extensions.autodetection.enabled", "true"),
            selectClass(NoExtensionFixture.class));
    assertEquals(List.of("leaks()"), failedNames(auto));
  }

  /** Found through extension auto-detection only. */
  static final class NoExtensionFixture {
    @Test
    void leaks() {
      keep(Context.withCancel(Context.background()));
    }
  }

  @StrictContexts
  static final class OptOutFixture {
    @Test
    @StrictContexts(false)
    void leaksButOptedOut() {
      keep(Context.withCancel(Context.background()));
    }

    @Nested
    final class Inner {
      @Test
      void leaksInANestedClass() {
        keep(Context.withCancel(Context.background()));
      }
    }
  }

  @Test
  void theNearestAnnotationWinsAndNestedClassesInheritIt() {
    Events tests = run(OptOutFixture.class);
    assertEquals(List.of("leaksInANestedClass()"), failedNames(tests));
    Events off =
        run(Map.of("ctx4j.strict", "true"), selectMethod(OptOutFixture.class, "leaksButOptedOut"));
    off.assertStatistics(s -> s.succeeded(1));
  }

  @Test
  void aBadParameterValueIsNamed() {
    Events tests = run(Map.of("ctx4j.strict", "yes"), selectClass(NotStrictFixture.class));
    String message = failureOf(tests, "leaks");
    assertTrue(message.contains("ctx4j.strict=yes is neither true nor false"), message);
  }

  @StrictContexts
  static final class LifecycleFixture {
    private CancellableContext perTest;

    @BeforeEach
    void open() {
      perTest = Context.withCancel(Context.background());
    }

    @Test
    void usesIt() {
      keep(perTest);
    }

    @AfterEach
    void close() {
      perTest.cancel();
    }
  }

  @Test
  void contextsCancelledInAfterEachAreNotLeaks() {
    run(LifecycleFixture.class).assertStatistics(s -> s.succeeded(1).failed(0));
  }
}
