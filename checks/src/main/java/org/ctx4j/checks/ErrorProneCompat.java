package org.ctx4j.checks;

import com.google.errorprone.VisitorState;
import com.google.errorprone.dataflow.nullnesspropagation.Nullness;
import com.sun.source.util.TreePath;

/**
 * The one place that calls Error Prone API which changed between the releases ctx4j supports
 * (2.42.0 on JDK 17 through 2.50.0+ on JDK 25). Checks call these methods instead of the churning
 * API, so a new Error Prone release means editing this class only.
 */
final class ErrorProneCompat {
  private ErrorProneCompat() {}

  /**
   * What Error Prone's nullness dataflow knows about the expression at {@code path} (which must
   * lead to an expression inside a method, lambda or initializer); {@code NULLABLE} when the
   * analysis cannot run. The signature is the same in
   * 2.42.0 and 2.50.0; it is kept here because the dataflow entry points have moved before.
   */
  static Nullness nullness(TreePath path, VisitorState state) {
    try {
      return state.getNullnessAnalysis().getNullness(path, state.context);
    } catch (RuntimeException | AssertionError e) {
      // The control-flow graph builder rejects some shapes (for example `c ? null : null`, whose
      // type is the null type); then nothing is known.
      return Nullness.NULLABLE;
    }
  }
}
