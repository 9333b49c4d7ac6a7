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
    Nullness nullness = nullnessIfAnalysable(path, state);
    return nullness == null ? Nullness.NULLABLE : nullness;
  }

  /**
   * Like {@link #nullness}, but null when the analysis cannot run on the method or lambda around
   * {@code path}, so that a caller can stop asking about that code (the failure is not cached by
   * Error Prone, and every question would build the control-flow graph again).
   */
  static Nullness nullnessIfAnalysable(TreePath path, VisitorState state) {
    try {
      return state.getNullnessAnalysis().getNullness(path, state.context);
    } catch (RuntimeException | AssertionError e) {
      // The control-flow graph builder rejects some shapes (for example `c ? null : null`, whose
      // type is the null type); then nothing is known.
      return null;
    }
  }

  /**
   * Builds the Checker Framework control-flow graph (Error Prone's shaded copy) of the method or
   * lambda at {@code path}, the way Error Prone's own dataflow does. Error Prone 2.42.0 through
   * 2.50.0 ship the same dataflow release (3.41.0-eisop1); a change there is absorbed here.
   */
  static org.checkerframework.errorprone.dataflow.cfg.ControlFlowGraph buildControlFlowGraph(
      com.sun.source.util.TreePath path, com.google.errorprone.VisitorState state) {
    com.sun.source.tree.ClassTree classTree = null;
    com.sun.source.tree.MethodTree enclosingMethod = null;
    for (com.sun.source.util.TreePath p = path.getParentPath(); p != null; p = p.getParentPath()) {
      com.sun.source.tree.Tree leaf = p.getLeaf();
      if (leaf instanceof com.sun.source.tree.ClassTree) {
        classTree = (com.sun.source.tree.ClassTree) leaf;
        break;
      }
      if (enclosingMethod == null && leaf instanceof com.sun.source.tree.MethodTree) {
        enclosingMethod = (com.sun.source.tree.MethodTree) leaf;
      }
    }
    org.checkerframework.errorprone.dataflow.cfg.UnderlyingAST ast;
    com.sun.source.tree.Tree leaf = path.getLeaf();
    if (leaf instanceof com.sun.source.tree.LambdaExpressionTree) {
      ast =
          new org.checkerframework.errorprone.dataflow.cfg.UnderlyingAST.CFGLambda(
              (com.sun.source.tree.LambdaExpressionTree) leaf, classTree, enclosingMethod);
    } else {
      ast =
          new org.checkerframework.errorprone.dataflow.cfg.UnderlyingAST.CFGMethod(
              (com.sun.source.tree.MethodTree) leaf, classTree);
    }
    javax.annotation.processing.ProcessingEnvironment env =
        com.sun.tools.javac.processing.JavacProcessingEnvironment.instance(state.context);
    com.sun.source.tree.Tree body =
        leaf instanceof com.sun.source.tree.LambdaExpressionTree
            ? ((com.sun.source.tree.LambdaExpressionTree) leaf).getBody()
            : ((com.sun.source.tree.MethodTree) leaf).getBody();
    return org.checkerframework.errorprone.dataflow.cfg.builder.CFGBuilder.build(
        new com.sun.source.util.TreePath(path, body), ast, /* assumeAssertionsEnabled= */ false, /* assumeAssertionsDisabled= */ false, env);
  }
}
