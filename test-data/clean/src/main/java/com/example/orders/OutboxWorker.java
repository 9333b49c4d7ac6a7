package com.example.orders;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.ctx4j.CancellableContext;
import org.ctx4j.Context;

/** Publishes placed orders to the warehouse, in the background, until its context is done. */
public final class OutboxWorker {
  private final OrderRepository repository;
  private final List<String> sent = new CopyOnWriteArrayList<>();

  public OutboxWorker(OrderRepository repository) {
    this.repository = repository;
  }

  /** Publishes a batch every second until {@code ctx} is done. */
  public void run(Context ctx) {
    while (ctx.err() == null) {
      publishBatch(ctx);
      try {
        ctx.done().await(Duration.ofSeconds(1));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  /** The ids of the orders published so far. */
  public List<String> sent() {
    return List.copyOf(sent);
  }

  void publishBatch(Context ctx) {
    try (CancellableContext batch = Context.withTimeout(ctx, Duration.ofSeconds(5))) {
      for (Order order : repository.unpublished(batch)) {
        publish(batch, order);
      }
    }
  }

  private void publish(Context ctx, Order order) {
    sent.add(order.id());
    repository.markPublished(ctx, order.id());
  }
}
