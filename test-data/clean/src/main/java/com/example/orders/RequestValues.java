package com.example.orders;

import org.ctx4j.Context;

/**
 * The request-scoped values the service passes down: who asked, and for which tenant. The key type
 * is private, so no other code can read or overwrite these values by accident.
 */
public final class RequestValues {
  private enum Key {
    REQUEST_ID,
    TENANT
  }

  private RequestValues() {}

  public static Context withRequestId(Context ctx, String requestId) {
    return Context.withValue(ctx, Key.REQUEST_ID, requestId);
  }

  public static String requestId(Context ctx) {
    return ctx.value(Key.REQUEST_ID) instanceof String id ? id : "";
  }

  public static Context withTenant(Context ctx, String tenant) {
    return Context.withValue(ctx, Key.TENANT, tenant);
  }

  public static String tenant(Context ctx) {
    return ctx.value(Key.TENANT) instanceof String tenant ? tenant : "";
  }
}
