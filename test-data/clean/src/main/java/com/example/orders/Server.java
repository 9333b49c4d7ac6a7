package com.example.orders;

import java.time.Duration;
import java.util.function.BiFunction;
import java.util.function.Consumer;
import org.ctx4j.CancellableContext;
import org.ctx4j.Context;

/**
 * Serves each request under a per-request deadline, and starts background jobs whose lifetime the
 * caller owns. Shapes the checks must accept: a field of a functional type that takes a context, a
 * cancel in a finally block, a context handed to the caller and captured by the job's thread, and
 * a private identity key.
 */
public final class Server {
  private static final Object SERVER_NAME = new Object();

  private final BiFunction<Context, HttpRequest, HttpResponse> route;
  private final Duration requestTimeout;
  private final String name;

  public Server(OrderHandler handler, Duration requestTimeout, String name) {
    this.route = handler::handle;
    this.requestTimeout = requestTimeout;
    this.name = name;
  }

  /** Serves one request; it is cancelled, whatever happens, when the response is ready. */
  public HttpResponse serve(Context ctx, HttpRequest request) {
    CancellableContext perRequest = Context.withTimeout(ctx, requestTimeout);
    try {
      return route.apply(Context.withValue(perRequest, SERVER_NAME, name), request);
    } finally {
      perRequest.cancel();
    }
  }

  /**
   * Runs {@code job} on a thread of its own until the returned context is cancelled (or {@code ctx}
   * is done); the caller owns it and must close it.
   */
  public CancellableContext startJob(Context ctx, Consumer<Context> job) {
    CancellableContext jobContext = Context.withCancel(ctx);
    Thread thread = new Thread(() -> job.accept(jobContext), "job");
    thread.start();
    return jobContext;
  }

  /** The name of the server a request is served by, or the empty string outside a request. */
  public static String serverName(Context ctx) {
    return ctx.value(SERVER_NAME) instanceof String s ? s : "";
  }
}
