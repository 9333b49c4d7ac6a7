package org.ctx4j;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import org.jspecify.annotations.Nullable;

/**
 * A context carries a cancellation signal, a deadline and request-scoped values across API
 * boundaries: Go's {@code context.Context}. Pass it explicitly, as the first parameter of every
 * method on the path of a request; never store it in a field.
 *
 * <pre>{@code
 * try (CancellableContext ctx = Context.withTimeout(parent, Duration.ofSeconds(2))) {
 *   return fetchUser(ctx, id);
 * }
 * }</pre>
 *
 * <p>All methods are safe to call from any thread. User code may implement this interface (as Go
 * code may implement {@code context.Context}); the runtime's contexts then observe the user's
 * {@link #done()} signal and ask its {@link #value(Object)} for keys they do not hold.
 */
public interface Context {

  // ---- Roots --------------------------------------------------------------------------------

  /**
   * The root of every context tree: never done, no deadline, no values. Go's {@code
   * context.Background()}.
   *
   * @return the background context (always the same instance)
   */
  static Context background() {
    return RootContext.BACKGROUND;
  }

  /**
   * A placeholder for code that does not have a context yet: behaves as {@link #background()} and
   * prints differently. Go's {@code context.TODO()}.
   *
   * @return the TODO context (always the same instance)
   */
  static Context todo() {
    return RootContext.TODO;
  }

  // ---- Derived contexts ----------------------------------------------------------------------

  /**
   * A child of {@code parent} that is done when it is cancelled or when {@code parent} is done,
   * whichever comes first. Go's {@code context.WithCancel} (and {@code WithCancelCause}: see {@link
   * CancellableContext#cancel(Throwable)}).
   *
   * @param parent the parent context
   * @return the new context; cancel it (or close it) as soon as the work it covers is finished
   * @throws NullPointerException if {@code parent} is null
   */
  static CancellableContext withCancel(Context parent) {
    return ContextFactories.withCancel(parent);
  }

  /**
   * {@code withDeadline(parent, now + timeout)}: Go's {@code context.WithTimeout}. A zero or
   * negative timeout gives a context that is already done with {@link DeadlineExceededException}.
   *
   * @param parent the parent context
   * @param timeout how long from now the context may live
   * @return the new context; cancel it (or close it) as soon as the work it covers is finished
   * @throws NullPointerException if {@code parent} or {@code timeout} is null
   */
  static CancellableContext withTimeout(Context parent, Duration timeout) {
    return ContextFactories.withTimeout(parent, timeout, null);
  }

  /**
   * A child of {@code parent} that is also done, with {@link DeadlineExceededException}, at {@code
   * deadline}. If the parent's deadline is earlier, the child reports the parent's and gets no
   * timer of its own. Go's {@code context.WithDeadline}.
   *
   * @param parent the parent context
   * @param deadline when the context ends
   * @return the new context; cancel it (or close it) as soon as the work it covers is finished
   * @throws NullPointerException if {@code parent} or {@code deadline} is null
   */
  static CancellableContext withDeadline(Context parent, Instant deadline) {
    return ContextFactories.withDeadline(parent, deadline, null);
  }

  /**
   * As {@link #withTimeout(Context, Duration)}, but when the timeout expires the context's {@link
   * #cause(Context) cause} is {@code cause}. Go's {@code context.WithTimeoutCause}.
   *
   * @param parent the parent context
   * @param timeout how long from now the context may live
   * @param cause the cause reported on expiry (may be null, meaning DeadlineExceeded)
   * @return the new context
   * @throws NullPointerException if {@code parent} or {@code timeout} is null
   */
  static CancellableContext withTimeoutCause(
      Context parent, Duration timeout, @Nullable Throwable cause) {
    return ContextFactories.withTimeout(parent, timeout, cause);
  }

  /**
   * As {@link #withDeadline(Context, Instant)}, but when the deadline passes the context's {@link
   * #cause(Context) cause} is {@code cause}. Go's {@code context.WithDeadlineCause}.
   *
   * @param parent the parent context
   * @param deadline when the context ends
   * @param cause the cause reported on expiry (may be null, meaning DeadlineExceeded)
   * @return the new context
   * @throws NullPointerException if {@code parent} or {@code deadline} is null
   */
  static CancellableContext withDeadlineCause(
      Context parent, Instant deadline, @Nullable Throwable cause) {
    return ContextFactories.withDeadline(parent, deadline, cause);
  }

