package org.ctx4j.testing;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.ctx4j.CancellableContext;
import org.ctx4j.Context;
import org.ctx4j.ContextDoneException;
import org.ctx4j.Done;

/**
 * A user-written context over a runtime one that counts the callbacks registered on its {@link
 * Done} and not yet removed or run: a bridge that leaks a registration leaves the count above 0.
 *
 * <p>Being user-written, it is seen by the runtime and the bridges only through the {@link Context}
 * interface, so every callback goes through its {@link Done#onDone(Runnable)}. Use it as the
 * long-lived context of a test: run calls under it (directly, or under contexts derived from it),
 * then check that {@link #liveCallbacks()} is back to 0, and {@link #cancel()} it at the end.
 */
public final class CountingContext implements Context {
  private final CancellableContext inner = Context.withCancel(Context.background());
  private final AtomicInteger live = new AtomicInteger();

  private final Done done =
      new Done() {
        @Override
        public boolean isDone() {
          return inner.done().isDone();
        }

        @Override
        public void await() throws InterruptedException {
          inner.done().await();
        }

        @Override
        public boolean await(Duration timeout) throws InterruptedException {
          return inner.done().await(timeout);
        }

        @Override
        public Registration onDone(Runnable callback) {
          live.incrementAndGet();
          AtomicBoolean counted = new AtomicBoolean();
          Registration r =
              inner
                  .done()
                  .onDone(
                      () -> {
                        if (counted.compareAndSet(false, true)) {
                          live.decrementAndGet();
                        }
                        callback.run();
                      });
          return () -> {
            boolean removed = r.remove();
            if (removed && counted.compareAndSet(false, true)) {
              live.decrementAndGet();
            }
            return removed;
          };
        }

        @Override
        public CompletableFuture<Void> toFuture() {
          return inner.done().toFuture();
        }
      };

  /** An active context, without deadline or values, with no callback registered. */
  public CountingContext() {}

  /**
   * The callbacks registered on {@link #done()} that have neither been removed nor run.
   *
   * @return the count, 0 when nothing is left registered
   */
  public int liveCallbacks() {
    return live.get();
  }

  /**
   * Cancels the context: it ends with a {@link org.ctx4j.CanceledException}, and the callbacks
   * still registered run (which brings {@link #liveCallbacks()} to 0).
   */
  public void cancel() {
    inner.cancel();
  }

  @Override
  public Optional<Instant> deadline() {
    return inner.deadline();
  }

  @Override
  public Done done() {
    return done;
  }

  @Override
  public ContextDoneException err() {
    return inner.err();
  }

  @Override
  public Object value(Object key) {
    return inner.value(key);
  }
}
