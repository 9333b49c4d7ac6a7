package com.example.orders;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import org.ctx4j.Context;
import org.ctx4j.TaskGroup;

/** Fetches the quotes of several items at once, with errgroup's classic slip. */
public final class QuoteFetcher {
  public Map<String, Integer> quotes(Context ctx, List<String> items)
      throws ExecutionException, InterruptedException {
    Map<String, Integer> quotes = new ConcurrentHashMap<>();
    try (TaskGroup group = TaskGroup.withContext(ctx)) {
      for (String item : items) {
        group.go(c -> quotes.put(item, quote(ctx, item)));
      }
      group.go(c -> quotes.put("total", total(Context.withValue(ctx, QuoteFetcher.class, items))));
      group.await();
    }
    return quotes;
  }

  private static int quote(Context ctx, String item) {
    return item.length();
  }

  private static int total(Context ctx) {
    return 0;
  }
}
