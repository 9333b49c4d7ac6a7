package org.ctx4j;

/**
 * A child context's place in its parent's list of entries, made when the child registers (see
 * {@link CancelContext}: a child registers only when something must be pushed to it). Removing it
 * is how a child cancelled by its owner leaves its parent.
 */
final class ChildLink extends Entry implements Done.Registration {
  final CancelContext child;

  ChildLink(CancelContext child) {
    this.child = child;
  }

  @Override
  public boolean remove() {
    return unlink();
  }
}
