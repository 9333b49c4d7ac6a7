package org.ctx4j;

/**
 * Package-private views of the runtime's internal state, for the leak and conformance tests only.
 * Not part of the public API.
 */
final class RuntimeInternals {
  private RuntimeInternals() {}

  /**
   * How many entries {@code ctx} currently keeps: registered cancellable children (a child
   * registers only once something must be pushed to it, see {@link CancelContext}), done callbacks,
   * waiters, future views and afterFuncs; 0 for contexts the runtime did not create or that keep
   * none. Go's tests read {@code len(p.children)}.
   */
  static int childCount(Context ctx) {
    Context c = LeakDetector.unwrap(ctx);
    return c instanceof CancelContext cancelContext ? cancelContext.entryCount() : 0;
  }

  /** How many contexts leak detection watches now (not yet cancelled nor processed). */
  static int watchCount() {
    return LeakDetector.watchCount();
  }

  /** How many tasks the shared deadline scheduler's queue holds right now. */
  static int timerQueueSize() {
    return Scheduler.timerQueueSize();
  }
}
