package org.ctx4j.checks.parameters;

import static com.google.errorprone.BugPattern.LinkType.CUSTOM;
import static com.google.errorprone.BugPattern.SeverityLevel.SUGGESTION;

import com.google.auto.service.AutoService;
import com.google.errorprone.BugPattern;
import com.google.errorprone.VisitorState;
import com.google.errorprone.bugpatterns.BugChecker;
import com.google.errorprone.fixes.SuggestedFix;
import com.google.errorprone.fixes.SuggestedFixes;
import com.google.errorprone.matchers.Description;
import com.google.errorprone.util.ASTHelpers;
import com.sun.source.tree.ClassTree;
import com.sun.source.tree.IdentifierTree;
import com.sun.source.tree.LambdaExpressionTree;
import com.sun.source.tree.MethodTree;
import com.sun.source.tree.VariableTree;
import com.sun.source.util.TreeScanner;
import com.sun.tools.javac.code.Flags;
import com.sun.tools.javac.code.Symbol.MethodSymbol;
import com.sun.tools.javac.code.Symbol.VarSymbol;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.ctx4j.checks.support.CheckSupport;
import org.ctx4j.checks.support.ContextChecker;
import org.ctx4j.checks.support.ContextChecker.MethodMatcher;
import org.ctx4j.checks.support.ContextTypes;
import org.ctx4j.checks.support.InternalErrors;

/**
 * Suggests naming the first context parameter of a method or constructor {@code ctx}, Go's
 * convention ("pass ctx as the first argument, named ctx"): code that always calls the request's
 * context by one name is easier to read and to check by eye. Overriding methods (the supertype
 * chose the names) and lambdas are exempt, and so are the canonical constructors of records, whose
 * parameters are named by the components, and methods whose body declares a context named {@code
 * ctx} of its own (derived from the parameter, as in {@code try (CancellableContext ctx =
 * Context.withTimeout(parent, d))}).
 */
@AutoService(BugChecker.class)
@BugPattern(
    summary = "Name the first context parameter ctx",
    severity = SUGGESTION,
    linkType = CUSTOM,
    link = "https://github.com/ctx4j/ctx4j/blob/main/docs/checks/ContextParameterName.md")
public final class ContextParameterName extends ContextChecker implements MethodMatcher {

  private static final long serialVersionUID = 1L;

  private static final String CTX = "ctx";

  /** Creates the check; Error Prone calls this through the service loader. */
  public ContextParameterName() {}

  @Override
  public Description matchMethod(MethodTree tree, VisitorState state) {
    if (tree.getParameters().isEmpty() || CheckSupport.ctx4jAbsent(state)) {
      return Description.NO_MATCH;
    }
    return InternalErrors.guard(
        this,
        tree,
        state,
        () -> {
          VarSymbol parameter = CheckSupport.firstContextParameter(tree, state);
          if (parameter == null
              || parameter.getSimpleName().contentEquals(CTX)
              || exempt(tree, state)
              || derivesFromParent(tree, parameter, state)
              || declaresContextNamedCtx(tree, state)) {
            return Description.NO_MATCH;
          }
          VariableTree declaration = tree.getParameters().get(index(tree, parameter));
          Description.Builder description =
              buildDescription(declaration)
                  .setMessage(
                      "Name the first context parameter ctx, as Go code does, instead of "
                          + parameter.getSimpleName());
          if (!mentionsCtx(tree)) {
            description.addFix(renameFix(tree, declaration, state));
          }
          return description.build();
        });
  }

  private static int index(MethodTree tree, VarSymbol parameter) {
    for (int i = 0; i < tree.getParameters().size(); i++) {
      if (ASTHelpers.getSymbol(tree.getParameters().get(i)) == parameter) {
        return i;
      }
    }
    throw new IllegalStateException("parameter not declared by its method: " + parameter);
  }

  /** Overrides, record canonical and compact constructors, and code the compiler generated. */
  private static boolean exempt(MethodTree tree, VisitorState state) {
    MethodSymbol method = ASTHelpers.getSymbol(tree);
    if (method == null
        || (method.flags()
                & (Flags.GENERATEDCONSTR
                    | Flags.RECORD
                    | Flags.COMPACT_RECORD_CONSTRUCTOR
                    | Flags.SYNTHETIC))
            != 0) {
      return true;
    }
    return ASTHelpers.hasAnnotation(method, "java.lang.Override", state)
        || !ASTHelpers.findSuperMethods(method, state.getTypes()).isEmpty();
  }

