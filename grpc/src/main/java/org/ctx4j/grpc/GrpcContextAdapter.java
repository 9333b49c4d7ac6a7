package org.ctx4j.grpc;

import io.grpc.Deadline;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReferenceFieldUpdater;
import org.ctx4j.CancellableContext;
import org.ctx4j.Context;
import org.ctx4j.ContextDoneException;
import org.ctx4j.DeadlineExceededException;
import org.ctx4j.Done;

/**
 * A ctx4j context that follows a grpc context ({@link GrpcBridge#fromGrpc(Context,
 * io.grpc.Context)}).
 *
 * <p>The signal is a runtime context ({@code withCancel(parent)}, or {@code withTimeout} for a grpc
 * context with a deadline); its error is this context's error, except when grpc ends the followed
 * context for its deadline: a runtime {@code cancel} cannot give {@link DeadlineExceededException},
 * so that error is fixed here before the signal is cancelled, and callbacks and derived contexts
 * read it. Invariants: {@link #err()} is null until the signal has fired (it reads the signal
 * first), then always the same object (whichever is fixed first, the deadline error or the
 * signal's, wins). The grpc listener is removed when the signal fires, whoever fired it.
 */
final class GrpcContextAdapter implements CancellableContext, io.grpc.Context.CancellationListener {
  /**
   * A cancellation of a grpc context whose deadline is at most this far away counts as the deadline
   * passing: a grpc-java client whose deadline passes cancels the call, and the server sees that
   * cancellation, not its own timer, in most races.
   */
  static final long DEADLINE_SLACK_MILLIS = 100;

  private static final AtomicReferenceFieldUpdater<GrpcContextAdapter, ContextDoneException> ERROR =
      AtomicReferenceFieldUpdater.newUpdater(
          GrpcContextAdapter.class, ContextDoneException.class, "error");
  private static final Executor DIRECT = Runnable::run;

  private final CancellableContext signal;
  private final io.grpc.Context grpcContext;
  private final Optional<Instant> deadline;
  private volatile ContextDoneException error;

  private GrpcContextAdapter(
      CancellableContext signal, io.grpc.Context grpcContext, Optional<Instant> deadline) {
    this.signal = signal;
    this.grpcContext = grpcContext;
    this.deadline = deadline;
  }

  static GrpcContextAdapter create(Context parent, io.grpc.Context grpcContext) {
    Deadline grpcDeadline = grpcContext.getDeadline();
    CancellableContext signal =
        grpcDeadline == null
            ? Context.withCancel(parent)
            // A runtime deadline on the same monotonic clock: deadline() and timeLeft() report it,
            // derived contexts see it, and the earlier of it and the parent's wins. Its timer ends
            // the signal with DeadlineExceededException even if grpc's fires a moment later.
            : Context.withTimeout(
                parent, Duration.ofNanos(grpcDeadline.timeRemaining(TimeUnit.NANOSECONDS)));
    GrpcContextAdapter adapter = new GrpcContextAdapter(signal, grpcContext, signal.deadline());
    // Registered before the grpc listener, so that the listener is removed however the signal
    // ends, also when the grpc context is already cancelled and the listener runs right here.
    Done.Registration unused = signal.done().onDone(adapter::detach);
    grpcContext.addListener(adapter, DIRECT);
    return adapter;
  }

  /** grpc cancelled the followed context. */
  @Override
  public void cancelled(io.grpc.Context context) {
    Throwable cause = context.cancellationCause();
    ContextDoneException kind = Context.findDoneError(cause).orElse(null);
    boolean deadlinePassed =
        kind != null
            ? kind instanceof DeadlineExceededException
            : cause instanceof TimeoutException || deadlineAtHand(context.getDeadline());
    if (deadlinePassed) {
      DeadlineExceededException err = new DeadlineExceededException();
      if (ERROR.compareAndSet(this, null, err)) {
        signal.cancel(cause == null ? err : cause);
      }
    } else {
      signal.cancel(cause); // the signal's own CanceledException, which carries the cause
    }
  }

  private static boolean deadlineAtHand(Deadline d) {
    return d != null && d.timeRemaining(TimeUnit.MILLISECONDS) <= DEADLINE_SLACK_MILLIS;
  }

  private void detach() {
    grpcContext.removeListener(this);
  }

  @Override
  public ContextDoneException err() {
    ContextDoneException s = signal.err();
    if (s == null) {
      return null;
    }
    ContextDoneException e = error;
    if (e == null) {
      ERROR.compareAndSet(this, null, s); // ended by the parent or the timer: the signal's error
      e = error;
    }
    return e;
  }

  @Override
  public Done done() {
    return signal.done();
  }

  @Override
  public Optional<Instant> deadline() {
    return deadline;
  }

  @Override
  public Optional<Duration> timeLeft() {
    return signal.timeLeft();
  }

  @Override
  public Object value(Object key) {
    if (key instanceof io.grpc.Context.Key<?> grpcKey) {
      return grpcKey.get(grpcContext);
    }
    // Also answers the runtime's own cause lookup, so that Context.cause(this) is the cause the
    // signal was cancelled with.
    return signal.value(key);
  }

  @Override
  public void cancel() {
    signal.cancel();
  }

  @Override
  public void cancel(Throwable cause) {
    signal.cancel(cause);
  }

  @Override
  public void close() {
    signal.cancel();
  }

  @Override
  public String toString() {
    return "GrpcBridge.fromGrpc(" + grpcContext + ")";
  }
}
