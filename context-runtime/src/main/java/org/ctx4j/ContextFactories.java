package org.ctx4j;

import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import org.jspecify.annotations.Nullable;

/** The implementation behind {@link Context}'s static methods. */
final class ContextFactories {
  private ContextFactories() {}

  /** Durations are clamped to this (about 73 years) so that deadline arithmetic never overflows. */
  private static final long MAX_NANOS = 1L << 61;

  static CancellableContext withCancel(Context parent) {
    Objects.requireNonNull(parent, "parent");
    if (LeakSwitch.on()) { // leak detection: a constant in compiled code, see LeakSwitch
      return LeakDetector.created(cancelChild(LeakDetector.unwrap(parent)));
    }
    return cancelChild(parent);
  }

  private static CancellableContext cancelChild(Context parent) {
    Context signal = signalOf(parent);
    if (signal instanceof CancelContext cancelContext) {
      // Nothing to do at the parent: the child registers with it only when it must (see
      // CancelContext), and asks it for its state until then.
      return new CancelContext(parent, cancelContext.deadline);
    }
    if (signal instanceof BaseContext) {
      // A child of a never-done root: nothing to register with, nothing to remove from.
      return new CancelContext(parent, null);
    }
    CancelContext c = new CancelContext(parent, userDeadline(signal));
    c.attachToUser(signal);
    return c;
  }

  static CancellableContext withTimeout(
      Context parent, Duration timeout, @Nullable Throwable cause) {
    Objects.requireNonNull(parent, "parent");
    Objects.requireNonNull(timeout, "timeout");
    long nanos = saturatedNanos(timeout);
    long now = System.nanoTime();
    Instant at;
    try {
      at = Instant.now().plus(timeout);
    } catch (ArithmeticException | DateTimeException e) {
      at = timeout.isNegative() ? Instant.MIN : Instant.MAX;
    }
    if (LeakSwitch.on()) {
      return LeakDetector.created(
          withDeadline(LeakDetector.unwrap(parent), at, now + nanos, cause));
    }
    return withDeadline(parent, at, now + nanos, cause);
  }

  static CancellableContext withDeadline(
      Context parent, Instant deadline, @Nullable Throwable cause) {
    Objects.requireNonNull(parent, "parent");
    Objects.requireNonNull(deadline, "deadline");
    if (LeakSwitch.on()) {
      return LeakDetector.created(
          withDeadline(LeakDetector.unwrap(parent), deadline, toNanos(deadline), cause));
    }
    return withDeadline(parent, deadline, toNanos(deadline), cause);
  }

  /** Go's {@code WithDeadlineCause}. */
  private static CancellableContext withDeadline(
      Context parent, Instant deadline, long deadlineNanos, @Nullable Throwable cause) {
    Context signal = signalOf(parent);
    boolean user = !(signal instanceof BaseContext);
    CancelContext.Deadline earlier =
        signal instanceof CancelContext cancelContext
            ? cancelContext.deadline
            : user ? userDeadline(signal) : null;
    if (earlier != null && earlier.nanos - deadlineNanos < 0) {
      return cancelChild(parent); // the parent's deadline is earlier: it wins, no timer here
    }
    TimerContext c =
        new TimerContext(parent, new CancelContext.Deadline(deadline, deadlineNanos), cause);
    if (user) {
      c.attachToUser(signal);
    }
    c.start();
    return c;
  }

  static Context withValue(Context parent, Object key, @Nullable Object value) {
    Objects.requireNonNull(parent, "parent");
    Objects.requireNonNull(key, "key");
    return ValueContext.create(LeakSwitch.on() ? LeakDetector.unwrap(parent) : parent, key, value);
  }

  static Context withoutCancel(Context parent) {
    Objects.requireNonNull(parent, "parent");
    return new WithoutCancelContext(LeakSwitch.on() ? LeakDetector.unwrap(parent) : parent);
  }

  static AfterFunc afterFunc(Context ctx, Runnable f) {
    Objects.requireNonNull(ctx, "ctx");
    Objects.requireNonNull(f, "f");
    AfterFuncEntry a = new AfterFuncEntry(f);
    Context signal = signalOf(ctx);
    if (signal instanceof CancelContext cancelContext) {
      if (!cancelContext.addEntry(a)) {
        a.fire();
      }
    } else if (!(signal instanceof BaseContext)) {
      Done d = signal.done();
      if (d != null && d != NeverDone.INSTANCE) {
        a.registration = d.onDone(a::fire);
      }
    }
    return a;
  }

  static @Nullable Throwable cause(Context ctx) {
    Objects.requireNonNull(ctx, "ctx");
    return ctx instanceof BaseContext baseContext ? baseContext.cause() : userCause(ctx);
  }

