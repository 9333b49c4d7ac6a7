package org.ctx4j.grpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.Contexts;
import io.grpc.GrpcListenerCounts;
import io.grpc.Status;
import java.lang.ref.WeakReference;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.ctx4j.CanceledException;
import org.ctx4j.CancellableContext;
import org.ctx4j.Context;
import org.ctx4j.DeadlineExceededException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** org.ctx4j.Context to io.grpc.Context and back: cancellation, cause, deadline, no leak. */
final class GrpcConversionTest {
  private static final Duration LIMIT = Duration.ofSeconds(60);
  private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();

  @AfterEach
  void tearDown() {
    scheduler.shutdownNow();
  }

  // ---- io.grpc.Context -> org.ctx4j.Context ------------------------------------------------

  @Test
  void fromGrpcFollowsCancellationWithItsCause() throws InterruptedException {
    io.grpc.Context.CancellableContext g = io.grpc.Context.ROOT.withCancellation();
    CancellableContext ctx = GrpcBridge.fromGrpc(g);
    assertNull(ctx.err());
    assertEquals(1, GrpcListenerCounts.of(g));
    IllegalStateException why = new IllegalStateException("shutting down");
    g.cancel(why);
    assertTrue(ctx.done().await(LIMIT));
    assertInstanceOf(CanceledException.class, ctx.err());
    assertSame(ctx.err(), ctx.err());
    assertSame(why, Context.cause(ctx));
    // A runtime context derived from the converted one sees the same error and cause.
    CancellableContext child = Context.withCancel(ctx);
    assertSame(ctx.err(), child.err());
    assertSame(why, Context.cause(child));
  }

  @Test
  void fromGrpcCarriesTheDeadlineAndEndsWithDeadlineExceeded() throws InterruptedException {
    io.grpc.Context.CancellableContext g =
        io.grpc.Context.ROOT.withDeadlineAfter(300, TimeUnit.MILLISECONDS, scheduler);
    CancellableContext ctx = GrpcBridge.fromGrpc(g);
    assertTrue(ctx.deadline().isPresent());
    assertTrue(ctx.timeLeft().orElseThrow().compareTo(Duration.ofMillis(300)) <= 0);
    assertTrue(ctx.done().await(LIMIT));
    assertInstanceOf(DeadlineExceededException.class, ctx.err());
    assertTrue(Context.isDeadlineExceeded(ctx.err()));
    assertTrue(g.isCancelled() || GrpcListenerCounts.of(g) == 0);
  }

  @Test
  void fromGrpcOfACancelledContextIsDone() {
    io.grpc.Context.CancellableContext g = io.grpc.Context.ROOT.withCancellation();
    g.cancel(new TimeoutException("timed out"));
    CancellableContext ctx = GrpcBridge.fromGrpc(g);
    assertInstanceOf(DeadlineExceededException.class, ctx.err(), "grpc's timeout cause");
  }

  @Test
  void fromGrpcKeepsTheParentsValuesAndDeadlineAndReadsGrpcKeys() throws InterruptedException {
    io.grpc.Context.Key<String> grpcKey = io.grpc.Context.key("user");
    io.grpc.Context.CancellableContext g =
        io.grpc.Context.ROOT.withValue(grpcKey, "ann").withCancellation();
    ContextKeyHolder holder = new ContextKeyHolder();
    try (CancellableContext parent =
        Context.withTimeout(
            Context.withValue(Context.background(), holder, "req-1"), Duration.ofMillis(200))) {
      CancellableContext ctx = GrpcBridge.fromGrpc(parent, g);
      assertEquals("ann", ctx.value(grpcKey));
      assertEquals("req-1", ctx.value(holder));
      assertEquals(parent.deadline(), ctx.deadline());
      assertTrue(ctx.done().await(LIMIT));
      assertInstanceOf(DeadlineExceededException.class, ctx.err(), "the parent's deadline");
      assertEquals(0, GrpcListenerCounts.of(g), "listener left on the grpc context");
      assertFalse(g.isCancelled(), "the ctx4j side never cancels the grpc context it follows");
    }
  }

  @Test
  void fromGrpcDetachesWhenEitherSideEnds() {
    io.grpc.Context.CancellableContext longLived = io.grpc.Context.ROOT.withCancellation();
    for (int i = 0; i < 1000; i++) {
      try (CancellableContext ctx = GrpcBridge.fromGrpc(longLived)) {
        assertNull(ctx.err());
      }
    }
    assertEquals(0, GrpcListenerCounts.of(longLived), "closed conversions left listeners");

    CancellableContext longParent = Context.withCancel(Context.background());
    List<WeakReference<io.grpc.Context>> refs = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      io.grpc.Context.CancellableContext g = io.grpc.Context.ROOT.withCancellation();
      CancellableContext ctx = GrpcBridge.fromGrpc(longParent, g);
      refs.add(new WeakReference<>(g));
      g.cancel(null); // the grpc side ends first: the ctx4j context ends and leaves its parent
      assertTrue(ctx.err() != null);
    }
    try {
      assertTrue(GrpcBridgeTest.allCollected(refs), "an ended grpc context is still reachable");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    longParent.cancel();
    longLived.cancel(null);
  }

