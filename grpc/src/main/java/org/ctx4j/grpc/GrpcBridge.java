package org.ctx4j.grpc;

import io.grpc.CallOptions;
import io.grpc.ClientInterceptor;
import io.grpc.Deadline;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import io.grpc.stub.AbstractStub;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import org.ctx4j.CancellableContext;
import org.ctx4j.Context;
import org.ctx4j.ContextDoneException;
import org.ctx4j.DeadlineExceededException;

/**
 * Runs grpc-java under ctx4j contexts, as grpc-go runs under Go's {@code context.Context}: a call
 * made under a context carries its deadline to the server and is cancelled when the context ends; a
 * server handler gets a context that ends when the client cancels or the deadline it sent passes;
 * and {@link org.ctx4j.Context} and {@link io.grpc.Context} convert into each other.
 *
 * <pre>{@code
 * // client: Go's client.SayHello(ctx, req)
 * HelloReply reply = GrpcBridge.withContext(ctx, blockingStub).sayHello(req);
 *
 * // server: install once ...
 * ServerInterceptors.intercept(service, GrpcBridge.serverInterceptor());
 * // ... then, in the handler: Go's func (s *server) SayHello(ctx context.Context, ...)
 * Context ctx = GrpcBridge.currentContext();
 * }</pre>
 *
 * <p>Errors: a call that ends because its context ended fails with a {@link
 * io.grpc.StatusRuntimeException} whose status is {@code CANCELLED} (the context was cancelled) or
 * {@code DEADLINE_EXCEEDED} (its deadline passed), and whose {@linkplain Throwable#getCause()
 * cause} is the context's error, so that {@link Context#isCanceled(Throwable)} and {@link
 * Context#isDeadlineExceeded(Throwable)} answer on the exception the stub throws.
 */
public final class GrpcBridge {
  private GrpcBridge() {}

  // ---- Client ------------------------------------------------------------------------------

  /**
   * {@code stub} bound to {@code ctx}: every call made through the returned stub carries the
   * smaller of {@code ctx}'s deadline and the stub's own (its {@link CallOptions}), is cancelled
   * when {@code ctx} ends, and is not started at all if {@code ctx} has already ended (it fails at
   * once with the context's error; the server never sees it). Go's {@code client.Method(ctx, req)}.
   *
   * <p>Binding is cheap (one stub copy, as {@code withDeadlineAfter} makes); bind per request, not
   * once per stub: the returned stub is tied to {@code ctx}.
   *
   * @param ctx the context the calls run under
   * @param stub any grpc stub (blocking, future or async)
   * @param <S> the stub type
   * @return a stub whose calls run under {@code ctx}
   * @throws NullPointerException if an argument is null
   */
  public static <S extends AbstractStub<S>> S withContext(Context ctx, S stub) {
    Objects.requireNonNull(ctx, "ctx");
    Objects.requireNonNull(stub, "stub");
    return stub.withInterceptors(new ContextClientInterceptor(ctx));
  }

  /**
   * The interceptor behind {@link #withContext(Context, AbstractStub)}, for a channel ({@code
   * ClientInterceptors.intercept(channel, GrpcBridge.clientInterceptor(ctx))}) or for code that
   * builds its calls itself with {@code channel.newCall}. Every call through it is bound to {@code
   * ctx} as described there.
   *
   * @param ctx the context the calls run under
   * @return the interceptor
   * @throws NullPointerException if {@code ctx} is null
   */
  public static ClientInterceptor clientInterceptor(Context ctx) {
    Objects.requireNonNull(ctx, "ctx");
    return new ContextClientInterceptor(ctx);
  }

  // ---- Server ------------------------------------------------------------------------------

  /**
   * The server interceptor that gives each call a ctx4j context, read in the handler with {@link
   * #currentContext()}. The context carries the deadline the client sent, ends with {@link
   * org.ctx4j.CanceledException} when the client cancels (or the call ends) and with {@link
   * DeadlineExceededException} when that deadline passes; it is the conversion ({@link
   * #fromGrpc(io.grpc.Context)}) of the call's own {@link io.grpc.Context}, so it ends exactly when
   * grpc ends the call. Install it with {@code ServerInterceptors.intercept(service,
   * GrpcBridge.serverInterceptor())} or on the server builder ({@code intercept(...)}).
   *
   * @return the interceptor (one shared instance; it keeps no state)
   */
  public static ServerInterceptor serverInterceptor() {
    return ContextServerInterceptor.INSTANCE;
  }

  /**
   * The ctx4j context of the server call this thread is handling: Go's {@code ctx} parameter of a
   * grpc-go handler. Works wherever grpc's {@link io.grpc.Context#current()} is the call's context:
   * in the handler and in the call's listener methods, and in tasks wrapped with {@code
   * io.grpc.Context.current().wrap(...)}. Pass it on explicitly from there.
   *
   * @return the call's context
   * @throws IllegalStateException if the thread is not handling a call intercepted by {@link
   *     #serverInterceptor()}
   */
  public static Context currentContext() {
    Context ctx = ContextServerInterceptor.KEY.get();
    if (ctx == null) {
      throw new IllegalStateException(
          "no ctx4j context on this thread: install GrpcBridge.serverInterceptor() on the service"
              + " (ServerInterceptors.intercept) and call currentContext() while handling a call");
    }
    return ctx;
  }

