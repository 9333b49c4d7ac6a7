package org.ctx4j;

import static org.junit.jupiter.api.Assertions.fail;

import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * The leak reports a test receives instead of the log, at the level it runs at: {@link #start}
 * before each test, {@link #stop} after, which puts the detector back as the runtime starts.
 */
final class LeakReports extends ConcurrentLinkedQueue<LeakReport> {
  private static final long serialVersionUID = 1L;

  /** Sends the reports here and sets {@code level}. */
  void start(LeakDetection.Level level) {
    LeakDetection.setHandler(this::add);
    LeakDetection.setLevel(level);
  }

  /** Level {@code off}, reports to the log, creation stacks recorded. */
  void stop() {
    LeakDetection.setLevel(LeakDetection.Level.OFF);
    LeakDetection.setHandler(null);
    LeakDetector.recordStacks = true;
  }

  /** Waits until {@code n} reports have come and no watch is pending; returns the reports. */
  List<LeakReport> await(int n) throws InterruptedException {
    awaitCollected(
        () -> size() >= n && RuntimeInternals.watchCount() == 0,
        () -> n + " report(s) and no pending watch; have " + this);
    return List.copyOf(this);
  }

  /** Collects garbage until {@code done} holds; fails after a minute. */
  static void awaitCollected(BooleanSupplier done, Supplier<String> what)
      throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (!done.getAsBoolean()) {
      if (System.nanoTime() - deadline > 0) {
        fail("not within a minute of collecting garbage: " + what.get());
      }
      System.gc();
      Thread.sleep(20);
    }
  }
}
