package org.ctx4j.grpc;

import io.grpc.Deadline;
import java.util.List;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.Callable;
import java.util.concurrent.Delayed;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.ctx4j.Context;
import org.ctx4j.ContextDoneException;
import org.ctx4j.DeadlineExceededException;
import org.ctx4j.Done;

/** {@link GrpcBridge#toGrpc(io.grpc.Context, Context)}. */
final class ToGrpc {
  private ToGrpc() {}

  private static final Executor DIRECT = Runnable::run;

  static io.grpc.Context.CancellableContext create(io.grpc.Context grpcParent, Context ctx) {
    Deadline deadline = GrpcBridge.deadlineOf(ctx);
    io.grpc.Context.CancellableContext g =
        deadline == null
            ? grpcParent.withCancellation()
            : grpcParent.withDeadline(deadline, NoTimer.INSTANCE);
    Done.Registration r = ctx.done().onDone(() -> g.cancel(grpcCause(ctx)));
    // Removed when g is cancelled however (by ctx, by its own cancel, by grpcParent), so a
    // long-lived ctx keeps nothing of a grpc context that has ended.
    g.addListener(c -> r.remove(), DIRECT);
    return g;
  }

  /** grpc's cancellation cause for an ended ctx4j context (see GrpcBridge.toGrpc). */
  private static Throwable grpcCause(Context ctx) {
    ContextDoneException err = ctx.err();
    Throwable cause = Context.cause(ctx);
    if (err instanceof DeadlineExceededException) {
      TimeoutException timeout = new TimeoutException(err.getMessage());
      timeout.initCause(cause);
      return timeout;
    }
    return cause;
  }

  /**
   * The scheduler grpc asks for a context with a deadline. It schedules nothing: the ctx4j
   * context's own timer cancels the grpc context at that deadline, with the ctx4j error in its
   * cause, so grpc needs no second timer and no thread.
   */
  private static final class NoTimer extends AbstractExecutorService
      implements ScheduledExecutorService {
    static final NoTimer INSTANCE = new NoTimer();

    @Override
    public ScheduledFuture<?> schedule(Runnable command, long delay, TimeUnit unit) {
      return Never.INSTANCE;
    }

    @Override
    public <V> ScheduledFuture<V> schedule(Callable<V> callable, long delay, TimeUnit unit) {
      throw new UnsupportedOperationException();
    }

    @Override
    public ScheduledFuture<?> scheduleAtFixedRate(
        Runnable command, long initialDelay, long period, TimeUnit unit) {
      throw new UnsupportedOperationException();
    }

    @Override
    public ScheduledFuture<?> scheduleWithFixedDelay(
        Runnable command, long initialDelay, long delay, TimeUnit unit) {
      throw new UnsupportedOperationException();
    }

    @Override
    public void execute(Runnable command) {
      throw new UnsupportedOperationException();
    }

    @Override
    public void shutdown() {}

    @Override
    public List<Runnable> shutdownNow() {
      return List.of();
    }

    @Override
    public boolean isShutdown() {
      return false;
    }

    @Override
    public boolean isTerminated() {
      return false;
    }

    @Override
    public boolean awaitTermination(long timeout, TimeUnit unit) {
      return false;
    }
  }

  /** The handle of a task that never runs. */
  private static final class Never implements ScheduledFuture<Object> {
    static final Never INSTANCE = new Never();

    @Override
    public long getDelay(TimeUnit unit) {
      return Long.MAX_VALUE;
    }

    @Override
    public int compareTo(Delayed o) {
      return Long.compare(getDelay(TimeUnit.NANOSECONDS), o.getDelay(TimeUnit.NANOSECONDS));
    }

    @Override
    public boolean cancel(boolean mayInterruptIfRunning) {
      return true;
    }

    @Override
    public boolean isCancelled() {
      return false;
    }

    @Override
    public boolean isDone() {
      return false;
    }

    @Override
    public Object get() {
      throw new UnsupportedOperationException("never runs");
    }

    @Override
    public Object get(long timeout, TimeUnit unit) {
      throw new UnsupportedOperationException("never runs");
    }
  }
}
