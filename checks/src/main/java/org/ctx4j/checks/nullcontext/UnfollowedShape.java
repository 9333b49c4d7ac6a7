package org.ctx4j.checks.nullcontext;

/**
 * Thrown by the {@link NullPaths} walk where it meets a shape it does not follow (for example an
 * assignment to the variable inside an expression, a {@code finally} that assigns it, a loop that
 * does not settle, a {@code yield}): the walk has no answer, and there is no finding.
 */
final class UnfollowedShape extends RuntimeException {
  private static final long serialVersionUID = 1L;

  UnfollowedShape() {
    super(null, null, false, false);
  }
}
