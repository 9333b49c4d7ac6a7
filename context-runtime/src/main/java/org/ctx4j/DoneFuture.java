package org.ctx4j;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Supplier;

/**
 * What {@link Done#toFuture()} returns: a future that only the runtime can complete. Callers can
 * compose it ({@code thenRun}, {@code anyOf}, {@code applyToEither}, {@code get}, ...), but every
 * way to complete or cancel it from outside does nothing ({@code complete}, {@code
 * completeExceptionally}, {@code cancel} return false, so {@code orTimeout} and {@code
 * completeOnTimeout} on it have no effect either) or throws {@link UnsupportedOperationException}
 * ({@code obtrude*}, {@code completeAsync}). Stages derived from it are ordinary futures.
 *
 * <p>A {@link CancelDone} creates one on first use, registers it once, and returns the same one on
 * every call: however often a long-lived context is asked for its future, it keeps one entry and
 * one future (a fresh future per call would have to stay registered until the context ends, since
 * the runtime cannot tell a dropped future from one whose dependents still wait). The JDK removes
 * dependents that completed elsewhere (an {@code anyOf} or {@code applyToEither} whose other side
 * won) from its stack.
 */
final class DoneFuture extends CompletableFuture<Void> {
  final Entry entry =
      new Entry() {
        @Override
        void fire() {
          DoneFuture.this.fire();
        }
      };

  /** The runtime's way to complete it: the context is done. */
  void fire() {
    super.complete(null);
  }

  /** Does nothing: only the context completes this future. */
  @Override
  public boolean complete(Void value) {
    return false;
  }

  /** Does nothing: only the context completes this future. */
  @Override
  public boolean completeExceptionally(Throwable ex) {
    return false;
  }

  /** Does nothing: a caller cannot cancel the context's future (cancel the context instead). */
  @Override
  public boolean cancel(boolean mayInterruptIfRunning) {
    return false;
  }

  @Override
  public void obtrudeValue(Void value) {
    throw new UnsupportedOperationException("only the context completes its done() future");
  }

  @Override
  public void obtrudeException(Throwable ex) {
    throw new UnsupportedOperationException("only the context completes its done() future");
  }

  @Override
  public CompletableFuture<Void> completeAsync(
      Supplier<? extends Void> supplier, Executor executor) {
    throw new UnsupportedOperationException("only the context completes its done() future");
  }

  @Override
  public CompletableFuture<Void> completeAsync(Supplier<? extends Void> supplier) {
    throw new UnsupportedOperationException("only the context completes its done() future");
  }

  @Override
  public String toString() {
    return isDone() ? "DoneFuture[fired]" : "DoneFuture[pending]";
  }
}
