package org.ctx4j.checks.parameters;

import static com.google.errorprone.BugPattern.LinkType.CUSTOM;
import static com.google.errorprone.BugPattern.SeverityLevel.WARNING;

import com.google.auto.service.AutoService;
import com.google.errorprone.BugPattern;
import com.google.errorprone.VisitorState;
import com.google.errorprone.bugpatterns.BugChecker;
import com.google.errorprone.fixes.SuggestedFix;
import com.google.errorprone.matchers.Description;
import com.google.errorprone.util.ASTHelpers;
import com.sun.source.tree.MemberReferenceTree;
import com.sun.source.tree.MethodTree;
import com.sun.source.tree.VariableTree;
import com.sun.source.util.TreeScanner;
import com.sun.tools.javac.code.Attribute;
import com.sun.tools.javac.code.Flags;
import com.sun.tools.javac.code.Symbol;
import com.sun.tools.javac.code.Symbol.MethodSymbol;
import com.sun.tools.javac.code.Symbol.VarSymbol;
import com.sun.tools.javac.code.Type;
import com.sun.tools.javac.code.Types;
import com.sun.tools.javac.tree.JCTree.JCMemberReference;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.ctx4j.checks.support.CheckSupport;
import org.ctx4j.checks.support.ContextChecker;
import org.ctx4j.checks.support.ContextChecker.MethodMatcher;
import org.ctx4j.checks.support.ContextTypes;
import org.ctx4j.checks.support.InternalErrors;

/**
 * Flags a method or constructor declaration with a context parameter after a parameter that is not
 * a context. Go's convention (and revive's context-as-argument): a Context is the first parameter
 * of every function on a request's path, so call sites read alike and a forgotten context is easy
 * to spot. Several contexts at the front are fine.
 *
 * <p>Overriding methods (with or without {@code @Override}), lambdas, and methods a method
 * reference in the file names as a functional interface with contexts in the same places are
 * exempt: their parameter order is the supertype's or the functional interface's, and that
 * declaration is the one flagged. A record's canonical constructor follows the record header; a
 * context component is reported by {@code ContextInField}.
 *
 * <p>Fix: when only this compilation unit can call the method (it is private, or inside a private,
 * local or anonymous class), every call is in view, none is a method reference, and reordering
 * cannot change overload resolution or the order of side effects, the context parameters move to
 * the front and every call's arguments move with them ({@link ParameterReorderFix}).
 */
@AutoService(BugChecker.class)
@BugPattern(
    summary = "Declare context parameters first, before every other parameter",
    severity = WARNING,
    linkType = CUSTOM,
    link = "https://github.com/ctx4j/ctx4j/blob/main/docs/checks/ContextNotFirstParameter.md")
public final class ContextNotFirstParameter extends ContextChecker implements MethodMatcher {

  private static final long serialVersionUID = 1L;

  private static final String TEST_TEMPLATE = "org.junit.jupiter.api.TestTemplate";

  /** Creates the check; Error Prone calls this through the service loader. */
  public ContextNotFirstParameter() {}

  @Override
  public Description matchMethod(MethodTree tree, VisitorState state) {
    if (tree.getParameters().size() < 2 || CheckSupport.ctx4jAbsent(state)) {
      return Description.NO_MATCH;
    }
    return InternalErrors.guard(
        this,
        tree,
        state,
        () -> {
          // The parameters' types first: most methods take no context after another parameter,
          // and need nothing else asked.
          List<? extends VariableTree> parameters = tree.getParameters();
          boolean[] context = new boolean[parameters.size()];
          int misplaced = -1;
          boolean seenOther = false;
          for (int i = 0; i < parameters.size(); i++) {
            VarSymbol parameter = ASTHelpers.getSymbol(parameters.get(i));
            context[i] = parameter != null && ContextTypes.isContextValued(parameter.type, state);
            if (!context[i]) {
              seenOther = true;
            } else if (seenOther && misplaced < 0) {
              misplaced = i;
            }
          }
          if (misplaced < 0 || onlyGrpcContextsBefore(parameters, misplaced, state)) {
            return Description.NO_MATCH;
          }
          MethodSymbol method = ASTHelpers.getSymbol(tree);
          if (method == null
              || isGeneratedOrCanonical(tree, method)
              || overridesSomething(method, state)
              || isTestTemplate(method)
              || namedWhereAnInterfaceFixesTheOrder(method, context, state)) {
            return Description.NO_MATCH;
          }
          VariableTree first = parameters.get(misplaced);
          SuggestedFix fix = ParameterReorderFix.reorderFix(tree, method, context, state);
          // Error Prone's "Did you mean" shows the first line the fix changes, which is a call
          // when one comes before the declaration in the file: the message itself names the
          // parameter list the fix gives the declaration.
          return buildDescription(first)
              .setMessage(
                  "The context parameter '"
                      + first.getName()
                      + "' comes after a parameter that is not a context; move it to the front of"
                      + " the parameter list, where every method on a request's path takes its"
                      + " context: "
                      + method.getSimpleName()
                      + reordered(parameters, context, state)
                      + (fix.isEmpty() ? "" : " (the fix reorders the arguments of its calls too)"))
              .addFix(fix)
              .build();
        });
  }

