package org.ctx4j.http;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.ctx4j.Context;
import org.ctx4j.ContextDoneException;
import org.ctx4j.DeadlineExceededException;
import org.ctx4j.Done;
import org.ctx4j.InterruptScope;

/**
 * Sends {@link java.net.http.HttpClient} requests under a ctx4j context, as Go's {@code
 * http.NewRequestWithContext(ctx, ...)} with {@code client.Do(req)} does: the request's timeout is
 * the smaller of its own and the context's time left, the exchange is aborted (its connection
 * closed) as soon as the context ends, and a request under a context that has already ended is
 * never sent.
 *
 * <pre>{@code
 * HttpResponse<String> response =
 *     HttpBridge.send(ctx, client, request, HttpResponse.BodyHandlers.ofString());
 * }</pre>
 *
 * <p>Errors: when the context ends first (or its deadline is what timed the request out), {@code
 * send} throws the context's error ({@link org.ctx4j.CanceledException} or {@link
 * DeadlineExceededException}, unchecked, as {@link Context#sleep} and {@link Context#await} do),
 * and the future of {@code sendAsync} completes exceptionally with it; {@link
 * Context#isCanceled(Throwable)} and {@link Context#isDeadlineExceeded(Throwable)} answer on both.
 * Everything else is the client's own outcome, unchanged: an {@link IOException} (an {@link
 * HttpTimeoutException} for the request's own, smaller timeout).
 *
 * <p>The body: the context covers what the future of {@link HttpClient#sendAsync} covers, that is
 * the whole body for handlers that read it ({@code ofString}, {@code ofByteArray}, {@code ofFile}),
 * but only the status and headers for streaming handlers ({@code ofInputStream}, {@code ofLines},
 * {@code ofPublisher}), whose body is read after the call returns; bound such reads yourself (for
 * example with {@link Context#interruptWhenDone(Context)} or by closing the stream from {@code
 * ctx.done().onDone(...)}).
 */
public final class HttpBridge {
  private HttpBridge() {}

  /**
   * Sends {@code request} under {@code ctx} and waits for the response: Go's {@code
   * client.Do(req.WithContext(ctx))}. The exchange runs as {@link HttpClient#send} runs it; when
   * {@code ctx} ends, the waiting thread is interrupted (through {@link
   * Context#interruptWhenDone(Context)}, whose scope is closed before this method returns, so no
   * interrupt leaks out), which makes the client abort the exchange. Interrupting the waiting
   * thread from elsewhere aborts it too, as with {@code HttpClient.send}.
   *
   * @param ctx the context bounding the exchange
   * @param client the client
   * @param request the request; its own timeout stays if it is smaller than the time left
   * @param handler the response body handler
   * @param <T> the body type
   * @return the response
   * @throws ContextDoneException if {@code ctx} ends first (then the request is aborted) or had
   *     ended already (then it is not sent)
   * @throws IOException if the exchange fails for another reason
   * @throws InterruptedException if the waiting thread is interrupted (the exchange is aborted)
   * @throws NullPointerException if an argument is null
   */
  public static <T> HttpResponse<T> send(
      Context ctx, HttpClient client, HttpRequest request, HttpResponse.BodyHandler<T> handler)
      throws IOException, InterruptedException {
    Objects.requireNonNull(ctx, "ctx");
    Objects.requireNonNull(client, "client");
    Objects.requireNonNull(request, "request");
    Objects.requireNonNull(handler, "handler");
    Bounded bounded = bound(ctx, request);
    // The blocking send, not sendAsync().get(): the public sendAsync moves completion to another
    // pool, a thread hop per request that send does not make.
    try (InterruptScope scope = Context.interruptWhenDone(ctx)) {
      ctx.throwIfDone(); // ended while the request was being bound: send nothing
      return client.send(bounded.request(), handler);
    } catch (InterruptedException e) {
      ContextDoneException err = ctx.err();
      if (err == null) {
        throw e;
      }
      throw err; // the scope, closed by now, delivered the interrupt and cleared it again
    } catch (IOException e) {
      Throwable t = translate(ctx, bounded.contextTimeout(), e);
      if (t instanceof RuntimeException re) {
        throw re;
      }
      throw e;
    }
  }

