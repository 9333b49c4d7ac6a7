package org.ctx4j;

import java.util.concurrent.CompletableFuture;

/**
 * What {@link Done#toFuture()} returns: a fresh future per call, completed (with null) by the
 * cancel path. The caller owns it: completing or cancelling it changes nothing but this future,
 * and also drops its registration with the context, so it is not kept until the context ends.
 */
final class DoneFuture extends CompletableFuture<Void> {
  final Entry entry =
      new Entry() {
        @Override
        void fire() {
          DoneFuture.this.fire();
        }
      };

  void fire() {
    super.complete(null);
  }

  @Override
  public boolean complete(Void value) {
    boolean r = super.complete(value);
    entry.unlink();
    return r;
  }

  @Override
  public boolean completeExceptionally(Throwable ex) {
    boolean r = super.completeExceptionally(ex);
    entry.unlink();
    return r;
  }

  @Override
  public boolean cancel(boolean mayInterruptIfRunning) {
    boolean r = super.cancel(mayInterruptIfRunning);
    entry.unlink();
    return r;
  }
}
