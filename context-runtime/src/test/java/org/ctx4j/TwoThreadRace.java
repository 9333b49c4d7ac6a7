package org.ctx4j;

import static org.junit.jupiter.api.Assertions.fail;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Races two threads on many fresh objects: round after round, this thread makes an object, hands it
 * to a worker thread that spins waiting for it, and both act on it at once (within the time of a
 * cache-line transfer while both threads run). Bounded by a number of rounds and by a time budget,
 * whichever ends first, so that a loaded machine (where the worker may wait a whole scheduling
 * quantum for its turn) runs fewer rounds instead of timing out.
 */
final class TwoThreadRace {
  private TwoThreadRace() {}

  private static final Object STOP = new Object();
  private static final Object NULL = new Object();

  /**
   * @param check given this thread's answer and the worker's (and the round) for every round
   * @return how many rounds ran
   */
  static <T> int run(
      int rounds,
      Duration budget,
      Supplier<T> make,
      Function<T, Object> ask,
      TriConsumer<Object, Object, Integer> check)
      throws InterruptedException {
    return run(rounds, budget, make, ask, ask, check);
  }

  /**
   * As above, with a different action on each side: this thread calls {@code mine}, the worker
   * {@code theirs}, on the same fresh object.
   */
  static <T> int run(
      int rounds,
      Duration budget,
      Supplier<T> make,
      Function<T, Object> mine,
      Function<T, Object> theirs,
      TriConsumer<Object, Object, Integer> check)
      throws InterruptedException {
    AtomicReference<Object> slot = new AtomicReference<>();
    AtomicReference<Object> seen = new AtomicReference<>();
    Thread worker =
        new Thread(
            () -> {
              while (true) {
                Object o;
                for (int spins = 1; (o = slot.getAndSet(null)) == null; spins++) {
                  if ((spins & 1023) == 0) {
                    Thread.yield(); // a loaded machine: let this thread's partner run
                  } else {
                    Thread.onSpinWait();
                  }
                }
                if (o == STOP) {
                  return;
                }
                @SuppressWarnings("unchecked")
                Object answer = theirs.apply((T) o);
                seen.set(answer == null ? NULL : answer);
              }
            },
            "two-thread-race");
    worker.setDaemon(true);
    worker.start();
    long end = System.nanoTime() + budget.toNanos();
    int round = 0;
    try {
      for (; round < rounds && (round < 100 || System.nanoTime() < end); round++) {
        T o = make.get();
        slot.set(o);
        Object answer = mine.apply(o);
        Object other;
        long stuck = System.nanoTime() + GoConformanceSupport.QUIESCENT.toNanos();
        while ((other = seen.getAndSet(null)) == null) {
          Thread.yield();
          if (System.nanoTime() > stuck) {
            fail("worker stuck in round " + round);
          }
        }
        check.accept(answer, other == NULL ? null : other, round);
      }
    } finally {
      slot.set(STOP);
      worker.join(GoConformanceSupport.QUIESCENT.toMillis());
    }
    return round;
  }

  interface TriConsumer<A, B, C> {
    void accept(A a, B b, C c);
  }
}
