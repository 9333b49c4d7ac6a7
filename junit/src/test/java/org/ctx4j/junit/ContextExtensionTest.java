package org.ctx4j.junit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.ctx4j.CanceledException;
import org.ctx4j.CancellableContext;
import org.ctx4j.Context;
import org.ctx4j.DeadlineExceededException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Events;

/**
 * Runs small test classes (the static nested {@code *Fixture} classes, which surefire does not run
 * by themselves) on the real Jupiter engine and checks what their tests saw.
 */
final class ContextExtensionTest {

  /**
   * What a fixture method saw: where it ran, its context, and that context's state right then
   * ({@code nanos}: {@link System#nanoTime()} then).
   */
  record Seen(
      String phase, Context ctx, boolean doneThen, Optional<Instant> deadline, long nanos) {}

  private static final List<Seen> SEEN = new ArrayList<>();

  private static synchronized void see(String phase, Context ctx) {
    SEEN.add(new Seen(phase, ctx, ctx.done().isDone(), ctx.deadline(), System.nanoTime()));
  }

  private static synchronized List<Seen> seen() {
    return List.copyOf(SEEN);
  }

  private static Events run(Class<?> fixture, Map<String, String> config) {
    synchronized (ContextExtensionTest.class) {
      SEEN.clear();
    }
    return EngineTestKit.engine("junit-jupiter")
        .configurationParameters(config)
        .selectors(selectClass(fixture))
        .execute()
        .testEvents();
  }

  private static Events run(Class<?> fixture) {
    return run(fixture, Map.of());
  }

  private static String failureMessage(Events tests) {
    return tests.failed().stream()
        .map(e -> e.getPayload(TestExecutionResult.class))
        .flatMap(Optional::stream)
        .map(r -> r.getThrowable().map(Throwable::getMessage).orElse(""))
        .findFirst()
        .orElse("");
  }

  private static void assertDeadlineAbout(Duration expected, Instant createdBefore, Seen seen) {
    Instant deadline =
        seen.deadline().orElseThrow(() -> new AssertionError("no deadline: " + seen));
    Instant earliest = createdBefore.plus(expected);
    // Generous upper bound: the fixture ran somewhat after createdBefore on a loaded machine.
    assertTrue(
        !deadline.isBefore(earliest.minusMillis(50))
            && deadline.isBefore(earliest.plus(Duration.ofSeconds(20))),
        () -> "deadline " + deadline + " is not about " + expected + " after " + createdBefore);
  }

  // ---- one context per test, cancelled after @AfterEach ----

  @ExtendWith(ContextExtension.class)
  static final class LifecycleFixture {
    @BeforeEach
    void before(Context ctx) {
      see("before", ctx);
    }

    @Test
    void first(Context ctx) {
      see("test", ctx);
    }

    @Test
    void second(Context ctx) {
      see("test", ctx);
    }

    @AfterEach
    void after(Context ctx) {
      see("after", ctx);
    }
  }

  @Test
  void beforeTestAndAfterSeeOneContextPerTestCancelledWhenTheTestEnds() {
    Events tests = run(LifecycleFixture.class);

    tests.assertStatistics(s -> s.started(2).succeeded(2));
    List<Seen> seen = seen();
    assertEquals(6, seen.size(), seen::toString);
    for (int test = 0; test < 2; test++) {
      List<Seen> one = seen.subList(3 * test, 3 * test + 3);
      assertEquals(List.of("before", "test", "after"), one.stream().map(Seen::phase).toList());
      assertSame(one.get(0).ctx(), one.get(1).ctx());
      assertSame(one.get(0).ctx(), one.get(2).ctx());
      assertTrue(one.stream().noneMatch(Seen::doneThen), "done before the test ended: " + one);
      Context ctx = one.get(0).ctx();
      assertInstanceOf(CanceledException.class, ctx.err());
      assertTrue(Context.cause(ctx).getMessage().contains("ended"), Context.cause(ctx)::toString);
      assertEquals(Optional.empty(), one.get(0).deadline());
    }
    assertNotSame(seen.get(0).ctx(), seen.get(3).ctx());
  }

