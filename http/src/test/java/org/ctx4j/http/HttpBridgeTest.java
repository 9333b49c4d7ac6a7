package org.ctx4j.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.ctx4j.CanceledException;
import org.ctx4j.CancellableContext;
import org.ctx4j.Context;
import org.ctx4j.ContextDoneException;
import org.ctx4j.DeadlineExceededException;
import org.ctx4j.testing.CountingContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The HTTP bridge against a real loopback server that stalls on purpose. */
final class HttpBridgeTest {
  private static final Duration LIMIT = Duration.ofSeconds(60);

  private final StallingServer server;
  private final HttpClient client =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  private final HttpRequest request;

  HttpBridgeTest() throws Exception {
    server = new StallingServer();
    request = HttpRequest.newBuilder(server.uri()).build();
  }

  @AfterEach
  void tearDown() throws Exception {
    server.close();
  }

  /** Cancels {@code ctx} on another thread once the server has the request. */
  private Thread cancelWhenSeen(CancellableContext ctx) {
    CountDownLatch seen = server.requestSeen;
    Thread t =
        new Thread(
            () -> {
              try {
                if (seen.await(LIMIT.toSeconds(), TimeUnit.SECONDS)) {
                  ctx.cancel();
                }
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            });
    t.start();
    return t;
  }

  private void assertServerSawTheClientLeave() throws InterruptedException {
    assertTrue(
        server.clientGone.await(LIMIT.toSeconds(), TimeUnit.SECONDS),
        "the server never saw the connection closed");
  }

  @Test
  void answersUnderALiveContext() throws Exception {
    try (CancellableContext ctx = Context.withTimeout(Context.background(), LIMIT)) {
      HttpResponse<String> r = HttpBridge.send(ctx, client, request, BodyHandlers.ofString());
      assertEquals(200, r.statusCode());
      assertEquals("hello", r.body());
      assertTrue(r.request().timeout().orElseThrow().compareTo(LIMIT) <= 0);
    }
    HttpResponse<String> r =
        HttpBridge.send(Context.background(), client, request, BodyHandlers.ofString());
    assertEquals("hello", r.body());
    assertTrue(r.request().timeout().isEmpty(), "no timeout without a deadline");
  }

  @Test
  void deadlineAbortsTheExchange() throws Exception {
    server.reset(StallingServer.Mode.STALL);
    try (CancellableContext ctx =
        Context.withTimeout(Context.background(), Duration.ofMillis(400))) {
      ContextDoneException e =
          assertTimeoutPreemptively(
              LIMIT,
              () ->
                  assertThrows(
                      ContextDoneException.class,
                      () -> HttpBridge.send(ctx, client, request, BodyHandlers.ofString())));
      assertInstanceOf(DeadlineExceededException.class, e);
      assertTrue(Context.isDeadlineExceeded(e));
    }
    assertServerSawTheClientLeave();
  }

  @Test
  void cancelAbortsTheExchange() throws Exception {
    server.reset(StallingServer.Mode.STALL);
    CancellableContext ctx = Context.withCancel(Context.background());
    Thread canceller = cancelWhenSeen(ctx);
    ContextDoneException e =
        assertTimeoutPreemptively(
            LIMIT,
            () -> {
              ContextDoneException thrown =
                  assertThrows(
                      ContextDoneException.class,
                      () -> HttpBridge.send(ctx, client, request, BodyHandlers.ofString()));
              assertFalse(Thread.currentThread().isInterrupted(), "an interrupt leaked out");
              return thrown;
            });
    canceller.join();
    assertSame(ctx.err(), e);
    assertTrue(Context.isCanceled(e));
    assertServerSawTheClientLeave();
  }

  @Test
  void cancelAbortsAStalledBody() throws Exception {
    server.reset(StallingServer.Mode.STALL_BODY);
    CancellableContext ctx = Context.withCancel(Context.background());
    Thread canceller = cancelWhenSeen(ctx);
    ContextDoneException e =
        assertTimeoutPreemptively(
            LIMIT,
            () ->
                assertThrows(
                    ContextDoneException.class,
                    () -> HttpBridge.send(ctx, client, request, BodyHandlers.ofString())));
    canceller.join();
    assertTrue(Context.isCanceled(e));
    assertServerSawTheClientLeave();
  }

  @Test
  void asyncCancelAbortsTheExchange() throws Exception {
    server.reset(StallingServer.Mode.STALL);
    CancellableContext ctx = Context.withCancel(Context.background());
    CompletableFuture<HttpResponse<String>> f =
        HttpBridge.sendAsync(ctx, client, request, BodyHandlers.ofString());
    assertTrue(server.requestSeen.await(LIMIT.toSeconds(), TimeUnit.SECONDS));
    assertFalse(f.isDone());
    ctx.cancel();
    Throwable failure =
        assertThrows(Throwable.class, () -> f.get(LIMIT.toSeconds(), TimeUnit.SECONDS));
    assertTrue(Context.isCanceled(failure), failure.toString());
    assertServerSawTheClientLeave();
  }

  @Test
  void cancellingTheReturnedFutureAbortsTheExchange() throws Exception {
    server.reset(StallingServer.Mode.STALL);
    try (CancellableContext ctx = Context.withCancel(Context.background())) {
      CompletableFuture<HttpResponse<String>> f =
          HttpBridge.sendAsync(ctx, client, request, BodyHandlers.ofString());
      assertTrue(server.requestSeen.await(LIMIT.toSeconds(), TimeUnit.SECONDS));
      assertTrue(f.cancel(true));
      assertServerSawTheClientLeave();
      assertTrue(ctx.err() == null, "the context is not the future's to end");
    }
  }

  @Test
  void contextDoneBeforeSendingSendsNothing() throws Exception {
    CancellableContext canceled = Context.withCancel(Context.background());
    canceled.cancel();
    assertSame(
        canceled.err(),
        assertThrows(
            CanceledException.class,
            () -> HttpBridge.send(canceled, client, request, BodyHandlers.ofString())));
    CompletableFuture<HttpResponse<String>> f =
        HttpBridge.sendAsync(canceled, client, request, BodyHandlers.ofString());
    // join() throws the error itself up to JDK 22, a CancellationException caused by it later.
    Throwable c = assertThrows(CancellationException.class, f::join);
    assertTrue(Context.isCanceled(c));
    try (CancellableContext expired = Context.withTimeout(Context.background(), Duration.ZERO)) {
      assertThrows(
          DeadlineExceededException.class,
          () -> HttpBridge.send(expired, client, request, BodyHandlers.ofString()));
    }
    // One request that is sent, so that a stray one would have arrived before it.
    assertEquals(
        "hello",
        HttpBridge.send(Context.background(), client, request, BodyHandlers.ofString()).body());
    assertEquals(1, server.accepted.get(), "the server saw a request from an ended context");
  }

  @Test
  void theRequestsOwnSmallerTimeoutStays() throws Exception {
    server.reset(StallingServer.Mode.STALL);
    HttpRequest quick =
        HttpRequest.newBuilder(server.uri()).timeout(Duration.ofMillis(300)).build();
    try (CancellableContext ctx = Context.withTimeout(Context.background(), LIMIT)) {
      HttpTimeoutException e =
          assertTimeoutPreemptively(
              LIMIT,
              () ->
                  assertThrows(
                      HttpTimeoutException.class,
                      () -> HttpBridge.send(ctx, client, quick, BodyHandlers.ofString())));
      assertFalse(Context.isDeadlineExceeded(e), "the request's own timeout, not the context's");
      assertSame(quick, HttpBridge.withTimeLeft(ctx, quick));
    }
    assertServerSawTheClientLeave();
  }

  @Test
  void withTimeLeftTakesTheSmallerTimeout() {
    try (CancellableContext ctx =
        Context.withTimeout(Context.background(), Duration.ofSeconds(10))) {
      HttpRequest bounded = HttpBridge.withTimeLeft(ctx, request);
      assertTrue(bounded.timeout().orElseThrow().compareTo(Duration.ofSeconds(10)) <= 0);
      assertEquals(request.uri(), bounded.uri());
      assertEquals(request.method(), bounded.method());
      HttpRequest longer =
          HttpRequest.newBuilder(server.uri()).timeout(Duration.ofSeconds(100)).build();
      assertTrue(
          HttpBridge.withTimeLeft(ctx, longer)
                  .timeout()
                  .orElseThrow()
                  .compareTo(Duration.ofSeconds(10))
              <= 0);
    }
    assertSame(request, HttpBridge.withTimeLeft(Context.background(), request));
    CancellableContext canceled = Context.withCancel(Context.background());
    canceled.cancel();
    assertThrows(CanceledException.class, () -> HttpBridge.withTimeLeft(canceled, request));
  }

  @Test
  void abortedExchangesLeaveNoConnectionOpen() throws Exception {
    int threadsBefore = Thread.activeCount();
    for (int i = 0; i < 10; i++) {
      server.reset(StallingServer.Mode.STALL);
      CancellableContext ctx = Context.withCancel(Context.background());
      Thread canceller = cancelWhenSeen(ctx);
      assertThrows(
          CanceledException.class,
          () -> HttpBridge.send(ctx, client, request, BodyHandlers.ofString()));
      canceller.join();
      assertServerSawTheClientLeave();
    }
    assertEquals(10, server.closedByClient.get());
    for (int i = 0; i < 200 && server.open.get() > 0; i++) {
      Thread.sleep(50);
    }
    assertEquals(0, server.open.get(), "connections left open");
    // The client's threads are pooled; ten aborted exchanges must not have left ten behind.
    assertTrue(Thread.activeCount() < threadsBefore + 10, "threads left behind");
  }

  @Test
  void finishedExchangesLeaveNoCallbackOnALongLivedContext() throws Exception {
    CountingContext longLived = new CountingContext();
    for (int i = 0; i < 10; i++) {
      assertEquals(
          "hello", HttpBridge.send(longLived, client, request, BodyHandlers.ofString()).body());
      assertEquals(
          "hello",
          HttpBridge.sendAsync(longLived, client, request, BodyHandlers.ofString())
              .get(LIMIT.toSeconds(), TimeUnit.SECONDS)
              .body());
    }
    assertEquals(0, longLived.liveCallbacks(), "callbacks left on the long-lived context");
    longLived.cancel();
  }

  @Test
  void nullArgumentsNamed() {
    Context bg = Context.background();
    assertEquals(
        "ctx",
        assertThrows(
                NullPointerException.class,
                () -> HttpBridge.send(null, client, request, BodyHandlers.ofString()))
            .getMessage());
    assertEquals(
        "client",
        assertThrows(
                NullPointerException.class,
                () -> HttpBridge.sendAsync(bg, null, request, BodyHandlers.ofString()))
            .getMessage());
    assertEquals(
        "request",
        assertThrows(
                NullPointerException.class,
                () -> HttpBridge.send(bg, client, null, BodyHandlers.ofString()))
            .getMessage());
    assertEquals(
        "handler",
        assertThrows(NullPointerException.class, () -> HttpBridge.send(bg, client, request, null))
            .getMessage());
    assertEquals(
        "request",
        assertThrows(NullPointerException.class, () -> HttpBridge.withTimeLeft(bg, null))
            .getMessage());
  }

  @Test
  void interruptingTheCallerAbortsTheExchange() throws Exception {
    server.reset(StallingServer.Mode.STALL);
    CompletableFuture<Throwable> outcome = new CompletableFuture<>();
    Thread caller =
        new Thread(
            () -> {
              try {
                HttpBridge.send(Context.background(), client, request, BodyHandlers.ofString());
                outcome.complete(null);
              } catch (Throwable t) {
                outcome.complete(t);
              }
            });
    caller.start();
    assertTrue(server.requestSeen.await(LIMIT.toSeconds(), TimeUnit.SECONDS));
    caller.interrupt();
    try {
      assertInstanceOf(
          InterruptedException.class, outcome.get(LIMIT.toSeconds(), TimeUnit.SECONDS));
    } catch (ExecutionException e) {
      throw new AssertionError(e);
    }
    assertServerSawTheClientLeave();
  }
}
