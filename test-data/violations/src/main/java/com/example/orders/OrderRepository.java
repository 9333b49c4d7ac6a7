package com.example.orders;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.ctx4j.Context;
import org.ctx4j.ContextDoneException;

/** Stores orders. Every call gives up as soon as the caller's context is done. */
public class OrderRepository {
  private final Map<String, Order> orders = new ConcurrentHashMap<>();
  private final Map<String, Boolean> published = new ConcurrentHashMap<>();

  public Optional<Order> findById(String id, Context ctx) {
    checkActive(ctx);
    return Optional.ofNullable(orders.get(id));
  }

  public void save(Context ctx, Order order) {
    checkActive(ctx);
    orders.put(order.id(), order);
  }

  /** The orders the outbox worker has not published yet. */
  public List<Order> unpublished(Context ctx) {
    checkActive(ctx);
    List<Order> result = new ArrayList<>();
    for (Order order : orders.values()) {
      if (!published.containsKey(order.id())) {
        result.add(order);
      }
    }
    return result;
  }

  public void markPublished(Context ctx, String orderId) {
    checkActive(ctx);
    published.put(orderId, Boolean.TRUE);
  }

  private static void checkActive(Context ctx) {
    ContextDoneException err = ctx.err();
    if (err != null) {
      throw err;
    }
  }
}
