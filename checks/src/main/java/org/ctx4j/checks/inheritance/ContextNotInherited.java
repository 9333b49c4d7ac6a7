package org.ctx4j.checks.inheritance;

import static com.google.errorprone.BugPattern.LinkType.CUSTOM;
import static com.google.errorprone.BugPattern.SeverityLevel.WARNING;

import com.google.auto.service.AutoService;
import com.google.errorprone.BugPattern;
import com.google.errorprone.VisitorState;
import com.google.errorprone.bugpatterns.BugChecker;
import com.google.errorprone.fixes.SuggestedFix;
import com.google.errorprone.fixes.SuggestedFixes;
import com.google.errorprone.matchers.Description;
import com.google.errorprone.util.ASTHelpers;
import com.google.errorprone.util.FindIdentifiers;
import com.sun.source.tree.BinaryTree;
import com.sun.source.tree.ClassTree;
import com.sun.source.tree.ConditionalExpressionTree;
import com.sun.source.tree.ExpressionStatementTree;
import com.sun.source.tree.ExpressionTree;
import com.sun.source.tree.IdentifierTree;
import com.sun.source.tree.IfTree;
import com.sun.source.tree.InstanceOfTree;
import com.sun.source.tree.LambdaExpressionTree;
import com.sun.source.tree.MemberSelectTree;
import com.sun.source.tree.MethodInvocationTree;
import com.sun.source.tree.MethodTree;
import com.sun.source.tree.ParenthesizedTree;
import com.sun.source.tree.ReturnTree;
import com.sun.source.tree.Tree;
import com.sun.source.tree.TypeCastTree;
import com.sun.source.tree.VariableTree;
import com.sun.source.util.TreePath;
import com.sun.source.util.TreeScanner;
import com.sun.tools.javac.code.Flags;
import com.sun.tools.javac.code.Symbol.ClassSymbol;
import com.sun.tools.javac.code.Symbol.MethodSymbol;
import com.sun.tools.javac.code.Symbol.VarSymbol;
import com.sun.tools.javac.code.Type;
import javax.lang.model.element.ElementKind;
import javax.lang.model.type.TypeKind;
import org.ctx4j.checks.support.CheckSupport;
import org.ctx4j.checks.support.ContextChecker;
import org.ctx4j.checks.support.ContextChecker.MethodInvocationMatcher;
import org.ctx4j.checks.support.ContextTypes;
import org.ctx4j.checks.support.InternalErrors;

/**
 * Flags {@code Context.background()} or {@code Context.todo()} used where a context is in scope: a
 * parameter of a context type declared by the enclosing method, constructor or lambda, or captured
 * by a lambda, anonymous or local class created there ({@code executor.submit(() ->
 * fetch(Context.background(), id))}, the usual way cancellation and values are lost on the way to
 * an executor). The new root ignores the caller's cancellation, deadline and values. Go:
 * contextcheck ("Function `...` should pass the context parameter").
 *
 * <p>Not flagged: a call whose value is discarded, compared or only asked something, a fallback for
 * a null context, and code inside a {@code main} method. Code with no context anywhere around it
 * (field initializers and initializer blocks of a top-level or member class) has none in scope.
 *
 * <p>The fixes, in order: {@code Context.withoutCancel(ctx)}, which keeps what the program does (a
 * root and {@code withoutCancel(ctx)} are both never cancelled; the values of {@code ctx} come
 * along), so that a bulk patch run changes no behaviour; then {@code ctx} itself, usually what the
 * code means, offered only where it cannot change which overload is called or a {@code var}'s type.
 */
@AutoService(BugChecker.class)
@BugPattern(
    summary =
        "Pass on the context in scope instead of starting a new tree with Context.background() or"
            + " Context.todo()",
    severity = WARNING,
    linkType = CUSTOM,
    link = "https://github.com/ctx4j/ctx4j/blob/main/docs/checks/ContextNotInherited.md")
public final class ContextNotInherited extends ContextChecker implements MethodInvocationMatcher {

  private static final long serialVersionUID = 1L;

  /** Creates the check; Error Prone calls this through the service loader. */
  public ContextNotInherited() {}

