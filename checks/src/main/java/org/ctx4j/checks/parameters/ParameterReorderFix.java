package org.ctx4j.checks.parameters;

import com.google.errorprone.VisitorState;
import com.google.errorprone.fixes.SuggestedFix;
import com.google.errorprone.util.ASTHelpers;
import com.sun.source.tree.CompilationUnitTree;
import com.sun.source.tree.ExpressionTree;
import com.sun.source.tree.IdentifierTree;
import com.sun.source.tree.LiteralTree;
import com.sun.source.tree.MemberReferenceTree;
import com.sun.source.tree.MemberSelectTree;
import com.sun.source.tree.MethodInvocationTree;
import com.sun.source.tree.MethodTree;
import com.sun.source.tree.NewClassTree;
import com.sun.source.tree.Tree;
import com.sun.source.util.TreeScanner;
import com.sun.tools.javac.code.Flags;
import com.sun.tools.javac.code.Symbol;
import com.sun.tools.javac.code.Symbol.ClassSymbol;
import com.sun.tools.javac.code.Symbol.MethodSymbol;
import com.sun.tools.javac.code.Symbol.VarSymbol;
import java.util.ArrayList;
import java.util.List;
import javax.lang.model.element.ElementKind;
import org.ctx4j.checks.support.CheckSupport;
import org.ctx4j.checks.support.ContextTypes;

/**
 * The fix of {@code ContextNotFirstParameter}: moves a method's context parameters to the front of
 * its parameter list and every call's arguments with them. It answers "can every caller be
 * rewritten safely": only when this compilation unit sees every use of the method (it is private,
 * or inside a private, local or anonymous class), no use is a method reference or an override, no
 * other overload could start to compete, no moved argument contains a call another reorder may
 * rewrite, and no call moves more than one argument that could observe or cause a side effect.
 * Otherwise the fix is empty.
 */
final class ParameterReorderFix {
  private ParameterReorderFix() {}

  /** {@code order[j]} is the index of the parameter that moves to position {@code j}. */
  private static int[] contextsFirst(boolean[] context) {
    int[] order = new int[context.length];
    int next = 0;
    for (int i = 0; i < context.length; i++) {
      if (context[i]) {
        order[next++] = i;
      }
    }
    for (int i = 0; i < context.length; i++) {
      if (!context[i]) {
        order[next++] = i;
      }
    }
    return order;
  }

  /**
   * The reorder fix for {@code tree} (the declaration of {@code method}), where {@code context[i]}
   * says whether parameter {@code i} is a context; empty when some use cannot be rewritten safely.
   */
  static SuggestedFix reorderFix(
      MethodTree tree, MethodSymbol method, boolean[] context, VisitorState state) {
    if (!CheckSupport.confinedToCompilationUnit(method)
        || CheckSupport.hasCompetingOverload(method, state)) {
      return SuggestedFix.emptyFix();
    }
    CompilationUnitTree unit = state.getPath().getCompilationUnit();
    Uses uses = new Uses(method, state);
    uses.scan(unit, null);
    if (uses.unsafe) {
      return SuggestedFix.emptyFix();
    }
    int[] order = contextsFirst(context);
    int permuted = method.isVarArgs() ? order.length - 1 : order.length;
    if (method.isVarArgs() && order[order.length - 1] != order.length - 1) {
      return SuggestedFix.emptyFix(); // cannot happen: a varargs parameter is an array
    }
    List<Edit> edits = new ArrayList<>();
    if (!permute(tree.getParameters(), order, permuted, false, edits, state)) {
      return SuggestedFix.emptyFix();
    }
    for (List<? extends ExpressionTree> arguments : uses.calls) {
      if (arguments.size() < permuted
          || (!method.isVarArgs() && arguments.size() != permuted)
          || movedArgumentCallsFixable(arguments, order, permuted, method, state)
          || !permute(arguments, order, permuted, true, edits, state)) {
        return SuggestedFix.emptyFix();
      }
    }
    // Error Prone rejects a fix whose replacements overlap, and it does so while printing the
    // finding, after this check has returned: an overlap would crash javac. Never offer one.
    edits.sort((a, b) -> Integer.compare(a.start, b.start));
    for (int i = 1; i < edits.size(); i++) {
      if (edits.get(i).start < edits.get(i - 1).end) {
        return SuggestedFix.emptyFix();
      }
    }
    SuggestedFix.Builder fix = SuggestedFix.builder();
    for (Edit edit : edits) {
      fix.replace(edit.start, edit.end, edit.text);
    }
    return fix.build();
  }