  // ---- Conversions -------------------------------------------------------------------------

  /**
   * {@code fromGrpc(Context.background(), grpcContext)}.
   *
   * @param grpcContext the grpc context to follow
   * @return a ctx4j context that ends when {@code grpcContext} is cancelled; close it when done
   * @throws NullPointerException if {@code grpcContext} is null
   */
  public static CancellableContext fromGrpc(io.grpc.Context grpcContext) {
    return fromGrpc(Context.background(), grpcContext);
  }

  /**
   * A child of {@code parent} that also ends when {@code grpcContext} is cancelled, and carries the
   * earlier of the two deadlines. Its error is {@link DeadlineExceededException} when grpc ended
   * {@code grpcContext} because its deadline passed (or when the cancellation arrives once that
   * deadline is less than {@value GrpcContextAdapter#DEADLINE_SLACK_MILLIS} ms away: grpc-java
   * reports a client's passed deadline to the server as a cancellation), the kind of a ctx4j error
   * found in grpc's cancellation cause, else {@link org.ctx4j.CanceledException}; its {@link
   * Context#cause(Context) cause} is grpc's {@link io.grpc.Context#cancellationCause()}. Values of
   * {@link io.grpc.Context.Key}s are read from {@code grpcContext}; other keys from {@code parent}.
   *
   * <p>No leak either way: the listener placed on {@code grpcContext} is removed as soon as the
   * returned context ends (closed, or ended by its parent), and grpc drops it when {@code
   * grpcContext} ends first. Close the returned context when done, as any {@link
   * CancellableContext}.
   *
   * @param parent the ctx4j parent (values, cancellation, deadline)
   * @param grpcContext the grpc context to follow
   * @return the new context
   * @throws NullPointerException if an argument is null
   */
  public static CancellableContext fromGrpc(Context parent, io.grpc.Context grpcContext) {
    Objects.requireNonNull(parent, "parent");
    Objects.requireNonNull(grpcContext, "grpcContext");
    return GrpcContextAdapter.create(parent, grpcContext);
  }

  /**
   * {@code toGrpc(io.grpc.Context.current(), ctx)}.
   *
   * @param ctx the ctx4j context to follow
   * @return a grpc context that is cancelled when {@code ctx} ends; cancel it when done
   * @throws NullPointerException if {@code ctx} is null
   */
  public static io.grpc.Context.CancellableContext toGrpc(Context ctx) {
    return toGrpc(io.grpc.Context.current(), ctx);
  }

  /**
   * A child of {@code grpcParent} that is cancelled when {@code ctx} ends and carries {@code ctx}'s
   * deadline: for code that reads {@link io.grpc.Context#current()} (attach the result) or takes an
   * {@code io.grpc.Context}. Its {@link io.grpc.Context#cancellationCause()} is {@code ctx}'s
   * {@link Context#cause(Context) cause} when {@code ctx} is cancelled, and a {@link
   * java.util.concurrent.TimeoutException} caused by it when {@code ctx}'s deadline passes (grpc
   * reads a {@code TimeoutException} as {@code DEADLINE_EXCEEDED}). A call made under it (attached)
   * is cancelled with that cause when {@code ctx} is cancelled, so its status's cause chain holds
   * the ctx4j error (unless a cause given to {@code cancel(cause)} replaced it, as Go's {@code
   * context.Cause} does); when the deadline passes, grpc's own timer for the call usually ends it
   * first, with a plain {@code DEADLINE_EXCEEDED}. Calls bound with {@link #withContext} get the
   * ctx4j error in both cases.
   *
   * <p>The ctx4j context's own timer ends it at the deadline: grpc gets no second timer. No leak
   * either way: the callback placed on {@code ctx} is removed as soon as the returned context is
   * cancelled (by {@code cancel}, or by {@code grpcParent}).
   *
   * @param grpcParent the grpc parent (values, cancellation, deadline)
   * @param ctx the ctx4j context to follow
   * @return the new grpc context; cancel (or close) it when done
   * @throws NullPointerException if an argument is null
   */
  public static io.grpc.Context.CancellableContext toGrpc(io.grpc.Context grpcParent, Context ctx) {
    Objects.requireNonNull(grpcParent, "grpcParent");
    Objects.requireNonNull(ctx, "ctx");
    return ToGrpc.create(grpcParent, ctx);
  }

  // ---- Shared helpers ----------------------------------------------------------------------

  /** The status a call fails with when its context ended with {@code err}. */
  static Status statusOf(ContextDoneException err) {
    Status base =
        err instanceof DeadlineExceededException ? Status.DEADLINE_EXCEEDED : Status.CANCELLED;
    return base.withDescription(err.getMessage()).withCause(err);
  }

  /** {@code ctx}'s deadline as a grpc deadline (same monotonic clock), or null if it has none. */
  static Deadline deadlineOf(Context ctx) {
    return ctx.timeLeft()
        .map(left -> Deadline.after(saturatedNanos(left), TimeUnit.NANOSECONDS))
        .orElse(null);
  }

  private static long saturatedNanos(java.time.Duration d) {
    try {
      return d.toNanos();
    } catch (ArithmeticException e) {
      return Long.MAX_VALUE;
    }
  }
}