  @ExtendWith(ContextExtension.class)
  static final class FailingFixture {
    @Test
    void fails(Context ctx) {
      see("test", ctx);
      throw new AssertionError("boom");
    }

    @AfterEach
    void after(Context ctx) {
      see("after", ctx);
    }
  }

  @Test
  void aFailingTestStillCancelsItsContext() {
    Events tests = run(FailingFixture.class);

    tests.assertStatistics(s -> s.started(1).failed(1));
    assertEquals("boom", failureMessage(tests));
    List<Seen> seen = seen();
    assertEquals(2, seen.size());
    assertSame(seen.get(0).ctx(), seen.get(1).ctx());
    assertInstanceOf(CanceledException.class, seen.get(0).ctx().err());
  }

  @ExtendWith(ContextExtension.class)
  static final class OnlyAfterEachFixture {
    @Test
    void noParameter() {}

    @AfterEach
    void after(Context ctx) {
      see("after", ctx);
    }
  }

  @Test
  void aContextFirstAskedForInAfterEachIsStillCancelled() {
    run(OnlyAfterEachFixture.class).assertStatistics(s -> s.succeeded(1));
    assertEquals(1, seen().size());
    assertTrue(seen().get(0).ctx().done().isDone());
  }

  /** No @ExtendWith: found through JUnit's extension auto-detection (META-INF/services). */
  static final class AutoDetectedFixture {
    @Test
    void test(Context ctx) {
      see("test", ctx);
    }
  }

  @Test
  void autoDetectionRegistersTheExtensionForEveryTestClass() {
    run(AutoDetectedFixture.class, Map.of("junit.jupiter.extensions.autodetection.enabled", "true"))
        .assertStatistics(s -> s.succeeded(1));
    assertTrue(seen().get(0).ctx().done().isDone());
    // And without it, nothing resolves a Context.
    run(AutoDetectedFixture.class).assertStatistics(s -> s.failed(1));
  }

  // ---- deadlines ----

  @ExtendWith(ContextExtension.class)
  @Timeout(7)
  static final class TimeoutFixture {
    @Test
    void classTimeout(Context ctx) {
      see("class", ctx);
    }

    @Test
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void methodTimeout(Context ctx) {
      see("method", ctx);
    }

    @Nested
    final class Inner {
      @Test
      void inherited(Context ctx) {
        see("nested", ctx);
      }
    }
  }

  @Test
  void theDeadlineIsTheTestsTimeout() {
    Instant before = Instant.now();
    run(TimeoutFixture.class).assertStatistics(s -> s.succeeded(3));
    Map<String, Seen> byPhase = byPhase(seen());
    assertDeadlineAbout(Duration.ofSeconds(7), before, byPhase.get("class"));
    assertDeadlineAbout(Duration.ofSeconds(30), before, byPhase.get("method"));
    assertDeadlineAbout(Duration.ofSeconds(7), before, byPhase.get("nested"));
  }

  @ExtendWith(ContextExtension.class)
  static final class NoTimeoutFixture {
    @Test
    void plain(Context ctx) {
      see("plain", ctx);
    }

    @RepeatedTest(2)
    void repeated(Context ctx) {
      see("repeated", ctx);
    }
  }

  @Test
  void theDeadlineComesFromJUnitsDefaultTimeoutsMostSpecificFirst() {
    Instant before = Instant.now();
    run(
            NoTimeoutFixture.class,
            Map.of(
                "junit.jupiter.execution.timeout.default", "40 s",
                "junit.jupiter.execution.timeout.test.method.default", "50s"))
        .assertStatistics(s -> s.succeeded(3));
    List<Seen> seen = seen();
    assertDeadlineAbout(Duration.ofSeconds(50), before, byPhase(seen).get("plain"));
    seen.stream()
        .filter(s -> s.phase().equals("repeated"))
        .forEach(s -> assertDeadlineAbout(Duration.ofSeconds(40), before, s));
  }

