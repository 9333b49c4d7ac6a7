package org.ctx4j.checks.nullcontext;

import com.google.errorprone.VisitorState;
import com.google.errorprone.util.ASTHelpers;
import com.sun.source.tree.BlockTree;
import com.sun.source.tree.ClassTree;
import com.sun.source.tree.LambdaExpressionTree;
import com.sun.source.tree.MethodTree;
import com.sun.source.tree.NewClassTree;
import com.sun.source.tree.StatementTree;
import com.sun.source.tree.Tree;
import com.sun.source.tree.VariableTree;
import com.sun.source.util.TreePath;
import com.sun.tools.javac.code.Symbol;
import com.sun.tools.javac.code.Symbol.VarSymbol;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Set;
import javax.lang.model.element.ElementKind;
import org.ctx4j.checks.support.TreeSearch;

/**
 * On which path a local variable that is {@code null} on some paths reaches a use: {@code Context
 * ctx = null; if (retry) { ctx = parent; } fetch(ctx, id);} is null at {@code fetch} when the
 * {@code if (retry)} is not taken. A forward walk of the structured code of the method (or lambda,
 * or initializer) that declares the variable, for that one variable: the facts are the {@code null}
 * assignments that can reach each point unchanged, each with the last branch that let it through.
 *
 * <p>A fact ends at an assignment of anything else, on the branch of a test that says the variable
 * is not null ({@code ctx != null}, {@code Objects.nonNull(ctx)}, {@code ctx instanceof X}), and
 * after a statement that dereferences it whenever it runs ({@code ctx.done()}, {@code
 * Objects.requireNonNull(ctx)}). Only a {@code null} literal (parenthesised or cast) starts one:
 * whatever else a variable is given (a parameter, a field, a call) is unknown, not null.
 *
 * <p>A use inside a lambda or a local or anonymous class reads the value the variable had where the
 * lambda or class was created (it is effectively final there), so that is where it is asked. A
 * shape the walk does not follow (an assignment to the variable inside an expression, a {@code
 * finally} that assigns it, a loop that does not settle) gives no answer, and no finding.
 *
 * <p>This class finds the body and the point of the use, runs the walk and returns the sentence.
 * The walk's parts call only downwards, in this order: {@link StatementWalk} walks the statements,
 * {@link ExpressionWalk} the expressions and conditions (and keeps the facts at the use), {@link
 * ExpressionEffects} tells what an expression does to the variable, {@link ReachingNulls} holds the
 * facts and joins them where paths meet, and {@link PathNames} words the branches and the sentence.
 * Any part may give up by throwing {@link UnfollowedShape}, which this class catches.
 */
final class NullPaths {
  private NullPaths() {}

  /**
   * The sentence that says on which path the local variable at {@code path} is null there ("ctx is
   * null here when the `if (retry)` at line 12 is not taken"), or null when it is not null on any
   * path the walk knows of (or the walk cannot tell). Asked only about a variable that its member
   * assigns the {@code null} literal ({@link NullableLocals#assignedNull}).
   */
  static String whereNull(TreePath path, VisitorState state) {
    Symbol symbol = ASTHelpers.getSymbol(path.getLeaf());
    if (!(symbol instanceof VarSymbol local)
        || (local.getKind() != ElementKind.LOCAL_VARIABLE)
        || path.getCompilationUnit() == null) {
      return null;
    }
    // The body that declares the variable, and the point in it where the use reads its value.
    Tree usePoint = path.getLeaf();
    TreePath usePath = path;
    Tree body = null;
    for (TreePath p = path.getParentPath(); p != null; p = p.getParentPath()) {
      Tree leaf = p.getLeaf();
      Tree candidate = null;
      if (leaf instanceof MethodTree method) {
        candidate = method.getBody();
      } else if (leaf instanceof LambdaExpressionTree lambda) {
        candidate = lambda.getBody();
      } else if (leaf instanceof BlockTree
          && p.getParentPath() != null
          && p.getParentPath().getLeaf() instanceof ClassTree) {
        candidate = leaf; // an initializer block
      }
      if (candidate instanceof BlockTree && declares(candidate, local)) {
        body = candidate;
        break;
      }
      if (leaf instanceof LambdaExpressionTree || leaf instanceof ClassTree) {
        // Captured: the value where the lambda or class is created.
        usePoint = leaf;
        usePath = p;
      }
    }
    if (body == null) {
      return null;
    }
    Set<Tree> onPath = Collections.newSetFromMap(new IdentityHashMap<>());
    for (TreePath p = usePath; p != null && p.getLeaf() != body; p = p.getParentPath()) {
      onPath.add(p.getLeaf());
    }
    if (usePoint instanceof ClassTree
        && usePath.getParentPath().getLeaf() instanceof NewClassTree creation) {
      usePoint = creation; // an anonymous class: created where its `new` is
      onPath.add(creation);
    }
    PathNames names = new PathNames(state, path.getCompilationUnit().getLineMap());
    ExpressionEffects effects = new ExpressionEffects(local, state);
    ExpressionWalk expressions = new ExpressionWalk(effects, usePoint, onPath, names, state);
    try {
      new StatementWalk(local, effects, expressions, names, state)
          .statement((StatementTree) body, ReachingNulls.none());
    } catch (UnfollowedShape e) {
      return null;
    }
    ReachingNulls atUse = expressions.atUse();
    if (atUse == null || atUse.isEmpty()) {
      return null;
    }
    Map.Entry<Tree, String> first = atUse.first();
    return names.sentence(local, first.getKey(), first.getValue());
  }

  /** Whether {@code body} declares {@code local} (not in a lambda or class inside it). */
  private static boolean declares(Tree body, VarSymbol local) {
    return new TreeSearch.OutsideBodies() {
      @Override
      public Boolean visitVariable(VariableTree tree, Void unused) {
        return ASTHelpers.getSymbol(tree) == local
            || Boolean.TRUE.equals(super.visitVariable(tree, null));
      }
    }.foundIn(body);
  }
}