  /**
   * A parameter named {@code parent} of a method that returns a context, or of a constructor of a
   * context class: Go's own name in the functions that derive a context ({@code WithCancel(parent
   * Context)}), which ctx4j's factories keep.
   */
  private static boolean derivesFromParent(
      MethodTree tree, VarSymbol parameter, VisitorState state) {
    if (!parameter.getSimpleName().contentEquals("parent")) {
      return false;
    }
    MethodSymbol method = ASTHelpers.getSymbol(tree);
    return method != null
        && (method.isConstructor()
            ? ContextTypes.isContext(method.owner.type, state)
            : ContextTypes.isContext(method.getReturnType(), state));
  }

  /**
   * Whether the body declares its own context named {@code ctx}: Java's form of Go's {@code ctx,
   * cancel := context.WithTimeout(ctx, d)}, which cannot reuse the parameter's name, so the
   * parameter is rightly called something else ({@code parent}).
   */
  private static boolean declaresContextNamedCtx(MethodTree tree, VisitorState state) {
    if (tree.getBody() == null) {
      return false;
    }
    Boolean found =
        new TreeScanner<Boolean, Void>() {
          @Override
          public Boolean visitVariable(VariableTree node, Void unused) {
            VarSymbol variable = ASTHelpers.getSymbol(node);
            return (node.getName().contentEquals(CTX)
                    && variable != null
                    && ContextTypes.isContextValued(variable.type, state))
                || Boolean.TRUE.equals(super.visitVariable(node, null));
          }

          @Override
          public Boolean visitLambdaExpression(LambdaExpressionTree node, Void unused) {
            return false; // a lambda's own ctx is the lambda's business
          }

          @Override
          public Boolean visitClass(ClassTree node, Void unused) {
            return false;
          }

          @Override
          public Boolean reduce(Boolean a, Boolean b) {
            return Boolean.TRUE.equals(a) || Boolean.TRUE.equals(b);
          }
        }.scan(tree.getBody(), null);
    return Boolean.TRUE.equals(found);
  }

  /**
   * Whether the name {@code ctx} already means something in the method: another parameter, a local,
   * a lambda parameter, or a field or variable the body refers to by that simple name. Then a
   * rename would clash or change what a name refers to, so no fix is offered.
   */
  private static boolean mentionsCtx(MethodTree tree) {
    Boolean found =
        new TreeScanner<Boolean, Void>() {
          @Override
          public Boolean visitIdentifier(IdentifierTree node, Void unused) {
            return node.getName().contentEquals(CTX);
          }

          @Override
          public Boolean visitVariable(VariableTree node, Void unused) {
            return node.getName().contentEquals(CTX)
                || Boolean.TRUE.equals(super.visitVariable(node, null));
          }

          @Override
          public Boolean reduce(Boolean a, Boolean b) {
            return Boolean.TRUE.equals(a) || Boolean.TRUE.equals(b);
          }
        }.scan(tree, null);
    return Boolean.TRUE.equals(found);
  }

  /** Renames the parameter, its uses and its {@code @param} tag in the method's javadoc. */
  private static SuggestedFix renameFix(
      MethodTree method, VariableTree parameter, VisitorState state) {
    SuggestedFix.Builder fix =
        SuggestedFix.builder().merge(SuggestedFixes.renameVariable(parameter, CTX, state));
    CharSequence source = state.getSourceCode();
    int start = ASTHelpers.getStartPosition(method);
    if (source == null || start <= 0) {
      return fix.build();
    }
    String before = source.subSequence(0, start).toString();
    int docStart = before.lastIndexOf("/**");
    int docEnd = before.lastIndexOf("*/");
    if (docStart < 0 || docEnd < docStart || !before.substring(docEnd + 2).isBlank()) {
      return fix.build();
    }
    Matcher tag =
        Pattern.compile("@param\\s+(" + Pattern.quote(parameter.getName().toString()) + ")\\b")
            .matcher(before.substring(docStart, docEnd));
    if (tag.find()) {
      fix.replace(docStart + tag.start(1), docStart + tag.end(1), CTX);
    }
    return fix.build();
  }
}