  /** One replacement of the fix: the source range {@code [start, end)} becomes {@code text}. */
  private static final class Edit {
    final int start;
    final int end;
    final String text;

    Edit(int start, int end, String text) {
      this.start = start;
      this.end = end;
      this.text = text;
    }
  }

  /**
   * Whether an argument that the fix would move contains (anywhere inside it: nested calls,
   * lambdas, anonymous classes) a call that some reorder fix may rewrite: another call of {@code
   * method}, whose edits would overlap this fix's own, or a call of another method of this
   * compilation unit with a misplaced context parameter, whose own fix would edit text this fix
   * moves (applied together, as {@code -XepPatchChecks} does, one of them would be lost and the
   * result would not compile).
   */
  private static boolean movedArgumentCallsFixable(
      List<? extends ExpressionTree> arguments,
      int[] order,
      int count,
      MethodSymbol method,
      VisitorState state) {
    for (int j = 0; j < count; j++) {
      if (order[j] != j && containsFixableCall(arguments.get(order[j]), method, state)) {
        return true;
      }
    }
    return false;
  }

  private static boolean containsFixableCall(Tree tree, MethodSymbol method, VisitorState state) {
    Boolean found =
        new TreeScanner<Boolean, Void>() {
          @Override
          public Boolean visitMethodInvocation(MethodInvocationTree call, Void unused) {
            if (mayBeReordered(ASTHelpers.getSymbol(call))) {
              return true;
            }
            return super.visitMethodInvocation(call, null);
          }

          @Override
          public Boolean visitNewClass(NewClassTree call, Void unused) {
            if (mayBeReordered(ASTHelpers.getSymbol(call))) {
              return true;
            }
            return super.visitNewClass(call, null);
          }

          private boolean mayBeReordered(MethodSymbol called) {
            return called != null
                && (called == method
                    || (CheckSupport.confinedToCompilationUnit(called)
                        && hasMisplacedContext(called, state)));
          }

          @Override
          public Boolean reduce(Boolean a, Boolean b) {
            return Boolean.TRUE.equals(a) || Boolean.TRUE.equals(b);
          }
        }.scan(tree, null);
    return Boolean.TRUE.equals(found);
  }

  /** Whether some context parameter of {@code method} comes after a parameter that is not one. */
  private static boolean hasMisplacedContext(MethodSymbol method, VisitorState state) {
    boolean seenOther = false;
    for (VarSymbol parameter : method.getParameters()) {
      if (!ContextTypes.isContextValued(parameter.type, state)) {
        seenOther = true;
      } else if (seenOther) {
        return true;
      }
    }
    return false;
  }

  /**
   * Replaces element {@code j} by element {@code order[j]} for the first {@code count} elements.
   * For arguments, refuses (returns false) when more than one of them could observe or cause a side
   * effect, because moving them would change what the program does.
   */
  private static boolean permute(
      List<? extends Tree> elements,
      int[] order,
      int count,
      boolean arguments,
      List<Edit> edits,
      VisitorState state) {
    if (arguments) {
      int unstable = 0;
      for (int i = 0; i < count; i++) {
        if (!isStable((ExpressionTree) elements.get(i))) {
          unstable++;
        }
      }
      if (unstable > 1) {
        return false;
      }
    }
    // Exact source ranges of the elements themselves: comments between them stay where they are.
    CharSequence source = state.getSourceCode();
    if (source == null) {
      return false;
    }
    int[] starts = new int[count];
    int[] ends = new int[count];
    for (int i = 0; i < count; i++) {
      starts[i] = ASTHelpers.getStartPosition(elements.get(i));
      ends[i] = state.getEndPosition(elements.get(i));
      if (starts[i] < 0 || ends[i] <= starts[i] || ends[i] > source.length()) {
        return false;
      }
    }
    for (int j = 0; j < count; j++) {
      if (order[j] != j) {
        int from = order[j];
        edits.add(
            new Edit(starts[j], ends[j], source.subSequence(starts[from], ends[from]).toString()));
      }
    }
    return true;
  }

