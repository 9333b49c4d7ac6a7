package com.example.orders;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.ctx4j.CancellableContext;
import org.ctx4j.Context;
import org.ctx4j.DeadlineExceededException;

/** Routes HTTP requests to the order service. */
public final class OrderHandler {
  private static final String ORDERS = "/orders/";

  private final OrderService service;

  public OrderHandler(OrderService service) {
    this.service = service;
  }

  public HttpResponse handle(Context parent, HttpRequest request) {
    Context ctx = RequestValues.withRequestId(parent, request.header("X-Request-Id"));
    ctx = RequestValues.withTenant(ctx, request.header("X-Tenant"));
    if (request.method().equals("GET") && request.path().startsWith(ORDERS)) {
      return get(ctx, request.path().substring(ORDERS.length()));
    }
    if (request.method().equals("POST") && request.path().equals("/orders")) {
      return post(ctx, request);
    }
    return HttpResponse.notFound(request.path());
  }

  /**
   * For requests that arrive without a context, such as load-balancer health checks: they get a
   * context that is never cancelled, stated as such.
   */
  public HttpResponse handleUntraced(HttpRequest request) {
    return handle(Context.background(), request);
  }

  private HttpResponse get(Context ctx, String id) {
    try {
      return service
          .find(ctx, id)
          .map(order -> HttpResponse.ok(order.toString()))
          .orElseGet(() -> HttpResponse.notFound("order " + id));
    } catch (DeadlineExceededException e) {
      return HttpResponse.gatewayTimeout();
    }
  }

  private HttpResponse post(Context parent, HttpRequest request) {
    try (CancellableContext ctx = Context.withTimeout(parent, Duration.ofSeconds(2))) {
      List<String> items = parseItems(request.body());
      if (items.isEmpty()) {
        return new HttpResponse(400, "an order needs at least one item");
      }
      Order order = service.place(ctx, request.header("X-Customer"), items);
      return new HttpResponse(201, order.id());
    }
  }

  private static List<String> parseItems(String body) {
    return Arrays.stream(body.split(",", -1)).map(String::trim).filter(s -> !s.isEmpty()).toList();
  }
}