  @Override
  public Description matchMethodInvocation(MethodInvocationTree tree, VisitorState state) {
    if (!tree.getArguments().isEmpty()
        || !ContextTypes.ROOT_FACTORY_NAMES.contains(CheckSupport.calledName(tree), state)
        || CheckSupport.ctx4jAbsent(state)) {
      return Description.NO_MATCH;
    }
    return InternalErrors.guard(
        this,
        tree,
        state,
        () -> {
          if (!ContextTypes.ROOT.matches(tree, state)
              || !handedOn(state.getPath())
              || insideMain(state.getPath())) {
            return Description.NO_MATCH;
          }
          Scope scope = Scope.of(state.getPath(), state);
          if (scope == null || fallbackForNull(state.getPath(), scope)) {
            return Description.NO_MATCH;
          }
          VarSymbol ctx = scope.context();
          String root = "Context." + ASTHelpers.getSymbol(tree).getSimpleName() + "()";
          String name = ctx.getSimpleName().toString();
          Description.Builder description =
              buildDescription(tree).setMessage(message(scope, root, name));
          // Every fix here names ctx where the root was: only when that name still means ctx
          // (a lambda or local variable in between may declare its own) and, for a captured
          // parameter, only when Java lets the code capture it.
          boolean nameable =
              FindIdentifiers.findIdent(name, state) == ctx
                  && (!scope.captured() || ASTHelpers.isConsideredFinal(ctx));
          if (!nameable) {
            return description.build();
          }
          // First the fix that keeps what the program does (a root is never cancelled, and neither
          // is withoutCancel(ctx); it only gains the caller's values), so that a bulk patch run
          // changes no behaviour; then the one usually meant, the context itself.
          SuggestedFix.Builder detached = SuggestedFix.builder();
          String context = SuggestedFixes.qualifyType(state, detached, ContextTypes.CONTEXT);
          description.addFix(
              detached.replace(tree, context + ".withoutCancel(" + name + ")").build());
          if (canStandIn(ctx, state)) {
            description.addFix(SuggestedFix.replace(tree, name));
          }
          return description.build();
        });
  }

  private static String message(Scope scope, String root, String name) {
    if (scope.captured()) {
      return "This code runs in a lambda or class created where a context is in scope ("
          + name
          + "); "
          + root
          + " drops its values, deadline and cancellation: derive from it, with"
          + " Context.withoutCancel("
          + name
          + ") for work that may outlive the caller, else "
          + name
          + " itself";
    }
    return "A context is in scope here ("
        + name
        + "); pass it on instead of "
        + root
        + ", which drops its cancellation, deadline and values"
        + " (use Context.withoutCancel("
        + name
        + ") for work that must outlive the caller)";
  }

  /**
   * The context a root should have derived from: the first context parameter of the nearest
   * enclosing method, constructor or lambda that declares one, looking outwards through lambdas,
   * anonymous and local classes (which capture it) but not past any other class (a field
   * initializer or initializer block of a top-level or member class has none, and neither has a
   * local record, enum or interface, which cannot capture).
   *
   * @param body the path to that method, constructor or lambda
   * @param captured whether the root sits in a lambda or class nested inside it, which may run
   *     after the call that created it has ended
   */
  private record Scope(VarSymbol context, TreePath body, boolean captured) {
    static Scope of(TreePath path, VisitorState state) {
      boolean captured = false;
      for (TreePath p = path; p != null; p = p.getParentPath()) {
        Tree leaf = p.getLeaf();
        if (leaf instanceof MethodTree || leaf instanceof LambdaExpressionTree) {
          VarSymbol ctx = CheckSupport.firstContextParameter(leaf, state);
          if (ctx != null) {
            return new Scope(ctx, p, captured);
          }
          captured = true;
        } else if (leaf instanceof ClassTree classTree) {
          ClassSymbol owner = ASTHelpers.getSymbol(classTree);
          if (owner == null
              || !(owner.isAnonymous() || owner.isDirectlyOrIndirectlyLocal())
              || capturesNothing(owner)) {
            return null;
          }
          captured = true;
        }
      }
      return null;
    }
  }

  /**
   * Whether a class declared in a method can see none of the method's variables: a local record,
   * enum or interface is implicitly static, so the context in scope around it is not in scope
   * inside it (Java rejects a reference to it there).
   */
  private static boolean capturesNothing(ClassSymbol owner) {
    return !owner.isAnonymous()
        && ((owner.flags() & Flags.STATIC) != 0
            || owner.getKind() == ElementKind.RECORD
            || owner.getKind() == ElementKind.ENUM
            || owner.getKind().isInterface());
  }

  /**
   * Whether the root's value goes somewhere as a context (passed, assigned, returned, a factory's
   * parent), rather than being discarded, compared ({@code ==}, {@code instanceof}) or only asked
   * something ({@code Context.background().toString()}).
   */
  private static boolean handedOn(TreePath path) {
    TreePath parent = path.getParentPath();
    while (parent.getLeaf() instanceof ParenthesizedTree
        || parent.getLeaf() instanceof TypeCastTree) {
      parent = parent.getParentPath();
    }
    Tree use = parent.getLeaf();
    return !(use instanceof ExpressionStatementTree
        || use instanceof MemberSelectTree
        || use instanceof BinaryTree
        || use instanceof InstanceOfTree);
  }

