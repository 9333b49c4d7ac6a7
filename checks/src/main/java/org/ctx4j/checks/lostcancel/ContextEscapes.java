package org.ctx4j.checks.lostcancel;

import com.google.errorprone.VisitorState;
import com.google.errorprone.util.ASTHelpers;
import com.sun.source.tree.AssignmentTree;
import com.sun.source.tree.CaseTree;
import com.sun.source.tree.ConditionalExpressionTree;
import com.sun.source.tree.ExpressionTree;
import com.sun.source.tree.IdentifierTree;
import com.sun.source.tree.InstanceOfTree;
import com.sun.source.tree.MemberReferenceTree;
import com.sun.source.tree.MemberSelectTree;
import com.sun.source.tree.MethodInvocationTree;
import com.sun.source.tree.NewClassTree;
import com.sun.source.tree.SwitchExpressionTree;
import com.sun.source.tree.Tree;
import com.sun.source.tree.TryTree;
import com.sun.source.tree.VariableTree;
import com.sun.source.util.TreePath;
import com.sun.tools.javac.code.Symbol;
import com.sun.tools.javac.code.Symbol.MethodSymbol;
import com.sun.tools.javac.code.Symbol.VarSymbol;
import com.sun.tools.javac.code.Type;
import java.util.List;
import java.util.Set;
import javax.lang.model.element.ElementKind;
import javax.lang.model.type.TypeKind;
import org.ctx4j.checks.lostcancel.Leak.Resource;
import org.ctx4j.checks.support.CheckSupport;
import org.ctx4j.checks.support.ContextTypes;

/**
 * Escape analysis for cancellable contexts: where does the value of an expression end up? Given the
 * path to a factory call, or to a read of a local variable holding a {@code CancellableContext}, it
 * follows the value up the tree (through parentheses, casts, conditional expressions and switch
 * expressions) to the first place that decides its fate.
 *
 * <p>The answer is deliberately conservative: a shape it does not know is {@link Fate#UNKNOWN},
 * which callers treat as "somebody else may cancel it", so that an unusual shape can cost a missed
 * finding but never a false one.
 */
final class ContextEscapes {
  private ContextEscapes() {}

  /** What happens to the value. */
  enum Fate {
    /**
     * Nobody keeps it: an expression statement, the receiver of a non-cancel call (or of a method
     * reference other than {@code c::cancel}/{@code c::close}), or an argument to a parameter typed
     * as a plain (non-cancellable) context or as {@code Object}.
     */
    DISCARDED,
    /** Stored in a local variable (or parameter); {@link Flow#variable} says which. */
    LOCAL,
    /** Declared as (or named as) a try-with-resources resource: closed by the try. */
    RESOURCE,
    /** The receiver of {@code cancel()}, {@code cancel(cause)} or {@code close()}. */
    CANCELLED,
    /**
     * Handed over: returned, stored in a field or array, referenced as {@code c::cancel}, or passed
     * to a parameter that may keep it ({@code CancellableContext}, {@code AutoCloseable}, a type
     * variable).
     */
    ESCAPED,
    /** Read without being kept or handed over: compared, tested with {@code instanceof}. */
    USED,
    /** The left-hand side of an assignment: a write, not a read. */
    WRITTEN,
    /** A shape this analysis does not model. */
    UNKNOWN
  }

  /** The fate of a value, and for {@link Fate#LOCAL} the variable and the tree that stores it. */
  static final class Flow {
    final Fate fate;
    final VarSymbol variable;

    /** The {@link VariableTree} or {@link AssignmentTree} that stores the value, for LOCAL. */
    final Tree holder;

    private Flow(Fate fate, VarSymbol variable, Tree holder) {
      this.fate = fate;
      this.variable = variable;
      this.holder = holder;
    }