  @Test
  void clientCancelNearTheDeadlineCountsAsTheDeadline() {
    io.grpc.Context.CancellableContext g =
        io.grpc.Context.ROOT.withDeadlineAfter(50, TimeUnit.MILLISECONDS, scheduler);
    CancellableContext ctx = GrpcBridge.fromGrpc(g);
    g.cancel(Status.CANCELLED.withDescription("RPC cancelled").asRuntimeException());
    assertInstanceOf(DeadlineExceededException.class, ctx.err());

    io.grpc.Context.CancellableContext far =
        io.grpc.Context.ROOT.withDeadlineAfter(600, TimeUnit.SECONDS, scheduler);
    CancellableContext ctx2 = GrpcBridge.fromGrpc(far);
    far.cancel(Status.CANCELLED.withDescription("RPC cancelled").asRuntimeException());
    assertInstanceOf(CanceledException.class, ctx2.err());
  }

  // ---- org.ctx4j.Context -> io.grpc.Context ------------------------------------------------

  @Test
  void toGrpcFollowsCancellationWithTheCause() {
    CancellableContext ctx = Context.withCancel(Context.background());
    io.grpc.Context.CancellableContext g = GrpcBridge.toGrpc(io.grpc.Context.ROOT, ctx);
    assertFalse(g.isCancelled());
    assertNull(g.getDeadline());
    IllegalStateException why = new IllegalStateException("user left");
    ctx.cancel(why);
    assertTrue(g.isCancelled());
    assertSame(why, g.cancellationCause());

    CancellableContext plain = Context.withCancel(Context.background());
    io.grpc.Context.CancellableContext g2 = GrpcBridge.toGrpc(plain);
    plain.cancel();
    assertSame(plain.err(), g2.cancellationCause());
    Status status = Contexts.statusFromCancelled(g2);
    assertEquals(Status.Code.CANCELLED, status.getCode());
    assertTrue(Context.isCanceled(status.asRuntimeException()));
  }

  @Test
  void toGrpcCarriesTheDeadlineAndEndsAsATimeout() throws Exception {
    try (CancellableContext ctx =
        Context.withTimeout(Context.background(), Duration.ofMillis(300))) {
      io.grpc.Context.CancellableContext g = GrpcBridge.toGrpc(io.grpc.Context.ROOT, ctx);
      assertTrue(g.getDeadline().timeRemaining(TimeUnit.MILLISECONDS) <= 300);
      assertTrue(ctx.done().await(LIMIT));
      assertTrue(g.isCancelled());
      assertInstanceOf(TimeoutException.class, g.cancellationCause());
      Status status = Contexts.statusFromCancelled(g);
      assertEquals(Status.Code.DEADLINE_EXCEEDED, status.getCode());
      assertTrue(Context.isDeadlineExceeded(status.asRuntimeException()));
    }
  }

  @Test
  void toGrpcOfADoneContextIsCancelled() {
    CancellableContext ctx = Context.withCancel(Context.background());
    ctx.cancel();
    assertTrue(GrpcBridge.toGrpc(ctx).isCancelled());
  }

  @Test
  void roundTripKeepsTheErrorKind() throws InterruptedException {
    try (CancellableContext ctx =
        Context.withTimeout(Context.background(), Duration.ofMillis(200))) {
      CancellableContext back = GrpcBridge.fromGrpc(GrpcBridge.toGrpc(ctx));
      assertTrue(back.done().await(LIMIT));
      assertInstanceOf(DeadlineExceededException.class, back.err());
    }
    CancellableContext ctx = Context.withCancel(Context.background());
    io.grpc.Context.CancellableContext g = GrpcBridge.toGrpc(ctx);
    // Cancelled well before a deadline that is near: still a cancellation (the ctx4j error says
    // so).
    CancellableContext back = GrpcBridge.fromGrpc(g);
    ctx.cancel();
    assertInstanceOf(CanceledException.class, back.err());
  }

  @Test
  void toGrpcDetachesWhenTheGrpcSideEnds() throws InterruptedException {
    CancellableContext longLived = Context.withCancel(Context.background());
    List<WeakReference<io.grpc.Context>> refs = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      io.grpc.Context.CancellableContext g = GrpcBridge.toGrpc(io.grpc.Context.ROOT, longLived);
      refs.add(new WeakReference<>(g));
      g.cancel(null);
    }
    assertTrue(GrpcBridgeTest.allCollected(refs), "the ctx4j context keeps ended grpc contexts");

    // The grpc parent ends: the child conversion is cancelled and detaches from the ctx4j side too.
    io.grpc.Context.CancellableContext grpcParent = io.grpc.Context.ROOT.withCancellation();
    List<WeakReference<io.grpc.Context>> children = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      children.add(new WeakReference<>(GrpcBridge.toGrpc(grpcParent, longLived)));
    }
    grpcParent.cancel(null);
    assertTrue(GrpcBridgeTest.allCollected(children));
    longLived.cancel();
  }

  /** An identity key, as a user would keep in a private field. */
  private static final class ContextKeyHolder {}
}
