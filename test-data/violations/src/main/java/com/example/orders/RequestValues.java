package com.example.orders;

import org.ctx4j.Context;

/** The request-scoped values the service passes down: who asked, and for which tenant. */
public final class RequestValues {
  /** The keys of the values below. */
  public enum Key {
    TENANT
  }

  /** The context of the request this thread is serving. */
  static final ThreadLocal<Context> CURRENT = new ThreadLocal<>();

  private RequestValues() {}

  public static Context withRequestId(Context ctx, String requestId) {
    return Context.withValue(ctx, "requestId", requestId);
  }

  public static String requestId(Context ctx) {
    return ctx.value("requestId") instanceof String id ? id : "";
  }

  public static Context withTenant(Context ctx, String tenant) {
    return Context.withValue(ctx, Key.TENANT, tenant);
  }

  public static String tenant(Context ctx) {
    return ctx.value(Key.TENANT) instanceof String tenant ? tenant : "";
  }
}
