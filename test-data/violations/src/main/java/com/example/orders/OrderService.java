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
  private final Context rootContext;

  public OrderService(OrderRepository repository, Context rootContext) {
    this.repository = repository;
    this.rootContext = rootContext;
  }

  public Optional<Order> find(Context ctx, String id) {
    CancellableContext lookup = Context.withTimeout(ctx, Duration.ofMillis(500));
    return repository.findById(id, lookup);
  }

  public Order place(Context ctx, String customerId, List<String> items) {
    Order order =
        new Order(UUID.randomUUID().toString(), customerId, items, price(items));
    repository.save(ctx, order);
    return order;
  }

  /** For work that runs outside any request, such as the nightly report. */
  public Context rootContext() {
    return rootContext;
  }

  private static BigDecimal price(List<String> items) {
    return ITEM_PRICE.multiply(BigDecimal.valueOf(items.size()));
  }
}
