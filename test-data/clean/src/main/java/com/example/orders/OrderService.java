package com.example.orders;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import org.ctx4j.CancellableContext;
import org.ctx4j.Context;
import org.ctx4j.TaskGroup;

/** The business rules: pricing and placing orders. */
public class OrderService {
  private static final BigDecimal ITEM_PRICE = new BigDecimal("9.90");

  private final OrderRepository repository;

  public OrderService(OrderRepository repository) {
    this.repository = repository;
  }

  public Optional<Order> find(Context ctx, String id) {
    try (CancellableContext lookup = Context.withTimeout(ctx, Duration.ofMillis(500))) {
      return repository.findById(lookup, id);
    }
  }

  public Order place(Context ctx, String customerId, List<String> items) {
    Order order =
        new Order(UUID.randomUUID().toString(), customerId, items, price(items));
    repository.save(ctx, order);
    return order;
  }

  /** Looks the orders up at once; the first failure cancels the other lookups. */
  public Map<String, Order> findAll(Context ctx, List<String> ids)
      throws ExecutionException, InterruptedException {
    Map<String, Order> found = new ConcurrentHashMap<>();
    try (TaskGroup group = TaskGroup.withContext(ctx)) {
      for (String id : ids) {
        group.go(c -> find(c, id).ifPresent(order -> found.put(id, order)));
      }
      group.await();
    }
    return found;
  }

  private static BigDecimal price(List<String> items) {
    return ITEM_PRICE.multiply(BigDecimal.valueOf(items.size()));
  }
}
