package org.ctx4j;

/**
 * The scope {@link Context#interruptWhenDone(Context)} returns: while it is open, the thread that
 * opened it is interrupted when the context ends. Closing it stops that for good.
 */
public interface InterruptScope extends AutoCloseable {
  /**
   * Ends the scope: no interrupt is delivered after this returns.
   */
  @Override
  void close();
}