    static final Flow DISCARDED = new Flow(Fate.DISCARDED, null, null);
    static final Flow RESOURCE = new Flow(Fate.RESOURCE, null, null);
    static final Flow CANCELLED = new Flow(Fate.CANCELLED, null, null);
    static final Flow ESCAPED = new Flow(Fate.ESCAPED, null, null);
    static final Flow USED = new Flow(Fate.USED, null, null);
    static final Flow WRITTEN = new Flow(Fate.WRITTEN, null, null);
    static final Flow UNKNOWN = new Flow(Fate.UNKNOWN, null, null);

    static Flow local(VarSymbol variable, Tree holder) {
      return new Flow(Fate.LOCAL, variable, holder);
    }
  }

  /** Whether a read of a tracked variable with this fate discharges the duty to cancel it. */
  static boolean discharges(Fate fate) {
    return switch (fate) {
      case DISCARDED, USED, WRITTEN ->
          // DISCARDED: passed where a plain Context is expected, or a non-cancel method called on
          // it.
          false;
      default ->
          // cancelled, closed, handed over, aliased, or a shape we do not know
          true;
    };
  }

  /** Whether a read with this fate hands the context to someone else (as opposed to closing it). */
  static boolean escapes(Fate fate) {
    return fate != Fate.CANCELLED && fate != Fate.RESOURCE && discharges(fate);
  }

  /**
   * Follows the value of the expression at {@code path}, which may hold any of {@code held}, to
   * where it ends up. Where the resources disagree (a name that may hold a context or a task
   * group), the answer that discharges wins: a miss rather than a false finding.
   */
  static Flow follow(TreePath path, Set<Resource> held, VisitorState state) {
    Tree child = path.getLeaf();
    TreePath parentPath = path.getParentPath();
    while (parentPath != null) {
      Tree parent = parentPath.getLeaf();
      switch (parent.getKind()) {
        case PARENTHESIZED:
        case TYPE_CAST:
          break;
        case CONDITIONAL_EXPRESSION:
          if (((ConditionalExpressionTree) parent).getCondition() == child) {
            return Flow.UNKNOWN;
          }
          break;
        case EXPRESSION_STATEMENT:
          return Flow.DISCARDED;
        case VARIABLE:
          return intoVariable((VariableTree) parent, child);
        case ASSIGNMENT:
          return intoAssignment((AssignmentTree) parent, child);
        case LAMBDA_EXPRESSION: // an expression lambda returns its body, unless it returns void
          return returnsVoid(parent, state) ? Flow.DISCARDED : Flow.ESCAPED;
        case RETURN:
        case NEW_ARRAY: // an array element
          return Flow.ESCAPED;
        case MEMBER_REFERENCE:
          return asQualifier((MemberReferenceTree) parent, child, held);
        case MEMBER_SELECT:
          return asReceiver((MemberSelectTree) parent, parentPath.getParentPath(), held);
        case METHOD_INVOCATION:
          {
            MethodInvocationTree call = (MethodInvocationTree) parent;
            return asArgument(ASTHelpers.getSymbol(call), call.getArguments(), child, held, state);
          }
        case NEW_CLASS:
          {
            NewClassTree newClass = (NewClassTree) parent;
            if (newClass.getClassBody() != null && newClass.getClassBody() == child) {
              return Flow.UNKNOWN;
            }
            return asArgument(
                ASTHelpers.getSymbol(newClass), newClass.getArguments(), child, held, state);
          }
        case TRY:
          return ((TryTree) parent).getResources().contains(child) ? Flow.RESOURCE : Flow.UNKNOWN;
        case INSTANCE_OF:
          // `ctx instanceof CancellableContext c` makes an alias that may be cancelled instead.
          return ((InstanceOfTree) parent).getPattern() != null ? Flow.ESCAPED : Flow.USED;
        case EQUAL_TO:
        case NOT_EQUAL_TO:
        case SYNCHRONIZED:
          return Flow.USED;
        case PLUS: // string concatenation: printed, not kept
          return state
                  .getTypes()
                  .isSameType(ASTHelpers.getType(parent), state.getSymtab().stringType)
              ? Flow.USED
              : Flow.UNKNOWN;
        case CASE:
          {
            // `case X -> expr` in a switch expression: the value is the switch expression's value.
            TreePath switchPath = parentPath.getParentPath();
            if (switchPath == null
                || !(switchPath.getLeaf() instanceof SwitchExpressionTree)
                || ((CaseTree) parent).getBody() != child) {
              return Flow.UNKNOWN;
            }
            parentPath = switchPath;
            parent = switchPath.getLeaf();
            break;
          }
        case YIELD:
          {
            TreePath switchPath = parentPath;
            while (switchPath != null && !(switchPath.getLeaf() instanceof SwitchExpressionTree)) {
              Tree.Kind kind = switchPath.getLeaf().getKind();
              if (kind == Tree.Kind.LAMBDA_EXPRESSION
                  || kind == Tree.Kind.METHOD
                  || kind == Tree.Kind.CLASS) {
                return Flow.UNKNOWN;
              }
              switchPath = switchPath.getParentPath();
            }
            if (switchPath == null) {
              return Flow.UNKNOWN;
            }
            parentPath = switchPath;
            parent = switchPath.getLeaf();
            break;
          }
        default:
          return Flow.UNKNOWN;
      }
      child = parent;
      parentPath = parentPath.getParentPath();
    }
    return Flow.UNKNOWN;
  }

