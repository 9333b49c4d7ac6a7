package com.example.orders;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.ctx4j.CancellableContext;
import org.ctx4j.Context;

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

  private static BigDecimal price(List<String> items) {
    return ITEM_PRICE.multiply(BigDecimal.valueOf(items.size()));
  }
}
