package org.ctx4j.checks.lostcancel;

import com.google.errorprone.VisitorState;
import com.google.errorprone.util.ASTHelpers;
import com.sun.source.tree.BlockTree;
import com.sun.source.tree.ClassTree;
import com.sun.source.tree.ExpressionStatementTree;
import com.sun.source.tree.IdentifierTree;
import com.sun.source.tree.LambdaExpressionTree;
import com.sun.source.tree.MemberReferenceTree;
import com.sun.source.tree.MemberSelectTree;
import com.sun.source.tree.MethodInvocationTree;
import com.sun.source.tree.NewClassTree;
import com.sun.source.tree.ReturnTree;
import com.sun.source.tree.StatementTree;
import com.sun.source.tree.Tree;
import com.sun.source.tree.TryTree;
import com.sun.source.tree.VariableTree;
import com.sun.source.util.TreePath;
import com.sun.source.util.TreePathScanner;
import com.sun.source.util.TreeScanner;
import com.sun.tools.javac.code.Symbol;
import com.sun.tools.javac.code.Symbol.MethodSymbol;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import javax.lang.model.element.Name;
import org.ctx4j.checks.support.CheckSupport;
import org.ctx4j.checks.support.ContextTypes;

/**
 * The cheap syntactic proofs that let {@link LostCancelAnalysis} skip work: whether a body can
 * store a cancellable context in a local at all (one allocation-free pass, before any path or
 * symbol is looked at), and creation sites that no path can leak, which need no control-flow graph.
 */
final class CancelShortcuts {
  private CancelShortcuts() {}

  /**
   * Whether the body (not its nested lambdas and classes) has a call named like a cancellable
   * factory whose value could land in a local: any such call except one that is, as written, the
   * initializer of a try-with-resources resource (closed by the try, never a site). A body without
   * one has no site, whatever the symbols say.
   */
  static boolean mayStoreAContext(Tree body, VisitorState state) {
    return new TreeScanner<Boolean, Void>() {
      @Override
      public Boolean scan(Tree tree, Void unused) {
        return tree != null && Boolean.TRUE.equals(tree.accept(this, null));
      }

      @Override
      public Boolean reduce(Boolean a, Boolean b) {
        return Boolean.TRUE.equals(a) || Boolean.TRUE.equals(b);
      }

      @Override
      public Boolean visitMethodInvocation(MethodInvocationTree tree, Void unused) {
        return ContextTypes.ENDED_RESOURCE_FACTORY_NAMES.contains(
                CheckSupport.calledName(tree), state)
            || super.visitMethodInvocation(tree, null);
      }

      @Override
      public Boolean visitTry(TryTree tree, Void unused) {
        for (Tree resource : tree.getResources()) {
          if (resource instanceof VariableTree variable
              && variable.getInitializer() instanceof MethodInvocationTree call
              && ContextTypes.ENDED_RESOURCE_FACTORY_NAMES.contains(
                  CheckSupport.calledName(call), state)) {
            if (scan(call.getMethodSelect(), null) || scanAll(call.getArguments())) {
              return true;
            }
          } else if (scan(resource, null)) {
            return true;
          }
        }
        return scan(tree.getBlock(), null)
            || scanAll(tree.getCatches())
            || scan(tree.getFinallyBlock(), null);
      }

      private boolean scanAll(List<? extends Tree> trees) {
        for (Tree tree : trees) {
          if (scan(tree, null)) {
            return true;
          }
        }
        return false;
      }

      @Override
      public Boolean visitLambdaExpression(LambdaExpressionTree tree, Void unused) {
        return false; // analysed on its own
      }

      @Override
      public Boolean visitClass(ClassTree tree, Void unused) {
        return false;
      }

      @Override
      public Boolean visitNewClass(NewClassTree tree, Void unused) {
        return scan(tree.getEnclosingExpression(), null) || scanAll(tree.getArguments());
      }
    }.scan(body, null);
  }