  /** Whether the lambda's functional interface method returns void (its body value is dropped). */
  private static boolean returnsVoid(Tree lambda, VisitorState state) {
    Type type = ASTHelpers.getType(lambda);
    if (type == null) {
      return false;
    }
    Type descriptor = state.getTypes().findDescriptorType(type);
    return descriptor != null
        && descriptor.getReturnType() != null
        && descriptor.getReturnType().getKind() == TypeKind.VOID;
  }

  private static Flow intoVariable(VariableTree variable, Tree child) {
    if (variable.getInitializer() != child) {
      return Flow.UNKNOWN;
    }
    VarSymbol symbol = ASTHelpers.getSymbol(variable);
    if (symbol == null) {
      return Flow.UNKNOWN;
    }
    return switch (symbol.getKind()) {
      case RESOURCE_VARIABLE -> Flow.RESOURCE;
      case LOCAL_VARIABLE -> Flow.local(symbol, variable);
      default -> Flow.ESCAPED;
        // a field
    };
  }

  private static Flow intoAssignment(AssignmentTree assignment, Tree child) {
    if (assignment.getExpression() != child) {
      return Flow.WRITTEN;
    }
    ExpressionTree target = CheckSupport.stripParenthesesAndCasts(assignment.getVariable());
    if (target instanceof IdentifierTree) {
      Symbol symbol = ASTHelpers.getSymbol(target);
      if (symbol instanceof VarSymbol varSymbol && isLocal(symbol)) {
        return Flow.local(varSymbol, assignment);
      }
    }
    return Flow.ESCAPED; // a field or an array element
  }

  /** Whether {@code symbol} is a variable that lives in a method's frame. */
  static boolean isLocal(Symbol symbol) {
    ElementKind kind = symbol.getKind();
    return kind == ElementKind.LOCAL_VARIABLE
        || kind == ElementKind.PARAMETER
        || kind == ElementKind.EXCEPTION_PARAMETER
        || kind == ElementKind.RESOURCE_VARIABLE;
  }

  private static Flow asReceiver(
      MemberSelectTree select, TreePath grandParent, Set<Resource> held) {
    if (grandParent == null
        || !(grandParent.getLeaf() instanceof MethodInvocationTree)
        || ((MethodInvocationTree) grandParent.getLeaf()).getMethodSelect() != select) {
      return Flow.UNKNOWN;
    }
    // The methods that end it (a CancellableContext's cancel and close, a TaskGroup's await and
    // close, ...). Every other method (done, err, value, deadline, go, context, toString, ...)
    // reads it without keeping it.
    return Resources.endedByAny(held, select.getIdentifier()) ? Flow.CANCELLED : Flow.DISCARDED;
  }

