package org.ctx4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * Go's TestBackground and TestTODO: item 1 of the Go conformance checklist ({@code
 * src/test/README.md} of this module).
 */
final class GoConformanceRootsTest {

  private static void checkRoot(Context c, String name) throws InterruptedException {
    assertNotNull(c, name);
    assertNotNull(c.done(), name + ".done()");
    assertFalse(c.done().isDone(), name + ".done().isDone()");
    // "It should block": a bounded wait returns false instead of firing.
    assertFalse(c.done().await(Duration.ofMillis(1)), name + ".done().await(1ms)");
    CompletableFuture<Void> f = c.done().toFuture();
    assertFalse(f.isDone(), name + ".done().toFuture()");
    assertNull(c.err(), name + ".err()");
    assertNull(Context.cause(c), "Context.cause(" + name + ")");
    assertEquals(java.util.Optional.empty(), c.deadline(), name + ".deadline()");
    assertNull(c.value("key"), name + ".value(\"key\")");
    assertNull(c.value(GoConformanceRootsTest.class), name + ".value(Class)");
    c.throwIfDone(); // must not throw
  }

  @Test
  void background() throws InterruptedException {
    Context c = Context.background();
    checkRoot(c, "background()");
    assertSame(c, Context.background(), "background() is always the same instance");
  }

  @Test
  void todo() throws InterruptedException {
    Context c = Context.todo();
    checkRoot(c, "todo()");
    assertSame(c, Context.todo(), "todo() is always the same instance");
  }

  @Test
  void backgroundAndTodoPrintDifferently() {
    String bg = Context.background().toString();
    String todo = Context.todo().toString();
    assertNotNull(bg);
    assertNotNull(todo);
    assertFalse(bg.isEmpty(), "background().toString() is empty");
    assertFalse(todo.isEmpty(), "todo().toString() is empty");
    assertNotEquals(bg, todo, "background() and todo() print the same");
  }

  @Test
  void completingTheFutureViewOfARootChangesNothing() {
    Context c = Context.background();
    CompletableFuture<Void> f = c.done().toFuture();
    f.complete(null);
    f.cancel(true);
    assertFalse(c.done().isDone(), "completing the view fired background()'s done()");
    assertFalse(c.done().toFuture().isDone(), "a fresh view of background()'s done() is done");
    assertNull(c.err());
  }
}
