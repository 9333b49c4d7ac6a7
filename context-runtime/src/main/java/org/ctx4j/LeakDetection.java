package org.ctx4j;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Finds cancellable contexts that were dropped without being cancelled, at run time: what the
 * {@code LostCancel} check cannot see at compile time, such as a context handed to a field, a map
 * or another thread that then forgets it. Go has no counterpart (its {@code vet} check is the
 * compile-time half); the model is Netty's {@code ResourceLeakDetector}.
 *
 * <p>A {@link CancellableContext} from {@code withCancel}, {@code withTimeout} or {@code
 * withDeadline} (and their {@code *Cause} forms) owes one {@code cancel()}: until it is cancelled,
 * or its parent ends, or its deadline passes, it may hold a timer and a place in its parent. When
 * leak detection watches a context and the garbage collector finds it unreachable while it is still
 * live (not cancelled, no ancestor ended, its deadline not passed), the context was leaked: nothing
 * can cancel it any more. That is reported once, as a {@link LeakReport}, to the handler set with
 * {@link #setHandler}, or else to the {@link System.Logger} named {@code org.ctx4j} at {@code
 * WARNING}. A context that was cancelled, by its owner or because an ancestor ended, is never
 * reported.
 *
 * <p>The level is read from the system property {@value #PROPERTY} ({@code off}, {@code sample} or
 * {@code all}) when the runtime first needs it, and can be changed later with {@link #setLevel}; a
 * change applies to contexts created after it. docs/leaks.md has the costs of each level.
 *
 * <p>{@link #openScope()} is for test frameworks: it records the contexts a test creates and lists
 * those still live when the test ends, without waiting for the garbage collector.
 */
public final class LeakDetection {
  private LeakDetection() {}

  /**
   * The system property that sets the level at start-up: {@code off}, {@code sample} or {@code
   * all}.
   */
  public static final String PROPERTY = "ctx4j.leakDetection";

  /** How many contexts are watched. */
  public enum Level {
    /** None: the factories run exactly as without leak detection. */
    OFF(0),
    /**
     * A sample: at most one context in each {@value LeakDetector#SAMPLE_INTERVAL_MILLIS} ms
     * interval (the first one created after the interval began), with the stack where it was
     * created. Under 100 contexts a second, that is every one; under heavy load, a fixed and small
     * cost whatever the rate of contexts.
     */
    SAMPLE(LeakSwitch.SAMPLE),
    /** Every context, each with the stack where it was created: for tests and debugging. */
    ALL(LeakSwitch.ALL);

    final int bits;

    Level(int bits) {
      this.bits = bits;
    }

    /**
     * The value of the system property for this level: {@code off}, {@code sample} or {@code all}.
     */
    public String propertyValue() {
      return name().toLowerCase(Locale.ROOT);
    }

    /**
     * The level {@value #PROPERTY} names; {@link #DEFAULT} when it is absent or names none (then
     * with a warning that lists the values).
     */
    static Level fromProperty() {
      String value = System.getProperty(PROPERTY);
      if (value == null) {
        return DEFAULT;
      }
      for (Level l : values()) {
        if (l.propertyValue().equals(value.strip().toLowerCase(Locale.ROOT))) {
          return l;
        }
      }
      System.getLogger("org.ctx4j")
          .log(
              System.Logger.Level.WARNING,
              "-D{0}={1} is not a leak detection level: use off, sample or all; using {2}",
              PROPERTY,
              value,
              DEFAULT.propertyValue());
      return DEFAULT;
    }
  }

  /** The level when {@value #PROPERTY} is not set. */
  static final Level DEFAULT = Level.OFF;

  /**
   * The current level.
   *
   * @return the level, as last set by {@link #setLevel} or by {@value #PROPERTY}
   */
  public static Level level() {
    int bits = LeakSwitch.level();
    return bits == LeakSwitch.ALL
        ? Level.ALL
        : bits == LeakSwitch.SAMPLE ? Level.SAMPLE : Level.OFF;
  }

  /**
   * Sets the level for contexts created from now on, in every thread. Contexts watched already stay
   * watched; turning detection on does not watch contexts created before. Changing the level makes
   * the JVM recompile the context factories (see docs/leaks.md): set it once, at start-up or around
   * a test run, not on a hot path.
   *
   * @param level the new level
   * @throws NullPointerException if {@code level} is null
   */
  public static void setLevel(Level level) {
    Objects.requireNonNull(level, "level");
    LeakSwitch.setLevel(level.bits);
  }

  /**
   * Sends leak reports to {@code handler} instead of the {@code org.ctx4j} logger; null restores
   * the logger. The handler runs on the runtime's leak-detector thread; one that throws is reported
   * to that thread's uncaught-exception handler and does not stop later reports.
   *
   * @param handler where reports go from now on, or null for the logger
   */
  public static void setHandler(Consumer<? super LeakReport> handler) {
    LeakDetector.handler = handler;
  }

  /**
   * Starts recording the cancellable contexts created from now on by the calling thread and by the
   * threads it (or they) create while the scope is open, at any level (including {@code off}): the
   * strict mode of test frameworks. {@link Scope#unfinished()} then lists those still live. Close
   * the scope on the thread that opened it.
   *
   * @return the new scope, which replaces the calling thread's current one until closed
   */
  public static Scope openScope() {
    return LeakDetector.openScope();
  }

  /**
   * The cancellable contexts created in one scope (see {@link #openScope()}). Thread-safe: the
   * threads of the scope record into it concurrently.
   */
  public static final class Scope implements AutoCloseable {
    private final Scope previous;
    private final Thread opener;
    private ArrayList<LeakDetector.Entry> entries = new ArrayList<>();
    private int pruneAt = 4096;

    Scope(Scope previous, Thread opener) {
      this.previous = previous;
      this.opener = opener;
    }

    Scope previous() {
      return previous;
    }

    Thread opener() {
      return opener;
    }

    synchronized void add(LeakDetector.Entry e) {
      if (entries == null) {
        return; // closed: a thread that inherited the scope outlives it
      }
      entries.add(e);
      if (entries.size() >= pruneAt) { // keep what a long test holds proportional to what is live
        entries.removeIf(LeakDetector.Entry::ended);
        pruneAt = Math.max(4096, entries.size() * 2);
      }
    }

    /** Relabels the entry of {@code node} (see {@link LeakDetector#ownedBy}). */
    synchronized void relabel(CancelContext node, String kind, String ending) {
      if (entries != null) {
        for (int i = entries.size() - 1; i >= 0; i--) {
          LeakDetector.Entry e = entries.get(i);
          if (e.node == node) {
            entries.set(i, new LeakDetector.Entry(node, e.site, kind, ending));
            return;
          }
        }
      }
    }

    /**
     * Stops reporting {@code ctx}: its cancel duty belongs to the caller (a test framework's own
     * context for the test, which it cancels after the check).
     *
     * @param ctx a context created in this scope; others are ignored
     */
    public synchronized void exclude(Context ctx) {
      if (entries != null) {
        Context node = LeakDetector.unwrap(Objects.requireNonNull(ctx, "ctx"));
        entries.removeIf(e -> e.node == node);
      }
    }

    /**
     * The contexts created in this scope that are still live now: neither cancelled, nor ended with
     * an ancestor, nor past their deadline. Each report has the stack where the context was
     * created.
     *
     * @return one report per live context, in creation order; empty when there is none or the scope
     *     is closed
     */
    public List<LeakReport> unfinished() {
      List<LeakDetector.Entry> copy;
      synchronized (this) {
        if (entries == null) {
          return List.of();
        }
        copy = new ArrayList<>(entries);
      }
      List<LeakReport> live = new ArrayList<>();
      for (LeakDetector.Entry e : copy) {
        if (!e.ended()) {
          live.add(e.report(false));
        }
      }
      return live;
    }

    /**
     * Stops recording and forgets what was recorded; the thread's previous scope, if any, is
     * current again. Threads that inherited this scope record nothing more.
     *
     * @throws IllegalStateException if called on another thread than the one that opened it
     */
    @Override
    public void close() {
      LeakDetector.closeScope(this);
      synchronized (this) {
        entries = null;
      }
    }
  }
}
