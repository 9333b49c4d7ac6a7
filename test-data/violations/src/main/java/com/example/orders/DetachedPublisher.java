package com.example.orders;

import org.ctx4j.Context;

/** Marks an order published, on a context its caller cannot cancel when asked. */
final class DetachedPublisher {
  private final OrderRepository repository;

  DetachedPublisher(OrderRepository repository) {
    this.repository = repository;
  }

  void publish(Context ctx, String orderId, boolean detached) {
    Context attempt = null;
    if (detached) {
      attempt = Context.withoutCancel(ctx);
    }
    repository.markPublished(attempt, orderId);
  }
}
