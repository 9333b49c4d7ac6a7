package com.example.orders;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.ctx4j.CancellableContext;
import org.ctx4j.Context;

/** Wires the order service together and serves one request. */
public final class Application {
  private Application() {}

  public static void main(String[] args) {
    OrderRepository repository = new OrderRepository();
    OrderHandler handler = new OrderHandler(new OrderService(repository));
    OutboxWorker outbox = new OutboxWorker(repository);
    Server server = new Server(handler, Duration.ofSeconds(2), "orders-1");

    try (CancellableContext app = Context.withCancel(Context.background())) {
      repository.save(app, new Order("o-1", "c-1", List.of("book"), new BigDecimal("9.90")));
      try (CancellableContext outboxJob = server.startJob(app, outbox::run)) {
        HttpRequest request = new HttpRequest("GET", "/orders/o-1", Map.of("X-Request-Id", "r-1"), "");
        System.out.println(server.serve(app, request));
      }
    }
  }
}