  /**
   * Go's {@code Cause} for a user-written context: its {@code err()}, unless it reveals (through
   * {@code value(key)}, as a wrapper that delegates values does) a done runtime context whose cause
   * then applies, as in Go.
   */
  static @Nullable Throwable userCause(Context ctx) {
    ContextDoneException e = ctx.err();
    if (e == null) {
      return null;
    }
    Object source = ctx.value(CauseKey.KEY);
    if (source instanceof CancelDone cancelDone) {
      ContextDoneException inner = cancelDone.node.error();
      if (inner != null) {
        return inner.causeOrSelf();
      }
    }
    return e;
  }

  /**
   * The error a runtime context takes when its user-written parent is done with error {@code e} and
   * cause {@code cause}: {@code e} itself when its cause matches, else a fresh error of the same
   * kind carrying {@code cause} (an error and its cause always travel together).
   */
  static ContextDoneException adopt(@Nullable ContextDoneException e, @Nullable Throwable cause) {
    if (e == null) {
      return new CanceledException(cause); // a parent that says done without an error
    }
    if (cause == null || cause == e.causeOrSelf()) {
      return e;
    }
    return e instanceof DeadlineExceededException
        ? new DeadlineExceededException(cause)
        : new CanceledException(cause);
  }

  static <T> T await(Context ctx, Future<T> future)
      throws ExecutionException, InterruptedException {
    Objects.requireNonNull(ctx, "ctx");
    Objects.requireNonNull(future, "future");
    if (!future.isDone()) {
      ContextDoneException e = ctx.err();
      if (e != null) {
        future.cancel(true);
        throw e;
      }
    }
    Done d = ctx.done();
    if (d == null || d == NeverDone.INSTANCE) {
      return future.get(); // a context that never ends: nothing to watch
    }
    Done.Registration r = d.onDone(() -> future.cancel(true));
    try {
      return future.get();
    } catch (CancellationException c) {
      ContextDoneException e = ctx.err();
      throw e != null ? e : c;
    } finally {
      r.remove();
    }
  }

  static void sleep(Context ctx, Duration d) throws InterruptedException {
    Objects.requireNonNull(ctx, "ctx");
    Objects.requireNonNull(d, "d");
    ContextDoneException e = ctx.err();
    if (e == null) {
      Done done = ctx.done();
      // A user-written context may answer null; it then never ends, like background().
      if (!(done == null ? NeverDone.INSTANCE : done).await(d)) {
        return; // d has passed (or was zero or negative) with ctx still active
      }
      e = ctx.err();
    }
    // err() is non-null once done() has fired; a user-written context that breaks this rule
    // still ends the sleep with an error.
    throw e != null ? e : new CanceledException();
  }

  static <T> CompletableFuture<T> awaitAsync(Context ctx, CompletableFuture<T> future) {
    Objects.requireNonNull(ctx, "ctx");
    Objects.requireNonNull(future, "future");
    CompletableFuture<T> result =
        new CompletableFuture<T>() {
          @Override
          public boolean cancel(boolean mayInterruptIfRunning) {
            boolean cancelled = super.cancel(mayInterruptIfRunning);
            if (cancelled) {
              future.cancel(mayInterruptIfRunning);
            }
            return cancelled;
          }
        };
    Done d = ctx.done();
    Done.Registration r =
        d == null || d == NeverDone.INSTANCE
            ? null
            : d.onDone(
                () -> {
                  ContextDoneException e = ctx.err();
                  if (result.completeExceptionally(e != null ? e : new CanceledException())) {
                    future.cancel(true);
                  }
                });
    CompletableFuture<?> unused =
        future.whenComplete(
            (value, failure) -> {
              if (r != null) {
                r.remove();
              }
              if (failure == null) {
                result.complete(value);
              } else {
                result.completeExceptionally(failure);
              }
            });
    return result;
  }

  static InterruptScope interruptWhenDone(Context ctx) {
    Objects.requireNonNull(ctx, "ctx");
    return InterruptWhenDone.open(ctx);
  }

  /**
   * {@link Context#timeLeft()}: on the monotonic clock for a runtime context whose signal has a
   * deadline (the same nanos its timer was scheduled for), from the wall clock for a user-written
   * one.
   */
  static Optional<Duration> timeLeft(Context ctx) {
    Context signal = signalOf(ctx);
    if (signal instanceof CancelContext cancelContext) {
      CancelContext.Deadline deadline = cancelContext.deadline;
      if (deadline == null) {
        return Optional.empty();
      }
      long left = deadline.nanos - System.nanoTime();
      return Optional.of(left <= 0 ? Duration.ZERO : Duration.ofNanos(left));
    }
    if (signal instanceof BaseContext) {
      return Optional.empty(); // a root or withoutCancel: never a deadline
    }
    Optional<Instant> d = signal.deadline();
    if (d == null || d.isEmpty()) {
      return Optional.empty();
    }
    Duration left = Duration.between(Instant.now(), d.get());
    return Optional.of(left.isNegative() ? Duration.ZERO : left);
  }