  /**
   * A child of {@code parent} whose {@link #value(Object)} returns {@code value} for {@code key}.
   * Keys are compared with {@code equals} (and hashed with {@code hashCode}, so a key must not
   * change while in use); use a key type that no other package can name (a private enum or class).
   * A null value hides an outer value for the same key. Go's {@code context.WithValue}.
   *
   * @param parent the parent context
   * @param key the key; never null
   * @param value the value, may be null
   * @return the new context
   * @throws NullPointerException if {@code parent} or {@code key} is null
   */
  static Context withValue(Context parent, Object key, @Nullable Object value) {
    return ContextFactories.withValue(parent, key, value);
  }

  /**
   * A context that keeps {@code parent}'s values but is never done and has no deadline, error or
   * cause. Go's {@code context.WithoutCancel}.
   *
   * @param parent the parent context
   * @return the new context
   * @throws NullPointerException if {@code parent} is null
   */
  static Context withoutCancel(Context parent) {
    return ContextFactories.withoutCancel(parent);
  }

  /**
   * Arranges for {@code f} to run once, on another thread, after {@code ctx} is done (at once if it
   * already is). Go's {@code context.AfterFunc}.
   *
   * @param ctx the context to watch
   * @param f the function to run
   * @return a handle whose {@link AfterFunc#stop()} prevents the run if it has not started
   * @throws NullPointerException if {@code ctx} or {@code f} is null
   */
  static AfterFunc afterFunc(Context ctx, Runnable f) {
    return ContextFactories.afterFunc(ctx, f);
  }

  /**
   * Why {@code ctx} is done: the cause given to the first {@link
   * CancellableContext#cancel(Throwable)} in its ancestry (or the timeout's cause), else its {@link
   * #err()}; null while it is active. Go's {@code context.Cause}.
   *
   * <p>For a user-written context it is the context's {@code err()}, except that, as in Go, a
   * context that passes {@code value(key)} on to a runtime context it wraps reports the cause of
   * that runtime context when that one is done.
   *
   * @param ctx the context
   * @return the cause, or null while {@code ctx} is active
   * @throws NullPointerException if {@code ctx} is null
   */
  static @Nullable Throwable cause(Context ctx) {
    return ContextFactories.cause(ctx);
  }

  // ---- Telling context errors apart ----------------------------------------------------------

  /**
   * Whether a {@link CanceledException} is anywhere in {@code t}'s cause chain: {@code t} itself,
   * its causes and its suppressed exceptions, at any depth (see {@link #findDoneError(Throwable)}
   * for the order and the guarantees). Go's {@code errors.Is(err, context.Canceled)}.
   *
   * <p>Use it instead of {@code catch (CanceledException e)} wherever the error may come wrapped:
   * in an {@link ExecutionException}, a {@link java.util.concurrent.CompletionException}, or the
   * {@link java.util.concurrent.CancellationException} with which {@code CompletableFuture.join()}
   * and {@code get()} wrap it from JDK 23 on.
   *
   * @param t the throwable to search; null gives false (no error is no cancellation)
   * @return true if a {@code CanceledException} is found
   */
  static boolean isCanceled(@Nullable Throwable t) {
    return ContextFactories.findDoneError(t, CanceledException.class) != null;
  }

  /**
   * Whether a {@link DeadlineExceededException} is anywhere in {@code t}'s cause chain: {@code t}
   * itself, its causes and its suppressed exceptions, at any depth (see {@link
   * #findDoneError(Throwable)}). Go's {@code errors.Is(err, context.DeadlineExceeded)}.
   *
   * <p>A {@code catch (DeadlineExceededException e)} stops matching as soon as the error arrives
   * wrapped: {@code Context.awaitAsync(ctx, f).join()} throws the error itself up to JDK 22 and a
   * {@link java.util.concurrent.CancellationException} caused by it from JDK 23 on. This test
   * matches both.
   *
   * @param t the throwable to search; null gives false
   * @return true if a {@code DeadlineExceededException} is found
   */
  static boolean isDeadlineExceeded(@Nullable Throwable t) {
    return ContextFactories.findDoneError(t, DeadlineExceededException.class) != null;
  }

