package org.ctx4j;

/**
 * The handle {@link Context#afterFunc(Context, Runnable)} returns. Go's {@code stop func() bool}.
 */
@FunctionalInterface
public interface AfterFunc {
  /**
   * Stops the function from running. Go's {@code stop()}.
   *
   * @return true if this call prevented the run; false if the function has already been started or
   *     this handle was already stopped
   */
  boolean stop();
}