  /**
   * The first {@code type} in {@code t}'s cause chain, or null: {@code t}, then its cause's
   * subtree, then each suppressed exception's subtree (pre-order, depth first). Iterative, and each
   * throwable is visited once by identity, so loops end the walk. The common shapes (the error
   * itself, or a short cause chain without suppressed exceptions) are walked without allocating.
   */
  @SuppressWarnings("NullAway") // t is non-null inside the loop, which starts at it
  static <E extends ContextDoneException> @Nullable E findDoneError(
      @Nullable Throwable t, Class<E> type) {
    // Fast path: the plain cause chain, as long as nothing has suppressed exceptions. A loop in
    // it is caught by the step bound, after which the general walk takes over.
    int steps = 0;
    for (Throwable x = t; x != null && steps < 16; x = x.getCause(), steps++) {
      if (type.isInstance(x)) {
        return type.cast(x);
      }
      if (x.getSuppressed().length != 0) {
        return walkDoneErrors(t, type);
      }
      if (x.getCause() == null) {
        return null;
      }
    }
    return t == null ? null : walkDoneErrors(t, type);
  }

  private static <E extends ContextDoneException> @Nullable E walkDoneErrors(
      Throwable t, Class<E> type) {
    Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
    ArrayDeque<Throwable> stack = new ArrayDeque<>();
    stack.push(t);
    while (!stack.isEmpty()) {
      Throwable x = stack.pop();
      if (!seen.add(x)) {
        continue;
      }
      if (type.isInstance(x)) {
        return type.cast(x);
      }
      // Pushed in reverse, so that the cause is visited first, then the suppressed in order.
      Throwable[] suppressed = x.getSuppressed();
      for (int i = suppressed.length - 1; i >= 0; i--) {
        if (suppressed[i] != null) {
          stack.push(suppressed[i]);
        }
      }
      Throwable cause = x.getCause();
      if (cause != null) {
        stack.push(cause);
      }
    }
    return null;
  }

  // ---- helpers -------------------------------------------------------------------------------

  static Context signalOf(Context parent) {
    return parent instanceof BaseContext baseContext ? baseContext.signal() : parent;
  }

  /** A user-written context's deadline on both clocks; null for none. */
  private static CancelContext.@Nullable Deadline userDeadline(Context user) {
    Optional<Instant> d = user.deadline();
    return d == null || d.isEmpty() ? null : new CancelContext.Deadline(d.get(), toNanos(d.get()));
  }

  /** A wall-clock instant on {@link System#nanoTime()}'s clock. */
  static long toNanos(Instant deadline) {
    long now = System.nanoTime();
    Instant wall = Instant.now();
    long delta;
    try {
      delta = Duration.between(wall, deadline).toNanos();
    } catch (ArithmeticException e) {
      delta = deadline.isBefore(wall) ? -MAX_NANOS : MAX_NANOS;
    }
    return now + Math.max(-MAX_NANOS, Math.min(MAX_NANOS, delta));
  }

  static long saturatedNanos(Duration d) {
    if (d.toSeconds() >= (MAX_NANOS / 1_000_000_000L)) {
      return MAX_NANOS;
    }
    if (d.toSeconds() <= -(MAX_NANOS / 1_000_000_000L)) {
      return -MAX_NANOS;
    }
    return d.toNanos();
  }

  /**
   * Go's {@code time.Duration.String()}: {@code 1h2m3.5s}, {@code 1.5s}, {@code 250ms}, {@code
   * -3µs}.
   */
  static String formatDuration(long nanos) {
    if (nanos == 0) {
      return "0s";
    }
    StringBuilder sb = new StringBuilder();
    if (nanos < 0) {
      sb.append('-');
      nanos = nanos == Long.MIN_VALUE ? Long.MAX_VALUE : -nanos;
    }
    if (nanos < 1_000L) {
      return sb.append(nanos).append("ns").toString();
    }
    if (nanos < 1_000_000L) {
      return fraction(sb, nanos, 1_000L).append("µs").toString();
    }
    if (nanos < 1_000_000_000L) {
      return fraction(sb, nanos, 1_000_000L).append("ms").toString();
    }
    long hours = nanos / 3_600_000_000_000L;
    long rest = nanos % 3_600_000_000_000L;
    long minutes = rest / 60_000_000_000L;
    rest %= 60_000_000_000L;
    if (hours > 0) {
      sb.append(hours).append('h');
    }
    if (hours > 0 || minutes > 0) {
      sb.append(minutes).append('m');
    }
    return fraction(sb, rest, 1_000_000_000L).append('s').toString();
  }

  private static StringBuilder fraction(StringBuilder sb, long value, long unit) {
    sb.append(value / unit);
    long frac = value % unit;
    if (frac != 0) {
      String digits = Long.toString(unit + frac).substring(1);
      int end = digits.length();
      while (digits.charAt(end - 1) == '0') {
        end--;
      }
      sb.append('.').append(digits, 0, end);
    }
    return sb;
  }
}
