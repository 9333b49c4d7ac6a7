package com.example.orders;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import org.ctx4j.CancellableContext;
import org.ctx4j.Context;

/** Wires the order service together and serves one request. */
public final class Application {
  private Application() {}

  public static void main(String[] args) throws InterruptedException {
    OrderRepository repository = new OrderRepository();
    repository.save(null, new Order("o-1", "c-1", List.of("book"), new BigDecimal("9.90")));

    try (CancellableContext app = Context.withCancel(Context.background())) {
      OrderHandler handler = new OrderHandler(new OrderService(repository, app));
      Thread worker = new Thread(new OutboxWorker(repository, app), "outbox");
      worker.start();

      HttpRequest request = new HttpRequest("GET", "/orders/o-1", Map.of("X-Request-Id", "r-1"), "");
      System.out.println(handler.handle(app, request));
      app.cancel();
      worker.join();
    }
  }
}
