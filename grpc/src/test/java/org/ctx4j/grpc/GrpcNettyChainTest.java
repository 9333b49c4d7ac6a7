package org.ctx4j.grpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.InsecureChannelCredentials;
import io.grpc.InsecureServerCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.ServerInterceptors;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.UnaryOperator;
import org.ctx4j.CanceledException;
import org.ctx4j.CancellableContext;
import org.ctx4j.Context;
import org.ctx4j.ContextDoneException;
import org.ctx4j.DeadlineExceededException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Two servers on real loopback Netty channels: A's handler calls B under the context it received,
 * so the client's deadline and a client's cancel reach B through A, as they do across grpc-go
 * services.
 */
final class GrpcNettyChainTest {
  private static final Duration LIMIT = Duration.ofSeconds(60);

  private final AtomicReference<Optional<Duration>> bTimeLeft = new AtomicReference<>();
  private final AtomicReference<ContextDoneException> bError = new AtomicReference<>();
  private final AtomicReference<ContextDoneException> aError = new AtomicReference<>();
  private final CountDownLatch bStarted = new CountDownLatch(1);
  private final CountDownLatch bEnded = new CountDownLatch(1);
  private final CountDownLatch aEnded = new CountDownLatch(1);
  private volatile boolean bWaits;

  private final Server serverB;
  private final ManagedChannel toB;
  private final Server serverA;
  private final ManagedChannel toA;

  GrpcNettyChainTest() throws Exception {
    serverB = start(this::handleB);
    toB = channel(serverB);
    serverA = start(this::handleA);
    toA = channel(serverA);
  }

  private static Server start(UnaryOperator<String> handler) throws Exception {
    return NettyServerBuilder.forAddress(
            new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
            InsecureServerCredentials.create())
        .addService(
            ServerInterceptors.intercept(
                EchoService.service(handler), GrpcBridge.serverInterceptor()))
        .build()
        .start();
  }

  private static ManagedChannel channel(Server server) {
    return NettyChannelBuilder.forAddress(
            new InetSocketAddress(InetAddress.getLoopbackAddress(), server.getPort()),
            InsecureChannelCredentials.create())
        .build();
  }

  @AfterEach
  void tearDown() throws InterruptedException {
    for (ManagedChannel c : new ManagedChannel[] {toA, toB}) {
      c.shutdownNow().awaitTermination(30, TimeUnit.SECONDS);
    }
    for (Server s : new Server[] {serverA, serverB}) {
      s.shutdownNow().awaitTermination(30, TimeUnit.SECONDS);
    }
  }

  /** A: forwards to B under its own call's context (Go: passes its ctx on). */
  private String handleA(String request) {
    Context ctx = GrpcBridge.currentContext();
    try {
      return "A>" + GrpcBridge.withContext(ctx, new EchoService.EchoStub(toB)).echo(request);
    } finally {
      aError.set(ctx.err());
      aEnded.countDown();
    }
  }

  /** B: reports what it received; waits for its context when told to. */
  private String handleB(String request) {
    Context ctx = GrpcBridge.currentContext();
    bTimeLeft.set(ctx.timeLeft());
    bStarted.countDown();
    if (!bWaits) {
      return "B:" + request;
    }
    try {
      ctx.done().await(LIMIT);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    bError.set(ctx.err());
    bEnded.countDown();
    return "B-ended";
  }

  private EchoService.EchoStub stubA() {
    return new EchoService.EchoStub(toA);
  }

  @Test
  void deadlineTravelsThroughA() {
    try (CancellableContext ctx =
        Context.withTimeout(Context.background(), Duration.ofSeconds(20))) {
      assertEquals("A>B:x", GrpcBridge.withContext(ctx, stubA()).echo("x"));
    }
    Duration left = bTimeLeft.get().orElseThrow();
    assertTrue(left.compareTo(Duration.ofSeconds(20)) <= 0, left.toString());
    assertTrue(left.compareTo(Duration.ZERO) > 0, left.toString());
  }

  @Test
  void clientCancelReachesB() throws Exception {
    bWaits = true;
    CancellableContext ctx = Context.withTimeout(Context.background(), Duration.ofSeconds(120));
    Thread canceller =
        new Thread(
            () -> {
              try {
                bStarted.await();
              } catch (InterruptedException e) {
                return;
              }
              ctx.cancel();
            });
    canceller.start();
    StatusRuntimeException e =
        assertTimeoutPreemptively(
            LIMIT,
            () ->
                assertThrows(
                    StatusRuntimeException.class,
                    () -> GrpcBridge.withContext(ctx, stubA()).echo("x")));
    canceller.join();
    assertEquals(Status.Code.CANCELLED, e.getStatus().getCode());
    assertTrue(Context.isCanceled(e));
    assertTrue(bEnded.await(LIMIT.toSeconds(), TimeUnit.SECONDS), "B never saw the cancel");
    assertInstanceOf(CanceledException.class, bError.get());
    assertTrue(aEnded.await(LIMIT.toSeconds(), TimeUnit.SECONDS));
    assertInstanceOf(CanceledException.class, aError.get());
  }

  @Test
  void clientDeadlineEndsBWithDeadlineExceeded() throws Exception {
    bWaits = true;
    try (CancellableContext ctx =
        Context.withTimeout(Context.background(), Duration.ofMillis(500))) {
      StatusRuntimeException e =
          assertTimeoutPreemptively(
              LIMIT,
              () ->
                  assertThrows(
                      StatusRuntimeException.class,
                      () -> GrpcBridge.withContext(ctx, stubA()).echo("x")));
      assertEquals(Status.Code.DEADLINE_EXCEEDED, e.getStatus().getCode());
      assertTrue(Context.isDeadlineExceeded(e));
    }
    assertTrue(bEnded.await(LIMIT.toSeconds(), TimeUnit.SECONDS), "B never saw the deadline");
    assertInstanceOf(DeadlineExceededException.class, bError.get());
    assertTrue(aEnded.await(LIMIT.toSeconds(), TimeUnit.SECONDS));
    assertInstanceOf(DeadlineExceededException.class, aError.get());
  }
}
