package org.ctx4j;

/** A callback from {@link Done#onDone(Runnable)}, and its {@link Done.Registration}. */
final class CallbackEntry extends Entry implements Done.Registration {
  /** The registration of a callback that has already run (or will never be kept). */
  static final Done.Registration GONE = () -> false;

  private final Runnable callback;

  CallbackEntry(Runnable callback) {
    this.callback = callback;
  }

  @Override
  void fire() {
    callback.run();
  }

  @Override
  public boolean remove() {
    return unlink();
  }
}