  /**
   * An expression whose value cannot change, and which has no side effect, wherever it is evaluated
   * among the other arguments: literals, {@code this}, type names, class literals, final or
   * effectively final variables, final fields of stable objects, lambdas, method references on
   * stable receivers, and {@code Context.background()} / {@code Context.todo()}.
   */
  private static boolean isStable(ExpressionTree argument) {
    ExpressionTree e = ASTHelpers.stripParentheses(argument);
    if (e instanceof LiteralTree) {
      return true;
    }
    switch (e.getKind()) {
      case LAMBDA_EXPRESSION -> {
        return true;
      }
      case MEMBER_REFERENCE -> {
        ExpressionTree qualifier = ((MemberReferenceTree) e).getQualifierExpression();
        return isTypeName(qualifier) || isStable(qualifier);
      }
      case IDENTIFIER -> {
        Symbol sym = ASTHelpers.getSymbol(e);
        String name = ((IdentifierTree) e).getName().toString();
        if (name.equals("this") || name.equals("super") || sym instanceof ClassSymbol) {
          return true;
        }
        return sym instanceof VarSymbol && ASTHelpers.isConsideredFinal(sym);
      }
      case MEMBER_SELECT -> {
        MemberSelectTree select = (MemberSelectTree) e;
        Symbol sym = ASTHelpers.getSymbol(e);
        if (select.getIdentifier().contentEquals("class")
            || select.getIdentifier().contentEquals("this")
            || sym instanceof ClassSymbol) {
          return true;
        }
        return sym instanceof VarSymbol
            && (sym.flags() & Flags.FINAL) != 0
            && (isTypeName(select.getExpression()) || isStable(select.getExpression()));
      }
      case METHOD_INVOCATION -> {
        MethodSymbol sym = ASTHelpers.getSymbol((MethodInvocationTree) e);
        return sym != null
            && ((MethodInvocationTree) e).getArguments().isEmpty()
            && ContextTypes.isRootFactory(sym);
      }
      default -> {
        return false;
      }
    }
  }

  private static boolean isTypeName(ExpressionTree tree) {
    Symbol sym = ASTHelpers.getSymbol(tree);
    return sym != null && (sym instanceof ClassSymbol || sym.getKind() == ElementKind.PACKAGE);
  }

  /** Every use of one method in a compilation unit, and whether any of them blocks the fix. */
  private static final class Uses extends TreeScanner<Void, Void> {
    private final MethodSymbol method;
    private final VisitorState state;
    final List<List<? extends ExpressionTree>> calls = new ArrayList<>();
    boolean unsafe;

    Uses(MethodSymbol method, VisitorState state) {
      this.method = method;
      this.state = state;
    }

    @Override
    public Void visitMethodInvocation(MethodInvocationTree tree, Void unused) {
      if (ASTHelpers.getSymbol(tree) == method) {
        calls.add(tree.getArguments());
      }
      return super.visitMethodInvocation(tree, null);
    }

    @Override
    public Void visitNewClass(NewClassTree tree, Void unused) {
      Symbol constructor = ASTHelpers.getSymbol(tree);
      if (constructor == method) {
        calls.add(tree.getArguments());
      } else if (method.isConstructor()
          && tree.getClassBody() != null
          && ASTHelpers.getSymbol(tree.getIdentifier()) == method.owner) {
        unsafe = true; // an anonymous subclass passes its arguments to some constructor of ours
      }
      return super.visitNewClass(tree, null);
    }

    @Override
    public Void visitMemberReference(MemberReferenceTree tree, Void unused) {
      if (ASTHelpers.getSymbol(tree) == method) {
        unsafe = true; // the functional interface fixes the parameter order
      }
      return super.visitMemberReference(tree, null);
    }

    @Override
    public Void visitMethod(MethodTree tree, Void unused) {
      MethodSymbol other = ASTHelpers.getSymbol(tree);
      if (other != null
          && other != method
          && !method.isConstructor()
          && ASTHelpers.findSuperMethods(other, state.getTypes()).contains(method)) {
        unsafe = true; // an override in this file would stop overriding
      }
      return super.visitMethod(tree, null);
    }
  }
}
