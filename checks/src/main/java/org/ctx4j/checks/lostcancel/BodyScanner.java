package org.ctx4j.checks.lostcancel;

import com.sun.source.tree.ClassTree;
import com.sun.source.tree.LambdaExpressionTree;
import com.sun.source.tree.NewClassTree;
import com.sun.source.util.TreePathScanner;

/** Scans a body without entering nested lambdas and class bodies (analysed on their own). */
abstract class BodyScanner extends TreePathScanner<Void, Void> {
  @Override
  public Void visitLambdaExpression(LambdaExpressionTree tree, Void unused) {
    return null;
  }

  @Override
  public Void visitClass(ClassTree tree, Void unused) {
    return null;
  }

  @Override
  public Void visitNewClass(NewClassTree tree, Void unused) {
    scan(tree.getEnclosingExpression(), null);
    scan(tree.getArguments(), null);
    return null;
  }
}
