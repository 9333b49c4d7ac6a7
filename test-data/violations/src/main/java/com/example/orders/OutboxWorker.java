package com.example.orders;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.ctx4j.CancellableContext;
import org.ctx4j.Context;

/** Publishes placed orders to the warehouse, in the background, until its context is done. */
public final class OutboxWorker implements Runnable {
  private final OrderRepository repository;
  private final Context parent;
  private final List<String> sent = new CopyOnWriteArrayList<>();

  public OutboxWorker(OrderRepository repository, Context parent) {
    this.repository = repository;
    this.parent = parent;
  }

  @Override
  public void run() {
    while (parent.err() == null) {
      publishBatch();
      try {
        parent.done().await(Duration.ofSeconds(1));
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

  void publishBatch() {
    CancellableContext batch = Context.withTimeout(parent, Duration.ofSeconds(5));
    for (Order order : repository.unpublished(batch)) {
      publish(order, batch);
    }
  }

  private void publish(Order order, Context ctx) {
    sent.add(order.id());
    repository.markPublished(ctx, order.id());
  }
}
