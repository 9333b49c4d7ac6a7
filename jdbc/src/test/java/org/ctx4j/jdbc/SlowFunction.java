package org.ctx4j.jdbc;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;

/** An H2 function that takes about a millisecond per row and counts the rows it has seen. */
public final class SlowFunction {
  private SlowFunction() {}

  static final AtomicLong ROWS = new AtomicLong();
  static volatile CountDownLatch firstRow = new CountDownLatch(1);

  /**
   * Called by H2 once per row.
   *
   * @param x the row's value
   * @return {@code x}
   * @throws InterruptedException never in these tests
   */
  public static long slow(long x) throws InterruptedException {
    ROWS.incrementAndGet();
    firstRow.countDown();
    Thread.sleep(1);
    return x;
  }
}
