package org.ctx4j.checks.support;

import com.sun.source.tree.ClassTree;
import com.sun.source.tree.LambdaExpressionTree;
import com.sun.source.tree.Tree;
import com.sun.source.util.TreeScanner;
import java.util.function.Predicate;

/**
 * Whether a tree holds a node that a subclass looks for: each {@code visit} method that finds one
 * returns true, and the answers of the parts are or-ed. {@link OutsideBodies} does not look inside
 * lambdas and classes; {@link #holds} looks for the nodes a predicate accepts.
 */
public abstract class TreeSearch extends TreeScanner<Boolean, Void> {
  /** Whether {@code tree} (null: no tree) holds a node this search looks for. */
  public final boolean foundIn(Tree tree) {
    return Boolean.TRUE.equals(scan(tree, null));
  }

  /**
   * Whether {@code tree} holds a node (itself included) that {@code match} accepts, not looking
   * inside the nodes that {@code passOver} accepts.
   */
  public static boolean holds(Tree tree, Predicate<Tree> match, Predicate<Tree> passOver) {
    return new TreeSearch() {
      @Override
      public Boolean scan(Tree node, Void unused) {
        if (node == null || passOver.test(node)) {
          return false;
        }
        return match.test(node) || Boolean.TRUE.equals(super.scan(node, null));
      }
    }.foundIn(tree);
  }

  /**
   * Whether {@code tree} holds a node that {@code match} accepts outside lambdas and classes, whose
   * code does not run where it is written.
   */
  public static boolean holdsOutsideBodies(Tree tree, Predicate<Tree> match) {
    return holds(tree, match, TreeSearch::isBody);
  }

  /** Whether {@code tree} is a lambda or a class: code that does not run where it is written. */
  public static boolean isBody(Tree tree) {
    return tree instanceof LambdaExpressionTree || tree instanceof ClassTree;
  }

  @Override
  public final Boolean reduce(Boolean a, Boolean b) {
    return Boolean.TRUE.equals(a) || Boolean.TRUE.equals(b);
  }

  /**
   * A search that passes over lambdas and local, anonymous and nested classes: their code does not
   * run where it is written, and cannot assign a local of the code around them.
   */
  public abstract static class OutsideBodies extends TreeSearch {
    @Override
    public final Boolean visitLambdaExpression(LambdaExpressionTree lambda, Void unused) {
      return false;
    }

    @Override
    public final Boolean visitClass(ClassTree classTree, Void unused) {
      return false;
    }
  }
}
