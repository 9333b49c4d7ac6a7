package org.ctx4j;

import java.lang.ref.Reference;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * What a factory returns for a context that leak detection watches: the handle that carries the
 * cancel duty, in front of the {@link CancelContext} that does the work ({@link #node}).
 *
 * <p>Invariant: only the context's owner holds this object; the runtime holds the node. A parent
 * keeps its registered children's nodes, a timer keeps its node, and a child or value context
 * derived from this one has the node as its parent (the factories unwrap it, see {@link
 * LeakDetector#unwrap}); the node never points back here. So this object becomes unreachable
 * exactly when no code can call {@link #cancel} any more, whatever the runtime still holds, and the
 * {@link LeakDetector.Watch} (a phantom reference to it) then tells the detector, which holds the
 * node, not this.
 */
final class WatchedContext extends BaseContext implements CancellableContext {
  final CancelContext node;
  final LeakDetector.Watch watch;

  WatchedContext(CancelContext node, LeakDetector.Entry entry, boolean sampled) {
    super(node.parent);
    this.node = node;
    this.watch = new LeakDetector.Watch(this, entry, sampled);
  }

  @Override
  Context signal() {
    return node;
  }

  @Override
  @Nullable Throwable cause() {
    return node.cause();
  }

  @Override
  @Nullable Object causeSource() {
    return node.causeSource();
  }

  @Override
  void describe(StringBuilder sb) {
    node.describe(sb);
  }

  @Override
  public Optional<Instant> deadline() {
    return node.deadline();
  }

  @Override
  public Done done() {
    return node.done();
  }

  @Override
  public @Nullable ContextDoneException err() {
    return node.err();
  }

  @Override
  public @Nullable Object value(Object key) {
    return node.value(key);
  }

  @Override
  public void throwIfDone() {
    node.throwIfDone();
  }

  @Override
  public Optional<Duration> timeLeft() {
    return node.timeLeft();
  }

  @Override
  public void cancel() {
    cancel(null);
  }

  /**
   * Cancels the node, then stops watching. In that order: if this object becomes unreachable in
   * between, the detector finds the node done and reports nothing.
   */
  @Override
  public void cancel(@Nullable Throwable cause) {
    try {
      node.cancel(cause);
      watch.dismiss();
    } finally {
      Reference.reachabilityFence(this);
    }
  }

  @Override
  public void close() {
    cancel(null);
  }
}
