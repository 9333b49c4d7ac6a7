package com.example.orders;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiFunction;
import org.ctx4j.CancellableContext;
import org.ctx4j.Context;

/** Asks the warehouse what is in stock, and reserves items. */
public final class InventoryClient {
  private enum Key {
    ITEM,
    ATTEMPT
  }

  public int available(Context ctx, String item) {
    try (CancellableContext call = Context.withTimeout(Context.background(), Duration.ofMillis(300))) {
      return query(call, item);
    }
  }

  public boolean inStock(Context ctx, String item) {
    return available(Context.todo(), item) > 0;
  }

  public int availableAll(Context ctx, List<String> items) {
    int total = 0;
    for (String item : items) {
      ctx = Context.withValue(ctx, Key.ITEM, item);
      total += available(ctx, item);
    }
    return total;
  }

  public Context withAttempts(Context ctx, int attempts) {
    for (int i = 0; i < attempts; i++) {
      ctx = Context.withValue(ctx, Key.ATTEMPT, i);
    }
    return ctx;
  }

  public int reserved(Context requestContext, String item) {
    return query(requestContext, item);
  }

  public List<Integer> availableEach(Context parent, List<String> items) {
    BiFunction<Context, String, Integer> ask = (ctx, item) -> available(ctx, item);
    return items.stream().map(item -> ask.apply(parent, item)).toList();
  }

  public boolean reserveWithRetry(Context ctx, String item) throws InterruptedException {
    if (inStock(ctx, item)) {
      return true;
    }
    Thread.sleep(100);
    return inStock(ctx, item);
  }

  public int availableLater(Context ctx, CompletableFuture<Integer> pending) {
    return pending.join();
  }

  private static int query(Context ctx, String item) {
    ctx.throwIfDone();
    return item.length();
  }
}
