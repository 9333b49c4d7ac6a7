package com.example.orders;

import org.ctx4j.Context;
import org.ctx4j.ContextKey;

/** The tenant of a request, carried in the context. */
public final class TenantKeys {
  /** Readable by every package, which can then read or replace any tenant. */
  public static final ContextKey<String> TENANT = ContextKey.of("tenant", String.class);

  private TenantKeys() {}

  public static Context withTenant(Context ctx, String tenant) {
    return TENANT.with(ctx, tenant);
  }

  public static String tenant(Context ctx) {
    return TENANT.get(ctx);
  }
}
