package org.ctx4j;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MutableCallSite;

/**
 * The one test leak detection puts on the factories' path: {@link #on()}, true when the factories
 * must call {@link LeakDetector} (a level other than {@code off}, watched contexts in circulation,
 * or a {@link LeakDetection.Scope} opened at some point).
 *
 * <p>Invariant: the state is the target of a {@link MutableCallSite}, a method handle that returns
 * a constant, read through a {@code static final} invoker. The JIT compiles {@link #on()} to that
 * constant and records that the compiled code depends on the call site's target; {@link #set}
 * replaces the target, which makes the JVM discard (deoptimise) every compiled method that folded
 * the old value. So with detection off, compiled factories contain no test at all, as if the branch
 * were not there, and still every change of level is seen at once by every thread, for contexts
 * created after it. Changes are rare (a level set at start-up or by a test framework), so the
 * recompilation they cost is paid once. The interpreter and the first compilation tier pay for a
 * method-handle call until the factories are compiled with the constant.
 */
final class LeakSwitch {
  private LeakSwitch() {}

  /** {@code level sample}: watch the sampled contexts. */
  static final int SAMPLE = 1;

  /** {@code level all}: watch every context. */
  static final int ALL = 2;

  /**
   * Watched contexts have been handed out: a parent may be one, and the factories unwrap it. Never
   * cleared once set (a watched context may live on after the level is turned off).
   */
  static final int WATCHED = 4;

  /**
   * A {@link LeakDetection.Scope} has been opened: contexts are recorded in the creator's scope.
   */
  static final int SCOPES = 8;

  /** The state as last set, for the writers (which hold this class's lock). */
  private static volatile int current = LeakDetection.Level.fromProperty().bits;

  private static final MutableCallSite SITE =
      new MutableCallSite(MethodHandles.constant(int.class, current));

  private static final MethodHandle STATE = SITE.dynamicInvoker();

  /** Whether the factories must call the detector: a constant in compiled code. */
  static boolean on() {
    return state() != 0;
  }

  /** The bits above: a constant in compiled code. */
  static int state() {
    try {
      return (int) STATE.invokeExact();
    } catch (Throwable t) {
      throw new AssertionError("a constant method handle threw", t);
    }
  }

  /** The level bits ({@link #SAMPLE}, {@link #ALL} or neither) as last set. */
  static int level() {
    return current & (SAMPLE | ALL);
  }

  /** Sets the level bits ({@link #SAMPLE}, {@link #ALL} or neither), keeping the others. */
  static synchronized void setLevel(int level) {
    set((current & ~(SAMPLE | ALL)) | level);
  }

  /** Adds {@code bits} (never removed: see {@link #WATCHED} and {@link #SCOPES}). */
  static void add(int bits) {
    if ((state() & bits) != bits) {
      synchronized (LeakSwitch.class) {
        set(current | bits);
      }
    }
  }

  private static void set(int state) {
    if (state != current) {
      current = state;
      SITE.setTarget(MethodHandles.constant(int.class, state));
      MutableCallSite.syncAll(new MutableCallSite[] {SITE});
    }
  }
}