  @Test
  void noTimeoutMeansNoDeadline() {
    run(NoTimeoutFixture.class).assertStatistics(s -> s.succeeded(3));
    assertTrue(seen().stream().allMatch(s -> s.deadline().isEmpty()), seen()::toString);
  }

  @Test
  void timeoutsTurnedOffMeanNoDeadline() {
    run(TimeoutFixture.class, Map.of("junit.jupiter.execution.timeout.mode", "disabled"))
        .assertStatistics(s -> s.succeeded(3));
    assertTrue(seen().stream().allMatch(s -> s.deadline().isEmpty()), seen()::toString);
  }

  @Test
  void aMalformedDefaultTimeoutFailsTheTestNamingIt() {
    Events tests =
        run(NoTimeoutFixture.class, Map.of("junit.jupiter.execution.timeout.default", "soon"));
    tests.assertStatistics(s -> s.failed(3));
    String message = failureMessage(tests);
    assertTrue(
        message.contains("junit.jupiter.execution.timeout.default=soon")
            && message.contains("is not a timeout"),
        message);
  }

  private static final long EXPIRING_TIMEOUT_MS = 300;
  private static final Duration EXPIRING_TIMEOUT = Duration.ofMillis(EXPIRING_TIMEOUT_MS);

  @ExtendWith(ContextExtension.class)
  static final class ExpiringFixture {
    @Test
    @Timeout(value = EXPIRING_TIMEOUT_MS, unit = TimeUnit.MILLISECONDS)
    void waitsForTheDeadline(Context ctx) {
      see("test", ctx);
      awaitThroughInterrupts(ctx, Duration.ofSeconds(60));
      see("waited", ctx);
    }
  }