  /**
   * Whether no path can leak the site, by the statements right after its declaration (a statement
   * of a block; the variable is never reassigned, which the caller checks):
   *
   * <ul>
   *   <li>a {@code try} whose {@code finally} starts with {@code c.cancel()}, {@code
   *       c.cancel(cause)} or {@code c.close()}: every path from the declaration, normal or not,
   *       runs it first thing; where exceptional paths are not counted, the same {@code try} after
   *       statements that cannot jump ({@code return}, {@code break}, {@code continue}, {@code
   *       yield}), which a normal path runs through to it;
   *   <li>only where exceptional paths are not counted: {@code return E;} where evaluating {@code
   *       E} hands the context over or ends it on the way, unconditionally ({@code return c;},
   *       {@code return supplyAsync(...).whenComplete((v, e) -> c.cancel());}): the one normal path
   *       leaves with the context discharged.
   * </ul>
   */
  static boolean noPathLeaks(
      CreationSite site, TreePath callPath, boolean exceptionalPaths, VisitorState state) {
    if (!(site.holder() instanceof VariableTree)) {
      return false;
    }
    TreePath holderPath = callPath;
    while (holderPath != null && holderPath.getLeaf() != site.holder()) {
      holderPath = holderPath.getParentPath();
    }
    TreePath blockPath = holderPath == null ? null : holderPath.getParentPath();
    if (blockPath == null || !(blockPath.getLeaf() instanceof BlockTree block)) {
      return false;
    }
    List<? extends StatementTree> statements = block.getStatements();
    int index = statements.indexOf(site.holder());
    if (index < 0 || index + 1 >= statements.size()) {
      return false;
    }
    StatementTree next = statements.get(index + 1);
    if (next instanceof TryTree tryTree) {
      return cancelsFirst(tryTree, site);
    }
    if (!exceptionalPaths) {
      // Statements that cannot jump anywhere, then the try: a normal path reaches the try.
      for (int i = index + 1; i < statements.size() && !jumps(statements.get(i)); i++) {
        if (statements.get(i) instanceof TryTree tryTree) {
          return cancelsFirst(tryTree, site);
        }
      }
    }
    return !exceptionalPaths
        && next instanceof ReturnTree returnTree
        && returnTree.getExpression() != null
        && dischargedOnTheWay(new TreePath(blockPath, returnTree), site, state);
  }

  /**
   * Whether {@code statement} may complete by a jump ({@code return}, {@code break}, {@code
   * continue}, {@code yield}) at any depth outside nested lambdas and classes; a {@code try} is
   * taken as one, so that the search stops at the first.
   */
  private static boolean jumps(StatementTree statement) {
    if (statement instanceof TryTree) {
      return false;
    }
    return Boolean.TRUE.equals(
        new TreeScanner<Boolean, Void>() {
          @Override
          public Boolean reduce(Boolean a, Boolean b) {
            return Boolean.TRUE.equals(a) || Boolean.TRUE.equals(b);
          }

          @Override
          public Boolean visitReturn(ReturnTree tree, Void unused) {
            return true;
          }

          @Override
          public Boolean visitBreak(com.sun.source.tree.BreakTree tree, Void unused) {
            return true;
          }

          @Override
          public Boolean visitContinue(com.sun.source.tree.ContinueTree tree, Void unused) {
            return true;
          }

          @Override
          public Boolean visitYield(com.sun.source.tree.YieldTree tree, Void unused) {
            return true;
          }

          @Override
          public Boolean visitLambdaExpression(LambdaExpressionTree tree, Void unused) {
            return false;
          }

          @Override
          public Boolean visitClass(ClassTree tree, Void unused) {
            return false;
          }
        }.scan(statement, null));
  }

  /**
   * Whether the {@code finally} of {@code next} starts by ending the site's variable: {@code
   * c.cancel()}, {@code group.await()}, ... (a method that ends it, on it), or for a context
   * replaced by {@code attach()}, {@code ctx.detach(previous)}.
   */
  private static boolean cancelsFirst(TryTree next, CreationSite site) {
    BlockTree finallyBlock = next.getFinallyBlock();
    if (finallyBlock == null
        || finallyBlock.getStatements().isEmpty()
        || !(finallyBlock.getStatements().get(0) instanceof ExpressionStatementTree first)
        || !(first.getExpression() instanceof MethodInvocationTree call)
        || !(call.getMethodSelect() instanceof MemberSelectTree select)) {
      return false;
    }
    Name name = select.getIdentifier();
    if (site.resource() == Leak.Resource.GRPC_ATTACHED) {
      return Resources.restores(name)
          && !call.getArguments().isEmpty()
          && call.getArguments().get(0) instanceof IdentifierTree argument
          && ASTHelpers.getSymbol(argument) == site.variable()
          && isGrpcContextMethod(ASTHelpers.getSymbol(call));
    }
    return Resources.endedBy(site.resource(), name)
        && select.getExpression() instanceof IdentifierTree receiver
        && ASTHelpers.getSymbol(receiver) == site.variable();
  }

