package com.example.greeter;

import java.time.Duration;
import org.ctx4j.CancellableContext;
import org.ctx4j.Context;

/** Greets within a deadline; prints whether the request's context was still live. */
public final class Greeter {
  private enum Key {
    NAME
  }

  private Greeter() {}

  static String greet(Context ctx) {
    String name = ctx.value(Key.NAME) instanceof String s ? s : "stranger";
    return "hello, " + name + (ctx.err() == null ? "" : " (too late)");
  }

  public static void main(String[] args) {
    Context request = Context.withValue(Context.background(), Key.NAME, "module");
    try (CancellableContext ctx = Context.withTimeout(request, Duration.ofSeconds(5))) {
      System.out.println(
          greet(ctx)
              + " from "
              + Greeter.class.getModule().getName()
              + " using "
              + Context.class.getModule().getName());
    }
  }
}