  /**
   * Waits until {@code ctx} is done, or {@code limit} has passed, whatever interrupts the thread.
   * JUnit's timeout interrupts it at about the moment the context's deadline passes (two timer
   * threads, due at nearly the same instant, JUnit's a little later), and on a loaded machine
   * JUnit's may run first: a plain {@code await()} would then return before the context is done,
   * and the extension would cancel it when the test ends. The interrupt is set again at the end,
   * for JUnit, which clears it.
   */
  private static void awaitThroughInterrupts(Context ctx, Duration limit) {
    long end = System.nanoTime() + limit.toNanos();
    boolean interrupted = false;
    try {
      while (!ctx.done().isDone() && end - System.nanoTime() > 0) {
        try {
          ctx.done().await(Duration.ofNanos(end - System.nanoTime()));
        } catch (InterruptedException e) {
          interrupted = true;
        }
      }
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  @Test
  void theContextEndsAtTheTimeoutWithDeadlineExceeded() {
    long before = System.nanoTime();
    Events tests = run(ExpiringFixture.class);

    // JUnit's verdict is the one part left to the race between the two timers: the test passed
    // (the context's timer ran first and the wait returned before JUnit's timeout), or JUnit failed
    // it for running up to its timeout. Nothing else.
    tests.assertStatistics(s -> s.started(1).finished(1));
    tests.failed().stream()
        .map(e -> e.getRequiredPayload(TestExecutionResult.class).getThrowable().orElseThrow())
        .forEach(
            t ->
                assertInstanceOf(
                    TimeoutException.class, t, () -> "failed, not for JUnit's timeout: " + t));
    List<Seen> seen = seen();
    assertEquals(List.of("test", "waited"), seen.stream().map(Seen::phase).toList());
    Seen waited = seen.get(1);
    // Done while the test method still ran, so before the extension cancels it at the test's end:
    // only its deadline can have ended it. A done context's error never changes.
    assertTrue(waited.doneThen(), () -> "not done after the wait: " + waited);
    Context ctx = waited.ctx();
    assertInstanceOf(DeadlineExceededException.class, ctx.err());
    assertTrue(
        Context.cause(ctx).getMessage().contains("reached its timeout of " + EXPIRING_TIMEOUT),
        Context.cause(ctx)::toString);
    // And not before the timeout: the context was created after `before`.
    assertTrue(
        waited.nanos() - before >= EXPIRING_TIMEOUT.toNanos(),
        () -> "done " + Duration.ofNanos(waited.nanos() - before) + " after the run began");
  }

  // ---- parameterized tests ----

  @ExtendWith(ContextExtension.class)
  static final class ParameterizedFixture {
    @BeforeEach
    void before(Context ctx) {
      see("before", ctx);
    }

    @ParameterizedTest
    @ValueSource(strings = {"a", "b"})
    void each(String value, Context ctx) {
      see(value, ctx);
    }
  }

  @Test
  void eachParameterizedInvocationGetsItsOwnContext() {
    run(ParameterizedFixture.class).assertStatistics(s -> s.succeeded(2));
    List<Seen> seen = seen();
    assertEquals(List.of("before", "a", "before", "b"), seen.stream().map(Seen::phase).toList());
    assertSame(seen.get(0).ctx(), seen.get(1).ctx());
    assertSame(seen.get(2).ctx(), seen.get(3).ctx());
    assertNotSame(seen.get(1).ctx(), seen.get(3).ctx());
    assertTrue(seen.stream().allMatch(s -> s.ctx().done().isDone()));
  }

  // ---- mistakes get errors that name them ----

  @ExtendWith(ContextExtension.class)
  static final class CancellableParameterFixture {
    @Test
    void wantsToCancel(CancellableContext ctx) {}
  }

  @Test
  void aCancellableContextParameterIsRefusedWithTheReason() {
    Events tests = run(CancellableParameterFixture.class);
    tests.assertStatistics(s -> s.failed(1));
    String message = failureMessage(tests);
    assertTrue(message.contains("declare it as Context, not CancellableContext"), message);
  }

  @ExtendWith(ContextExtension.class)
  static final class BeforeAllFixture {
    @BeforeAll
    static void setUp(Context ctx) {}

    @Test
    void test() {}
  }

  @Test
  void beforeAllCannotAskForATestsContext() {
    Events containers =
        EngineTestKit.engine("junit-jupiter")
            .selectors(selectClass(BeforeAllFixture.class))
            .execute()
            .containerEvents();
    containers.assertStatistics(s -> s.failed(1));
    String message = failureMessage(containers);
    assertTrue(message.contains("@BeforeAll and @AfterAll run outside any single test"), message);
  }

  @ExtendWith(ContextExtension.class)
  static final class ConstructorFixture {
    ConstructorFixture(Context ctx) {}

    @Test
    void test() {}
  }

  @Test
  void aConstructorCannotAskForATestsContext() {
    Events tests = run(ConstructorFixture.class);
    tests.assertStatistics(s -> s.failed(1));
    assertTrue(
        failureMessage(tests).contains("cannot be a constructor parameter"), failureMessage(tests));
  }

  // ---- the duration syntax ----

  @Test
  void parsesJUnitsDurationSyntax() {
    assertEquals(Duration.ofSeconds(5), TestTimeouts.parse("k", "5"));
    assertEquals(Duration.ofSeconds(5), TestTimeouts.parse("k", "5 s"));
    assertEquals(Duration.ofMillis(500), TestTimeouts.parse("k", "500ms"));
    assertEquals(Duration.ofMinutes(2), TestTimeouts.parse("k", "2 M"));
    assertEquals(Duration.ofNanos(7_000), TestTimeouts.parse("k", "7 μs"));
    assertEquals(Duration.ofDays(1), TestTimeouts.parse("k", "1d"));
  }

  private static Map<String, Seen> byPhase(List<Seen> seen) {
    Map<String, Seen> map = new java.util.HashMap<>();
    seen.forEach(s -> map.put(s.phase(), s));
    return map;
  }
}