  /**
   * Sends {@code request} under {@code ctx} without waiting: Go's {@code client.Do} in a goroutine.
   * The returned future completes with the response, or exceptionally with the context's error when
   * {@code ctx} ends first (the exchange is then aborted), or with the client's failure. Cancelling
   * the returned future aborts the exchange too. No thread waits, and the callback placed on {@code
   * ctx} is removed as soon as the exchange completes.
   *
   * @param ctx the context bounding the exchange
   * @param client the client
   * @param request the request; its own timeout stays if it is smaller than the time left
   * @param handler the response body handler
   * @param <T> the body type
   * @return the response's future; already failed with the context's error (nothing sent) if {@code
   *     ctx} has ended
   * @throws NullPointerException if an argument is null
   */
  public static <T> CompletableFuture<HttpResponse<T>> sendAsync(
      Context ctx, HttpClient client, HttpRequest request, HttpResponse.BodyHandler<T> handler) {
    Objects.requireNonNull(ctx, "ctx");
    Objects.requireNonNull(client, "client");
    Objects.requireNonNull(request, "request");
    Objects.requireNonNull(handler, "handler");
    Bounded bounded;
    try {
      bounded = bound(ctx, request);
    } catch (ContextDoneException e) {
      return CompletableFuture.failedFuture(e);
    }
    boolean contextTimeout = bounded.contextTimeout();

    CompletableFuture<HttpResponse<T>> exchange = client.sendAsync(bounded.request(), handler);
    CompletableFuture<HttpResponse<T>> result =
        new CompletableFuture<>() {
          @Override
          public boolean cancel(boolean mayInterruptIfRunning) {
            boolean cancelled = super.cancel(mayInterruptIfRunning);
            if (cancelled) {
              exchange.cancel(true);
            }
            return cancelled;
          }
        };
    Done.Registration registration =
        ctx.done()
            .onDone(
                () -> {
                  ContextDoneException e = ctx.err();
                  // Cancelling the client's future aborts the exchange (JDK 16 and later).
                  if (result.completeExceptionally(
                      e != null ? e : new DeadlineExceededException())) {
                    exchange.cancel(true);
                  }
                });
    CompletableFuture<?> unused =
        exchange.whenComplete(
            (response, failure) -> {
              registration.remove();
              if (failure == null) {
                result.complete(response);
              } else {
                result.completeExceptionally(translate(ctx, contextTimeout, unwrap(failure)));
              }
            });
    return result;
  }

  /**
   * {@code request} with the smaller of its own timeout and {@code ctx}'s time left: for code that
   * sends through another path (another client wrapper, a retry loop) and wants the context's
   * deadline on the wire. Go has no counterpart: its request carries the context itself.
   *
   * @param ctx the context
   * @param request the request
   * @return {@code request} itself if {@code ctx} has no deadline or the request's own timeout is
   *     smaller; else a copy with the time left as its timeout
   * @throws ContextDoneException if {@code ctx} has ended
   * @throws NullPointerException if an argument is null
   */
  public static HttpRequest withTimeLeft(Context ctx, HttpRequest request) {
    Objects.requireNonNull(ctx, "ctx");
    Objects.requireNonNull(request, "request");
    return bound(ctx, request).request();
  }

  /** A request to send, and whether its timeout is the context's time left. */
  private record Bounded(HttpRequest request, boolean contextTimeout) {}

  /** The timeout rule of {@link #withTimeLeft}; throws the context's error if it has ended. */
  private static Bounded bound(Context ctx, HttpRequest request) {
    ctx.throwIfDone();
    Optional<Duration> left = ctx.timeLeft();
    if (left.isEmpty() || !shorter(left.get(), request.timeout())) {
      return new Bounded(request, false);
    }
    if (left.get().isZero()) {
      // The deadline has passed and the context's timer is about to say so: send nothing.
      throw new DeadlineExceededException();
    }
    return new Bounded(withTimeout(request, left.get()), true);
  }

  private static boolean shorter(Duration left, Optional<Duration> own) {
    return own.isEmpty() || left.compareTo(own.get()) < 0;
  }

  private static HttpRequest withTimeout(HttpRequest request, Duration timeout) {
    return HttpRequest.newBuilder(request, (name, value) -> true).timeout(timeout).build();
  }

  private static Throwable unwrap(Throwable failure) {
    return failure instanceof CompletionException && failure.getCause() != null
        ? failure.getCause()
        : failure;
  }

  /**
   * The client's failure, or the context's error when the context has ended (an exchange that fails
   * while its context ends failed because of it, as in Go) or when its deadline is what timed the
   * request out (the client's timer can fire a moment before the context's own).
   */
  private static Throwable translate(Context ctx, boolean contextTimeout, Throwable failure) {
    ContextDoneException err = ctx.err();
    if (err != null) {
      return err;
    }
    if (contextTimeout && failure instanceof HttpTimeoutException) {
      DeadlineExceededException e = new DeadlineExceededException();
      e.addSuppressed(failure);
      return e;
    }
    return failure;
  }
}