  /**
   * {@code c::cancel}, {@code c::close}, {@code group::await} (a method that ends it) hand the duty
   * over to whoever runs the reference; {@code c::err}, {@code c::done} and the other methods of a
   * context only read it.
   */
  private static Flow asQualifier(MemberReferenceTree reference, Tree child, Set<Resource> held) {
    if (reference.getQualifierExpression() != child) {
      return Flow.UNKNOWN;
    }
    return Resources.endedByAny(held, reference.getName()) ? Flow.ESCAPED : Flow.DISCARDED;
  }

  /**
   * Names of methods that keep an argument they take as {@code Object} ({@code
   * request.setAttribute("ctx", c)}, {@code registry.register(c)}): the one exception to "an {@code
   * Object} parameter is a use".
   */
  private static final List<String> KEEPING_PREFIXES =
      List.of("set", "put", "add", "offer", "push", "store", "register", "attach", "keep", "hold");

  private static Flow asArgument(
      MethodSymbol method,
      List<? extends ExpressionTree> arguments,
      Tree child,
      Set<Resource> held,
      VisitorState state) {
    int index = arguments.indexOf(child);
    if (method == null || index < 0) {
      return Flow.UNKNOWN;
    }
    if (held.contains(Resource.GRPC_ATTACHED)
        && index == 0
        && Resources.restores(method.getSimpleName())
        && ContextTypes.isGrpcContext(method.owner.type, state)) {
      return Flow.CANCELLED; // ctx.detach(previous): the replaced context is current again
    }
    List<VarSymbol> parameters = method.getParameters();
    if (parameters.isEmpty()) {
      return Flow.UNKNOWN;
    }
    Type parameterType;
    if (index >= parameters.size() - 1 && method.isVarArgs()) {
      Type last = parameters.get(parameters.size() - 1).type;
      parameterType =
          arguments.size() == parameters.size()
                  && index == parameters.size() - 1
                  && state.getTypes().isArray(ASTHelpers.getType(child))
              ? last
              : state.getTypes().elemtype(last);
    } else if (index < parameters.size()) {
      parameterType = parameters.get(index).type;
    } else {
      return Flow.UNKNOWN;
    }
    if (parameterType == null) {
      return Flow.UNKNOWN;
    }
    // A plain context parameter (Context, or a context subtype that cannot be cancelled) may read
    // the context but cannot cancel it: the caller keeps the duty. So does a parameter declared
    // Object (logging, printing, formatting, equality), unless the method's name says it keeps its
    // argument. Anything else, a CancellableContext, AutoCloseable or a type variable, may keep it
    // and cancel it later.
    if (state.getTypes().isSameType(parameterType, state.getSymtab().objectType)) {
      return keepsItsArgument(method) ? Flow.ESCAPED : Flow.DISCARDED;
    }
    if (held.contains(Resource.GRPC_ATTACHED)) {
      // The replaced context, passed on: whoever receives it may restore it.
      return Flow.ESCAPED;
    }
    if (parameterType.getKind() != TypeKind.TYPEVAR
        && !isAutoCloseable(parameterType, state)
        && ((ContextTypes.isContext(parameterType, state)
                && !ContextTypes.isCancellableContext(parameterType, state))
            || (ContextTypes.isGrpcContext(parameterType, state)
                && !ContextTypes.isGrpcCancellableContext(parameterType, state)))) {
      // A plain context (ctx4j's or grpc's) can be read through the parameter, not cancelled.
      return Flow.DISCARDED;
    }
    return Flow.ESCAPED;
  }

  private static boolean keepsItsArgument(MethodSymbol method) {
    String name = method.getSimpleName().toString();
    for (String prefix : KEEPING_PREFIXES) {
      if (name.startsWith(prefix)
          && (name.length() == prefix.length()
              || Character.isUpperCase(name.charAt(prefix.length())))) {
        return true;
      }
    }
    return false;
  }

  private static boolean isAutoCloseable(Type type, VisitorState state) {
    Type autoCloseable = state.getSymtab().autoCloseableType;
    return autoCloseable != null && ASTHelpers.isSubtype(type, autoCloseable, state);
  }
}