  /**
   * Whether the root stands in for a null context: it is an arm of {@code c == null ? ... : ...} or
   * inside an {@code if} whose condition tests something against null (the context in scope, or one
   * derived from it), or an argument of a call that also gets {@code ctx} ({@code
   * Objects.requireNonNullElse(ctx, Context.background())}, {@code
   * Optional.ofNullable(ctx).orElse(Context.background())}), up to the body that declares the
   * context (a test around the lambda that holds the root counts). Passing {@code ctx} there
   * instead would pass the null.
   */
  private static boolean fallbackForNull(TreePath path, Scope scope) {
    VarSymbol ctx = scope.context();
    Tree child = path.getLeaf();
    for (TreePath p = path.getParentPath(); p != null; p = p.getParentPath()) {
      Tree leaf = p.getLeaf();
      if (leaf == scope.body().getLeaf()) {
        return false;
      }
      ExpressionTree condition =
          leaf instanceof ConditionalExpressionTree conditionalExpressionTree
              ? conditionalExpressionTree.getCondition()
              : leaf instanceof IfTree ifTree ? ifTree.getCondition() : null;
      if (condition != null && condition != child && comparesWithNull(condition)) {
        return true;
      }
      if (leaf instanceof MethodInvocationTree methodInvocationTree
          && methodInvocationTree.getArguments().contains(child)
          && mentions(leaf, ctx)) {
        return true;
      }
      child = leaf;
    }
    return false;
  }

  private static boolean comparesWithNull(ExpressionTree condition) {
    Boolean found =
        new TreeScanner<Boolean, Void>() {
          @Override
          public Boolean visitBinary(BinaryTree tree, Void unused) {
            ExpressionTree left = ASTHelpers.stripParentheses(tree.getLeftOperand());
            ExpressionTree right = ASTHelpers.stripParentheses(tree.getRightOperand());
            boolean nullTest =
                (tree.getKind() == Tree.Kind.EQUAL_TO || tree.getKind() == Tree.Kind.NOT_EQUAL_TO)
                    && (right.getKind() == Tree.Kind.NULL_LITERAL
                        || left.getKind() == Tree.Kind.NULL_LITERAL);
            return nullTest || Boolean.TRUE.equals(super.visitBinary(tree, null));
          }

          @Override
          public Boolean reduce(Boolean a, Boolean b) {
            return Boolean.TRUE.equals(a) || Boolean.TRUE.equals(b);
          }
        }.scan(condition, null);
    return Boolean.TRUE.equals(found);
  }

  private static boolean mentions(Tree tree, VarSymbol ctx) {
    Boolean found =
        new TreeScanner<Boolean, Void>() {
          @Override
          public Boolean visitIdentifier(IdentifierTree node, Void unused) {
            return ASTHelpers.getSymbol(node) == ctx;
          }

          @Override
          public Boolean reduce(Boolean a, Boolean b) {
            return Boolean.TRUE.equals(a) || Boolean.TRUE.equals(b);
          }
        }.scan(tree, null);
    return Boolean.TRUE.equals(found);
  }

  /** Whether the innermost method around {@code path} is {@code public static void main(...)}. */
  private static boolean insideMain(TreePath path) {
    for (TreePath p = path; p != null; p = p.getParentPath()) {
      if (p.getLeaf() instanceof MethodTree) {
        MethodSymbol method = ASTHelpers.getSymbol((MethodTree) p.getLeaf());
        return method != null
            && method.getSimpleName().contentEquals("main")
            && (method.flags() & Flags.STATIC) != 0
            && method.getParameters().size() == 1
            && method.getReturnType().getKind() == TypeKind.VOID;
      }
    }
    return false;
  }

  /**
   * Whether the context in scope can replace the root call as it is: it is typed {@code Context}
   * itself, or the root goes where only its {@code Context}-ness matters (the parent of a factory,
   * a return, a variable with an explicit type). A subtype elsewhere could choose another overload
   * or change the type of a {@code var}, so then only the {@code withoutCancel} fix is offered.
   */
  private static boolean canStandIn(VarSymbol ctx, VisitorState state) {
    Type context = ContextTypes.contextType(state);
    if (state.getTypes().isSameType(ctx.type, context)) {
      return true;
    }
    TreePath parent = state.getPath().getParentPath();
    while (parent.getLeaf() instanceof ParenthesizedTree) {
      parent = parent.getParentPath();
    }
    Tree use = parent.getLeaf();
    if (use instanceof MethodInvocationTree methodInvocationTree) {
      return ContextTypes.DERIVING_FACTORY.matches(methodInvocationTree, state)
          && ASTHelpers.stripParentheses(methodInvocationTree.getArguments().get(0))
              == state.getPath().getLeaf();
    }
    if (use instanceof VariableTree variableTree) {
      return !ASTHelpers.hasImplicitType(variableTree, state);
    }
    return use instanceof ReturnTree;
  }
}
