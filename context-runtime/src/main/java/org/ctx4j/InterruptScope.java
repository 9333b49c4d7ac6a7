package org.ctx4j;

/**
 * The scope {@link Context#interruptWhenDone(Context)} returns: while it is open, the thread that
 * opened it is interrupted when the context ends. Closing it stops that for good. Go needs no such
 * thing (a goroutine selects on {@code ctx.Done()}); it is how Java code unblocks calls that know
 * interrupts but not contexts.
 */
public interface InterruptScope extends AutoCloseable {
  /**
   * Ends the scope: no interrupt from it is delivered after this returns. If the scope did
   * interrupt the thread, closing it (on that thread) clears the thread's interrupt flag, so the
   * end of the context does not leak into code after the scope; tell the cases apart with {@code
   * ctx.err()}. An interrupt the thread already had when the context ended is left alone.
   * Idempotent.
   */
  @Override
  void close();
}