  /**
   * The first context error ({@link CanceledException} or {@link DeadlineExceededException}) in
   * {@code t}'s cause chain. Go's {@code errors.As} for the context errors.
   *
   * <p>The search visits {@code t}, then its {@linkplain Throwable#getCause() cause} and everything
   * below it, then each {@linkplain Throwable#getSuppressed() suppressed} exception and everything
   * below it, in order (depth first, as Go's {@code errors.Is} walks a tree of wrapped errors), so
   * the error found is the one nearest the top of the main cause chain. Wrappers ({@link
   * ExecutionException}, {@link java.util.concurrent.CompletionException}, {@link
   * java.util.concurrent.CancellationException}, anything else) are looked through. Each throwable
   * is visited once, by identity, so cause chains that loop and suppressed exceptions that refer
   * back end the search instead of hanging it; chains of any depth are walked without recursion. A
   * context error's own {@link Context#cause(Context) cause} (the reason given to {@code
   * cancel(cause)}) is not part of the chain, as in Go, where {@code ctx.Err()} does not wrap the
   * cause.
   *
   * @param t the throwable to search; null gives empty
   * @return the error, or empty if there is none
   */
  static Optional<ContextDoneException> findDoneError(@Nullable Throwable t) {
    return Optional.ofNullable(ContextFactories.findDoneError(t, ContextDoneException.class));
  }

  // ---- Java's answers to Go's select ---------------------------------------------------------

  /**
   * Waits for {@code future} under {@code ctx}: returns its value, or, when {@code ctx} ends first,
   * cancels the future ({@code cancel(true)}, which interrupts a running task) and throws the
   * context's error. Go's {@code select} over a result channel and {@code ctx.Done()}. A future
   * that is already complete gives its result even if the context is done; one cancelled by someone
   * else throws its {@link java.util.concurrent.CancellationException}. The calling thread blocks
   * in {@link Future#get()}; no other thread is used.
   *
   * @param ctx the context bounding the wait
   * @param future the future to wait for
   * @param <T> the future's value type
   * @return the future's value
   * @throws ContextDoneException if {@code ctx} is done before the future completes
   * @throws ExecutionException if the future completed exceptionally
   * @throws InterruptedException if the waiting thread is interrupted
   * @throws NullPointerException if an argument is null
   */
  static <T> T await(Context ctx, Future<T> future)
      throws ExecutionException, InterruptedException {
    return ContextFactories.await(ctx, future);
  }

  /**
   * The non-blocking form of {@link #await(Context, Future)}: a future that completes as {@code
   * future} does, or, when {@code ctx} ends first, exceptionally with the context's error, after
   * cancelling {@code future} with {@code cancel(true)}. Go's {@code select} over a result channel
   * and {@code ctx.Done()}, for asynchronous code. Cancelling the returned future cancels {@code
   * future} too. No thread waits, and the registration with the context is dropped as soon as
   * {@code future} completes.
   *
   * <p>The context's error is a {@link java.util.concurrent.CancellationException}, so the returned
   * future then counts as cancelled, and its {@code get()} and {@code join()} throw a {@code
   * CancellationException}: the error itself up to JDK 22, a new one caused by it from JDK 23 on.
   *
   * @param ctx the context bounding the wait
   * @param future the future to wait for
   * @param <T> the future's value type
   * @return a new future with {@code future}'s outcome or the context's error
   * @throws NullPointerException if an argument is null
   */
  static <T> CompletableFuture<T> awaitAsync(Context ctx, CompletableFuture<T> future) {
    return ContextFactories.awaitAsync(ctx, future);
  }

  /**
   * Sleeps for {@code d} under {@code ctx}: returns once {@code d} has passed, or throws the
   * context's error as soon as {@code ctx} is done first. Go's {@code select { case
   * <-time.After(d): case <-ctx.Done(): return ctx.Err() }}. A zero or negative {@code d} returns
   * at once, unless {@code ctx} is already done. The wait parks the thread (no monitor is held), so
   * it suits virtual threads; no other thread is used.
   *
   * @param ctx the context bounding the sleep
   * @param d how long to sleep
   * @throws ContextDoneException if {@code ctx} is done before {@code d} has passed (also when it
   *     is already done on entry)
   * @throws InterruptedException if the sleeping thread is interrupted
   * @throws NullPointerException if an argument is null
   */
  static void sleep(Context ctx, Duration d) throws InterruptedException {
    ContextFactories.sleep(ctx, d);
  }

