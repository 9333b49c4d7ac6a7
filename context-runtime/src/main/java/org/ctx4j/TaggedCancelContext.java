package org.ctx4j;

import org.jspecify.annotations.Nullable;

/**
 * What {@code withCancel} of a context whose signal never ends (a root, a value chain over one, a
 * {@code withoutCancel} context) returns at leak detection level {@code sample}: a {@link
 * CancelContext} with room for the {@link LeakDetector.Tag} a sampled one is watched through (see
 * {@link LeakDetector}). Sampled or not, such a child is of this one class, so that the factory
 * hands out one type of object and the JIT keeps folding {@code cancel()} against the fields of the
 * object it has just allocated. Level {@code off} never creates one (nor loads this class), so its
 * contexts and its compiled {@code cancel()} are as without leak detection.
 *
 * <p>Invariant: nothing but this object refers to its tag (the detector holds a phantom reference
 * to it), and nothing in the runtime refers to this object: its parent never ends and so never
 * keeps its children, it has no timer, and the detector keeps its parent, not it (only an open
 * {@link LeakDetection.Scope}, which a test closes, lists it). So the tag becomes unreachable
 * exactly when this context does, that is once its owner, every context derived from it and any
 * holder of its {@code done()} are gone. Its own {@link #cancel} is the only way it ends.
 */
final class TaggedCancelContext extends CancelContext {
  /** Null unless sampled; final, so that a context published by a data race carries it too. */
  final LeakDetector.@Nullable Tag tag;

  TaggedCancelContext(Context parent, LeakDetector.@Nullable Tag tag) {
    super(parent, null);
    this.tag = tag;
  }

  /** Cancels this context, then dismisses its watch, if it is sampled (see {@link #tag}). */
  @Override
  public void cancel(@Nullable Throwable cause) {
    super.cancel(cause);
    LeakDetector.Tag t = tag;
    if (t != null) {
      t.dismiss();
    }
  }
}