  /**
   * The parameter list with the contexts first, as the source spells each parameter: {@code
   * (Context ctx, String id)}.
   */
  private static String reordered(
      List<? extends VariableTree> parameters, boolean[] context, VisitorState state) {
    List<String> contexts = new ArrayList<>();
    List<String> others = new ArrayList<>();
    for (int i = 0; i < parameters.size(); i++) {
      String source = state.getSourceForNode(parameters.get(i));
      String text =
          source == null
              ? parameters.get(i).getName().toString()
              : source.replaceAll("\\s+", " ").trim();
      (context[i] ? contexts : others).add(text);
    }
    contexts.addAll(others);
    return "(" + String.join(", ", contexts) + ")";
  }

  /** Compiler-made members, and the canonical constructor of a record, which follows its header. */
  private static boolean isGeneratedOrCanonical(MethodTree tree, MethodSymbol method) {
    long flags = method.flags();
    if ((flags & (Flags.SYNTHETIC | Flags.GENERATEDCONSTR)) != 0
        || ASTHelpers.isGeneratedConstructor(tree)) {
      return true;
    }
    return method.isConstructor() && (flags & Flags.RECORD) != 0;
  }

  /**
   * A JUnit 5 test template ({@code @ParameterizedTest}, {@code @RepeatedTest}, or any annotation
   * meta-annotated with {@code @TestTemplate}, at any depth): JUnit passes the invocation's own
   * arguments first and resolves the rest, such as a context from an extension, after them, so the
   * order is JUnit's to decide.
   */
  private static boolean isTestTemplate(MethodSymbol method) {
    return annotatedAsTestTemplate(method, new HashSet<>());
  }

  /**
   * Whether {@code annotated} carries {@code @TestTemplate}, directly or through annotations at any
   * depth: JUnit finds it through composed annotations ({@code @interface EachSku} annotated with
   * {@code @ParameterizedTest}, itself annotated with {@code @TestTemplate}).
   */
  private static boolean annotatedAsTestTemplate(Symbol annotated, Set<Symbol> seen) {
    for (Attribute.Compound annotation : annotated.getAnnotationMirrors()) {
      Symbol type = annotation.type.tsym;
      if (type.getQualifiedName().contentEquals(TEST_TEMPLATE)) {
        return true;
      }
      if (seen.add(type) && annotatedAsTestTemplate(type, seen)) {
        return true;
      }
    }
    return false;
  }

  /**
   * Whether a method reference in this compilation unit names {@code method} as the implementation
   * of a functional interface whose own parameters have contexts in the same places ({@code
   * bus.subscribe(this::onEvent)} for a library's {@code onEvent(E event, Context ctx)}, {@code
   * BiConsumer<String, Context>}): that interface fixed the order, as it does for an override, and
   * its declaration is the one to judge. Asked only of a would-be finding.
   */
  private static boolean namedWhereAnInterfaceFixesTheOrder(
      MethodSymbol method, boolean[] context, VisitorState state) {
    Boolean found =
        new TreeScanner<Boolean, Void>() {
          @Override
          public Boolean visitMemberReference(MemberReferenceTree node, Void unused) {
            return (ASTHelpers.getSymbol(node) == method && sameContextPlaces(node, context, state))
                || Boolean.TRUE.equals(super.visitMemberReference(node, null));
          }

          @Override
          public Boolean reduce(Boolean a, Boolean b) {
            return Boolean.TRUE.equals(a) || Boolean.TRUE.equals(b);
          }
        }.scan(state.getPath().getCompilationUnit(), null);
    return Boolean.TRUE.equals(found);
  }

  /**
   * Whether the functional interface {@code reference} implements takes contexts exactly where the
   * method has them (after the receiver, for an unbound {@code Type::method}).
   */
  private static boolean sameContextPlaces(
      MemberReferenceTree reference, boolean[] context, VisitorState state) {
    Type target = ASTHelpers.getType(reference);
    if (target == null) {
      return false;
    }
    Type descriptor;
    try {
      descriptor = state.getTypes().findDescriptorType(target);
    } catch (Types.FunctionDescriptorLookupError e) {
      return false;
    }
    List<Type> parameters = descriptor.getParameterTypes();
    int skip =
        reference instanceof JCMemberReference jc && jc.kind != null && jc.kind.isUnbound() ? 1 : 0;
    if (parameters.size() - skip != context.length) {
      return false;
    }
    for (int i = 0; i < context.length; i++) {
      if (ContextTypes.isContextValued(parameters.get(i + skip), state) != context[i]) {
        return false;
      }
    }
    return true;
  }

  private static boolean overridesSomething(MethodSymbol method, VisitorState state) {
    return !method.isConstructor()
        && !method.isStatic()
        && !ASTHelpers.findSuperMethods(method, state.getTypes()).isEmpty();
  }

  /**
   * Whether every parameter before {@code misplaced} is grpc's {@code io.grpc.Context}: code that
   * bridges the two libraries takes grpc's context as the parent of a ctx4j one ({@code
   * toGrpc(grpcParent, ctx)}), and both are contexts. Asked only of a would-be finding.
   */
  private static boolean onlyGrpcContextsBefore(
      List<? extends VariableTree> parameters, int misplaced, VisitorState state) {
    for (int i = 0; i < misplaced; i++) {
      VarSymbol parameter = ASTHelpers.getSymbol(parameters.get(i));
      if (parameter == null || !ContextTypes.isGrpcContext(parameter.type, state)) {
        return false;
      }
    }
    return true;
  }
}
