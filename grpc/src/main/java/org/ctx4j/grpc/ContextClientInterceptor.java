package org.ctx4j.grpc;

import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.ClientInterceptor;
import io.grpc.Deadline;
import io.grpc.ForwardingClientCall;
import io.grpc.ForwardingClientCallListener;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import java.util.concurrent.locks.ReentrantLock;
import org.ctx4j.Context;
import org.ctx4j.ContextDoneException;
import org.ctx4j.DeadlineExceededException;
import org.ctx4j.Done;

/**
 * Binds each call to one ctx4j context: the deadline goes into the call's {@link CallOptions}, a
 * callback on the context's {@link Done} cancels the call, and the callback is removed when the
 * call closes, so a long-lived context keeps nothing of a finished call.
 */
final class ContextClientInterceptor implements ClientInterceptor {
  private final Context ctx;

  ContextClientInterceptor(Context ctx) {
    this.ctx = ctx;
  }

  @Override
  public <ReqT, RespT> ClientCall<ReqT, RespT> interceptCall(
      MethodDescriptor<ReqT, RespT> method, CallOptions callOptions, Channel next) {
    ContextDoneException err = ctx.err();
    if (err != null) {
      return new FailedCall<>(GrpcBridge.statusOf(err)); // never reaches the channel
    }
    Deadline fromContext = GrpcBridge.deadlineOf(ctx);
    Deadline own = callOptions.getDeadline();
    boolean contextDeadline = fromContext != null && (own == null || fromContext.isBefore(own));
    CallOptions options = contextDeadline ? callOptions.withDeadline(fromContext) : callOptions;
    return new BoundCall<>(next.newCall(method, options), ctx, contextDeadline);
  }

  /** A call bound to a context. */
  private static final class BoundCall<ReqT, RespT>
      extends ForwardingClientCall.SimpleForwardingClientCall<ReqT, RespT> {
    private final Context ctx;
    private final boolean contextDeadline;
    // Written by start() and by onClose(), which may run on different threads: both are volatile,
    // so whichever of the two comes second sees the other and the callback is always removed.
    private volatile Done.Registration registration;
    private volatile boolean closed;
    // Set before the context cancels the call. grpc may still close such a call with OK when the
    // server completed in the same instant (the in-process transport does, when the server's
    // reply races the cancellation): the caller asked to stop, so the call ends with the context's
    // error all the same, as ClientCall.cancel promises that nothing more is received.
    private volatile boolean cancelled;
    // Orders the context's cancel against the caller's sendMessage and halfClose (see
    // contextEnded). A ReentrantLock, not a monitor: a virtual thread waiting on it does not pin
    // its carrier, and a cancel that runs inside start (the context ended just before) re-enters.
    private final ReentrantLock lock = new ReentrantLock();

    BoundCall(ClientCall<ReqT, RespT> delegate, Context ctx, boolean contextDeadline) {
      super(delegate);
      this.ctx = ctx;
      this.contextDeadline = contextDeadline;
    }

    @Override
    public void start(Listener<RespT> responseListener, Metadata headers) {
      super.start(new BoundListener(responseListener), headers);
      Done.Registration r = ctx.done().onDone(this::contextEnded);
      registration = r;
      if (closed) {
        r.remove();
      }
    }

    /**
     * The context ended: cancel the call with its error as the cause (at most once). Under the
     * lock, so that the caller's thread, which may still be between {@code start} and {@code
     * halfClose}, never sends on a call cancelled under it (grpc rejects a message or half-close
     * after {@code cancel} with an {@code IllegalStateException}); it skips them instead.
     */
    private void contextEnded() {
      lock.lock();
      try {
        if (cancelled) {
          return;
        }
        cancelled = true;
        ContextDoneException err = ctx.err();
        delegate().cancel(err == null ? "context ended" : err.getMessage(), err);
      } finally {
        lock.unlock();
      }
    }

    @Override
    public void sendMessage(ReqT message) {
      lock.lock();
      try {
        if (!cancelled) {
          super.sendMessage(message);
        }
      } finally {
        lock.unlock();
      }
    }

    @Override
    public void halfClose() {
      lock.lock();
      try {
        if (!cancelled) {
          super.halfClose();
        }
      } finally {
        lock.unlock();
      }
    }

    /** The status the caller sees: the context's error attached when the context ended the call. */
    Status translate(Status status) {
      Status.Code code = status.getCode();
      if (code == Status.Code.OK && cancelled && ctx.err() != null) {
        return GrpcBridge.statusOf(ctx.err());
      }
      if (code != Status.Code.CANCELLED && code != Status.Code.DEADLINE_EXCEEDED) {
        return status;
      }
      ContextDoneException err = ctx.err();
      if (err == null) {
        if (!(contextDeadline && code == Status.Code.DEADLINE_EXCEEDED)) {
          return status; // not the context's doing
        }
        // grpc's timer for the context's deadline fired a moment before the context's own.
        err = new DeadlineExceededException();
      }
      if (status.getCause() == err) {
        return code == Status.Code.CANCELLED && err instanceof DeadlineExceededException
            ? GrpcBridge.statusOf(err)
            : status;
      }
      Status translated = GrpcBridge.statusOf(err);
      return status.getDescription() == null
          ? translated
          : translated.withDescription(status.getDescription());
    }

    private final class BoundListener
        extends ForwardingClientCallListener.SimpleForwardingClientCallListener<RespT> {
      BoundListener(Listener<RespT> delegate) {
        super(delegate);
      }

      @Override
      public void onClose(Status status, Metadata trailers) {
        closed = true;
        Done.Registration r = registration;
        if (r != null) {
          r.remove();
        }
        super.onClose(translate(status), trailers);
      }
    }
  }

  /** A call whose context had ended before it was made: it fails at start, sending nothing. */
  private static final class FailedCall<ReqT, RespT> extends ClientCall<ReqT, RespT> {
    private final Status status;

    FailedCall(Status status) {
      this.status = status;
    }

    @Override
    public void start(Listener<RespT> responseListener, Metadata headers) {
      responseListener.onClose(status, new Metadata());
    }

    @Override
    public void request(int numMessages) {}

    @Override
    public void cancel(String message, Throwable cause) {}

    @Override
    public void halfClose() {}

    @Override
    public void sendMessage(ReqT message) {}
  }
}
