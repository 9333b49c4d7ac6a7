package com.example.orders;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import org.ctx4j.Context;
import org.ctx4j.TaskGroup;

/** Fetches the quotes of several items at once, with errgroup's classic slip. */
public final class QuoteFetcher {
  private enum Key {
    ITEMS
  }

  public Map<String, Integer> quotes(Context ctx, List<String> items)
      throws ExecutionException, InterruptedException {
    Map<String, Integer> quotes = new ConcurrentHashMap<>();
    try (TaskGroup group = TaskGroup.withContext(ctx)) {
      for (String item : items) {
        group.go(c -> quotes.put(item, quote(ctx, item)));
      }
      group.go(c -> quotes.put("total", total(Context.withValue(ctx, Key.ITEMS, items))));
      group.await();
    }
    return quotes;
  }

  private static int quote(Context ctx, String item) {
    return ctx.err() == null ? item.length() : 0;
  }

  private static int total(Context ctx) {
    return ctx.value(Key.ITEMS) instanceof List<?> items ? items.size() : 0;
  }
}
