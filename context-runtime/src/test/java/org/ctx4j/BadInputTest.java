package org.ctx4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

final class BadInputTest {
  private static void npe(String name, Executable call) {
    assertEquals(name, assertThrows(NullPointerException.class, call).getMessage());
  }

  @Test
  void nullArgumentsAreNamed() {
    Context bg = Context.background();
    npe("parent", () -> Context.withCancel(null));
    npe("parent", () -> Context.withTimeout(null, Duration.ZERO));
    npe("timeout", () -> Context.withTimeout(bg, null));
    npe("parent", () -> Context.withDeadline(null, Instant.now()));
    npe("deadline", () -> Context.withDeadline(bg, null));
    npe("timeout", () -> Context.withTimeoutCause(bg, null, new Exception()));
    npe("deadline", () -> Context.withDeadlineCause(bg, null, new Exception()));
    npe("parent", () -> Context.withValue(null, "k", "v"));
    npe("key", () -> Context.withValue(bg, null, "v"));
    npe("parent", () -> Context.withoutCancel(null));
    npe("ctx", () -> Context.afterFunc(null, () -> {}));
    npe("f", () -> Context.afterFunc(bg, null));
    npe("ctx", () -> Context.cause(null));
    npe("ctx", () -> Context.await(null, new java.util.concurrent.CompletableFuture<>()));
    npe("future", () -> Context.await(bg, null));
    npe("ctx", () -> Context.awaitAsync(null, new java.util.concurrent.CompletableFuture<>()));
    npe("future", () -> Context.awaitAsync(bg, null));
    npe("ctx", () -> Context.interruptWhenDone(null));
    npe("key", () -> bg.value(null));
    // Fresh contexts of every kind, before and after a first lookup (which fills a memo).
    try (CancellableContext c = Context.withCancel(bg);
        CancellableContext t = Context.withTimeout(bg, Duration.ofHours(1))) {
      Context v = Context.withValue(bg, "k", "v");
      Context w = Context.withoutCancel(v);
      Context vv = Context.withValue(v, "k2", "v2");
      for (Context x : new Context[] {c, t, v, w, vv}) {
        npe("key", () -> x.value(null));
        x.value("k");
        x.value("absent");
        npe("key", () -> x.value(null));
      }
    }
    try (CancellableContext c = Context.withCancel(bg)) {
      npe("callback", () -> c.done().onDone(null));
      npe("timeout", () -> c.done().await(null));
      npe("callback", () -> bg.done().onDone(null));
      npe("timeout", () -> bg.done().await(null));
    }
  }
}
