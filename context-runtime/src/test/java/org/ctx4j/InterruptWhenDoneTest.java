package org.ctx4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.LinkedBlockingQueue;
import org.junit.jupiter.api.Test;

final class InterruptWhenDoneTest {

  @Test
  void interruptsABlockingCallWhenTheContextEnds() {
    CancellableContext ctx = Context.withTimeout(Context.background(), Duration.ofMillis(5));
    LinkedBlockingQueue<String> queue = new LinkedBlockingQueue<>();
    try (InterruptScope scope = Context.interruptWhenDone(ctx)) {
      assertThrows(InterruptedException.class, queue::take);
    }
    assertTrue(ctx.err() instanceof DeadlineExceededException);
    assertFalse(Thread.currentThread().isInterrupted());
  }

  @Test
  void closeClearsAnInterruptTheScopeDeliveredAndNoneArrivesAfterClose() {
    CancellableContext ctx = Context.withCancel(Context.background());
    try (InterruptScope scope = Context.interruptWhenDone(ctx)) {
      ctx.cancel(); // on this thread: the interrupt is delivered at once
      assertTrue(Thread.currentThread().isInterrupted());
    }
    assertFalse(Thread.interrupted());

    CancellableContext later = Context.withCancel(Context.background());
    InterruptScope scope = Context.interruptWhenDone(later);
    scope.close();
    later.cancel();
    assertFalse(Thread.interrupted());
    assertEquals(0, RuntimeInternals.childCount(later));
  }

  @Test
  void anAlreadyDoneContextInterruptsAtOnce() {
    CancellableContext ctx = Context.withCancel(Context.background());
    ctx.cancel();
    try (InterruptScope scope = Context.interruptWhenDone(ctx)) {
      assertThrows(InterruptedException.class, () -> Thread.sleep(Duration.ofHours(1).toMillis()));
    }
    assertFalse(Thread.interrupted());
  }

  @Test
  void anInterruptFromElsewhereIsLeftAlone() {
    Thread.currentThread().interrupt();
    CancellableContext ctx = Context.withCancel(Context.background());
    try (InterruptScope scope = Context.interruptWhenDone(ctx)) {
      ctx.cancel();
    }
    assertTrue(Thread.interrupted());
  }

  @Test
  void backgroundNeverInterrupts() {
    try (InterruptScope scope = Context.interruptWhenDone(Context.background())) {
      assertFalse(Thread.currentThread().isInterrupted());
    }
  }
}