  /** Whether {@code method} is a method of grpc's {@code Context} or {@code CancellableContext}. */
  private static boolean isGrpcContextMethod(MethodSymbol method) {
    return method != null
        && (method.owner.getQualifiedName().contentEquals(ContextTypes.GRPC_CONTEXT)
            || method
                .owner
                .getQualifiedName()
                .contentEquals(ContextTypes.GRPC_CANCELLABLE_CONTEXT));
  }

  /**
   * Whether the returned expression at {@code returnPath} discharges {@code variable} at a point
   * every normal evaluation of it passes: a read that {@link ContextEscapes} counts as a discharge
   * other than a copy ({@code return c}, {@code return keep(c)}), or a lambda, method reference or
   * anonymous class whose body discharges it ({@code (v, e) -> c.cancel()}, {@code c::cancel}),
   * reached only through call arguments and receivers, parentheses and casts.
   */
  private static boolean dischargedOnTheWay(
      TreePath returnPath, CreationSite site, VisitorState state) {
    Symbol variable = site.variable();
    Set<Leak.Resource> held = EnumSet.of(site.resource());
    boolean[] found = {false};
    new TreePathScanner<Void, Void>() {
      @Override
      public Void scan(Tree tree, Void unused) {
        return found[0] ? null : super.scan(tree, null);
      }

      @Override
      public Void visitIdentifier(IdentifierTree tree, Void unused) {
        if (ASTHelpers.getSymbol(tree) == variable) {
          ContextEscapes.Fate fate = ContextEscapes.follow(getCurrentPath(), held, state).fate;
          found[0] =
              fate != ContextEscapes.Fate.LOCAL
                  && ContextEscapes.discharges(fate)
                  && unconditional(getCurrentPath(), returnPath.getLeaf());
        }
        return null;
      }

      @Override
      public Void visitLambdaExpression(LambdaExpressionTree tree, Void unused) {
        found[0] =
            capturedAndDischarged(getCurrentPath())
                && unconditional(getCurrentPath(), returnPath.getLeaf());
        return null;
      }

      @Override
      public Void visitMemberReference(MemberReferenceTree tree, Void unused) {
        found[0] =
            capturedAndDischarged(getCurrentPath())
                && unconditional(getCurrentPath(), returnPath.getLeaf());
        return null;
      }

      @Override
      public Void visitNewClass(NewClassTree tree, Void unused) {
        if (tree.getClassBody() != null
            && capturedAndDischarged(new TreePath(getCurrentPath(), tree.getClassBody()))
            && unconditional(getCurrentPath(), returnPath.getLeaf())) {
          found[0] = true;
          return null;
        }
        scan(tree.getEnclosingExpression(), null);
        scan(tree.getArguments(), null);
        return null;
      }

      @Override
      public Void visitClass(ClassTree tree, Void unused) {
        return null;
      }

      /** As {@link CancelEvents#capture}: a read inside, at any depth, that discharges it. */
      private boolean capturedAndDischarged(TreePath inside) {
        boolean[] discharged = {false};
        new TreePathScanner<Void, Void>() {
          @Override
          public Void visitIdentifier(IdentifierTree tree, Void unused) {
            discharged[0] |=
                ASTHelpers.getSymbol(tree) == variable
                    && ContextEscapes.discharges(
                        ContextEscapes.follow(getCurrentPath(), held, state).fate);
            return null;
          }
        }.scan(inside, null);
        return discharged[0];
      }
    }.scan(returnPath, null);
    return found[0];
  }

  /**
   * Whether every normal evaluation of {@code stop} evaluates the tree at {@code path}: each tree
   * between them is a call (of which it is the receiver or an argument), a member select,
   * parentheses or a cast.
   */
  private static boolean unconditional(TreePath path, Tree stop) {
    for (TreePath p = path.getParentPath(); p != null; p = p.getParentPath()) {
      Tree parent = p.getLeaf();
      if (parent == stop) {
        return true;
      }
      switch (parent.getKind()) {
        case METHOD_INVOCATION, MEMBER_SELECT, PARENTHESIZED, TYPE_CAST -> {}
        case NEW_CLASS -> {
          if (((NewClassTree) parent).getClassBody() == path.getLeaf()) {
            return false;
          }
        }
        default -> {
          return false;
        }
      }
      path = p;
    }
    return false;
  }
}