  /**
   * Interrupts the calling thread when {@code ctx} ends, until the returned scope is closed: the
   * way to unblock a legacy blocking call (socket reads, {@code BlockingQueue.take()}, ...) that
   * knows interrupts but not contexts.
   *
   * <pre>{@code
   * try (var scope = Context.interruptWhenDone(ctx)) {
   *   return queue.take();
   * }
   * }</pre>
   *
   * <p>If {@code ctx} is already done, the thread is interrupted at once. Closing the scope
   * guarantees that no interrupt from it arrives afterwards and clears an interrupt it delivered
   * (see {@link InterruptScope#close()}). Go needs no counterpart: a goroutine selects on {@code
   * ctx.Done()}.
   *
   * @param ctx the context to watch
   * @return the scope; close it on the same thread
   * @throws NullPointerException if {@code ctx} is null
   */
  static InterruptScope interruptWhenDone(Context ctx) {
    return ContextFactories.interruptWhenDone(ctx);
  }

  /**
   * A cheap checkpoint for loops: throws {@link #err()} if this context is done, else returns. Go's
   * {@code if err := ctx.Err(); err != nil { return err }}.
   *
   * @throws ContextDoneException if this context is done
   */
  default void throwIfDone() {
    ContextDoneException err = err();
    if (err != null) {
      throw err;
    }
  }

  /**
   * How long until this context's deadline: empty if it has none, {@link Duration#ZERO} once the
   * deadline has passed, never negative. For the time limits of calls that know nothing of
   * contexts: socket and HTTP timeouts, JDBC query timeouts, {@code Future.get(timeout)}. Go's
   * {@code time.Until(deadline)} after {@code deadline, ok := ctx.Deadline()}.
   *
   * <p>For the runtime's contexts it is measured on the monotonic clock the deadline runs on
   * ({@link System#nanoTime()}), so it reaches zero when the deadline's timer is due, whatever the
   * wall clock does meanwhile: once the runtime's timer has ended a context with {@link
   * DeadlineExceededException}, that context and every runtime context sharing its deadline report
   * zero. For a user-written context it is the time from {@link java.time.Instant#now()} to its
   * {@link #deadline()}. Deadlines more than about 73 years away report about 73 years.
   *
   * <p>It reads the deadline only: a context cancelled before its deadline still reports the time
   * until that deadline, and one without a deadline reports empty even when done; check {@link
   * #err()} (or call {@link #throwIfDone()}) as well. Mind APIs for which zero means "no limit"
   * ({@code Socket.setSoTimeout(0)}, {@code Statement.setQueryTimeout(0)}): round up and pass at
   * least 1.
   *
   * @return the time left, or empty if there is no deadline
   */
  default Optional<Duration> timeLeft() {
    return ContextFactories.timeLeft(this);
  }

  // ---- The interface -------------------------------------------------------------------------

  /**
   * When this context will be done, if it has a deadline. Go's {@code Context.Deadline()}.
   *
   * @return the deadline, or empty if there is none
   */
  Optional<Instant> deadline();

  /**
   * The signal that fires when this context is done. Go's {@code Context.Done()}; the {@code Done}
   * of {@link #background()} never fires.
   *
   * @return the signal, never null
   */
  Done done();

  /**
   * Null while this context is active; once {@link #done()} has fired, a {@link CanceledException}
   * or {@link DeadlineExceededException}, the same object on every call. Go's {@code
   * Context.Err()}. For the runtime's contexts this is one volatile read, without a lock. The
   * runtime creates one error object per cancellation event and shares it with every context that
   * event ends; a context born under a done parent shares the parent's.
   *
   * @return the error, or null while active
   */
  @Nullable ContextDoneException err();

  /**
   * The value this context (or an ancestor) associates with {@code key}, or null. Go's {@code
   * Context.Value(key)}.
   *
   * <p>The runtime's contexts answer in constant time however deep the chain (they carry a
   * persistent hash trie of the values set since the nearest user-written ancestor, which they ask
   * for other keys), and throw {@link NullPointerException} for a null key.
   *
   * @param key the key
   * @return the value, or null if there is none
   */
  @Nullable Object value(Object key);
}
