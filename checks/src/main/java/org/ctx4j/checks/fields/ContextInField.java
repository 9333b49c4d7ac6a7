package org.ctx4j.checks.fields;

import static com.google.errorprone.BugPattern.LinkType.CUSTOM;
import static com.google.errorprone.BugPattern.SeverityLevel.WARNING;

import com.google.auto.service.AutoService;
import com.google.errorprone.BugPattern;
import com.google.errorprone.VisitorState;
import com.google.errorprone.bugpatterns.BugChecker;
import com.google.errorprone.matchers.Description;
import com.google.errorprone.util.ASTHelpers;
import com.sun.source.tree.VariableTree;
import com.sun.tools.javac.code.Flags;
import com.sun.tools.javac.code.Symbol;
import com.sun.tools.javac.code.Symbol.ClassSymbol;
import com.sun.tools.javac.code.Symbol.VarSymbol;
import com.sun.tools.javac.code.Type;
import com.sun.tools.javac.code.Types;
import javax.lang.model.element.ElementKind;
import javax.lang.model.type.TypeKind;
import javax.tools.JavaFileObject;
import org.ctx4j.checks.support.CheckSupport;
import org.ctx4j.checks.support.ContextChecker;
import org.ctx4j.checks.support.ContextChecker.VariableMatcher;
import org.ctx4j.checks.support.ContextTypes;
import org.ctx4j.checks.support.InternalErrors;

/**
 * Flags a field (instance or static, interface constants and record components included) that holds
 * a context: its type is a context type, an array of one, or a {@code Collection}, {@code Map},
 * {@code Optional}, {@code AtomicReference} or {@code ThreadLocal} of one. Go: "Do not store
 * Contexts inside a struct type; instead, pass a Context explicitly to each function that needs it"
 * (containedctx).
 *
 * <p>A stored context outlives the call it was meant for: work started later runs under a deadline
 * that has passed or a cancellation that has fired, and values leak from one request to the next.
 * Functional types such as {@code Function<Context, R>} or {@code Supplier<Context>} store code,
 * not a context, and are not flagged. Fields of a class that is itself a context (a user
 * implementation of {@code Context} holding its parent, as Go's own implementations do) and the
 * constants of an enum that implements {@code Context} are not flagged either, nor is a {@code
 * TaskGroup}: not a context type but a structured scope that owns its context and ends it in {@code
 * await()} or {@code close()} (a field set to {@code group.context()} is a context field).
 *
 * <p>The message fits what is stored: a field of cancellable contexts (one, or a map or list of
 * work in flight) is there to cancel that work later, and is told to keep a cancel handle instead
 * ({@code org.ctx4j.CancelFunc}, {@code ctx::cancel}); any other context is told to travel as the
 * first parameter of the methods that need it.
 */
@AutoService(BugChecker.class)
@BugPattern(
    summary =
        "Pass a context as the first parameter of each method that needs it instead of storing it in a field",
    severity = WARNING,
    linkType = CUSTOM,
    link = "https://github.com/ctx4j/ctx4j/blob/main/docs/checks/ContextInField.md")
public final class ContextInField extends ContextChecker implements VariableMatcher {

  private static final long serialVersionUID = 1L;

  /**
   * The containers the rule names; a type argument of one of these (or a subtype) is stored data.
   */
  private static final String[] CONTAINERS = {
    "java.util.Collection",
    "java.util.Map",
    "java.util.Optional",
    "java.util.concurrent.atomic.AtomicReference",
    "java.lang.ThreadLocal",
  };

  private static final int MAX_DEPTH = 6;

  /** Creates the check; Error Prone calls this through the service loader. */
  public ContextInField() {}

  @Override
  public Description matchVariable(VariableTree tree, VisitorState state) {
    // Most variables are locals and parameters: the symbol's kind rules them out before anything
    // else is asked.
    VarSymbol field = ASTHelpers.getSymbol(tree);
    if (field == null
        || field.getKind() != ElementKind.FIELD // also excludes enum constants
        || CheckSupport.ctx4jAbsent(state)) {
      return Description.NO_MATCH;
    }
    return InternalErrors.guard(
        this,
        tree,
        state,
        () -> {
          if ((field.flags() & Flags.SYNTHETIC) != 0 || cannotHoldContext(field.type)) {
            return Description.NO_MATCH;
          }
          FieldTypeFacts facts = factsFor(state);
          if (!holds(field.type, state, 0, false, facts) || ownerIsContext(field, state, facts)) {
            return Description.NO_MATCH;
          }
          return buildDescription(tree).setMessage(message(field, state, facts)).build();
        });
  }

  /**
   * The facts of the compilation unit being analysed, made anew for each unit: they hold symbols of
   * one compilation, never trees.
   */
  private transient FieldTypeFacts facts;

  private FieldTypeFacts factsFor(VisitorState state) {
    JavaFileObject file = state.getPath().getCompilationUnit().getSourceFile();
    if (facts == null || !facts.isFor(state, file)) {
      facts = new FieldTypeFacts(state, file, CONTAINERS);
    }
    return facts;
  }

  /**
   * A type that no context can hide in, told from the type alone: a primitive, an array of
   * primitives, or a JDK class without type arguments ({@code String}, the boxed numbers, {@code
   * Object}, raw types): the JDK's classes are not contexts, and there is no type argument to hold
   * one.
   */
  private static boolean cannotHoldContext(Type type) {
    Type t = type;
    while (t.getKind() == TypeKind.ARRAY) {
      t = ((Type.ArrayType) t).getComponentType();
    }
    if (t.isPrimitive()) {
      return true;
    }
    return t.getKind() == TypeKind.DECLARED
        && !t.isParameterized()
        && ContextTypes.isJdkClass(t.tsym);
  }

  /**
   * What to say: a field of cancellable contexts (one, or a map or list of running jobs) is how a
   * class keeps the power to cancel work in flight, and that power fits in a cancel handle; any
   * other context should travel as a parameter.
   */
  private static String message(VarSymbol field, VisitorState state, FieldTypeFacts facts) {
    String what = (field.flags() & Flags.RECORD) != 0 ? "This record component" : "This field";
    if (holds(field.type, state, 0, true, facts)) {
      return what
          + " keeps cancellable contexts beyond the calls they belong to; to cancel work in"
          + " flight later, store its cancel handle instead (an org.ctx4j.CancelFunc such as"
          + " ctx::cancel) and pass the context itself as the first parameter of the methods"
          + " that need it";
    }
    return what
        + " stores a context, which outlives the call it belongs to; pass the context as the first"
        + " parameter of each method that needs it instead";
  }

  /** A user implementation of Context may hold its parent, as Go's own implementations do. */
  private static boolean ownerIsContext(Symbol field, VisitorState state, FieldTypeFacts facts) {
    Symbol owner = field.owner;
    return owner instanceof ClassSymbol ownerClass
        ? facts.isContextClass(ownerClass, state)
        : owner != null && ContextTypes.isContext(owner.type, state);
  }

  /**
   * Whether a value of {@code type} is, or contains as stored data, a context (or, with {@code
   * cancellable}, a {@code CancellableContext}): a context type (type variables and wildcards
   * bounded by one included), an array of such, or a container whose type argument is such, at any
   * depth ({@code Map<String, List<Context>>}).
   */
  private static boolean holds(
      Type type, VisitorState state, int depth, boolean cancellable, FieldTypeFacts facts) {
    if (type == null || depth > MAX_DEPTH || type.isPrimitive()) {
      return false;
    }
    ClassSymbol declared =
        type.getKind() == TypeKind.DECLARED && type.tsym instanceof ClassSymbol c ? c : null;
    if (cancellable
        ? isCancellableValued(type, state)
        : declared != null
            ? facts.isContextClass(declared, state)
            : ContextTypes.isContextValued(type, state)) {
      return true;
    }
    Types types = state.getTypes();
    switch (type.getKind()) {
      case ARRAY -> {
        return holds(types.elemtype(type), state, depth + 1, cancellable, facts);
      }
      case WILDCARD -> {
        return holds(
            ((Type.WildcardType) type).getExtendsBound(), state, depth + 1, cancellable, facts);
      }
      case TYPEVAR -> {
        return holds(type.getUpperBound(), state, depth + 1, cancellable, facts);
      }
      case INTERSECTION -> {
        for (Type bound : ((Type.IntersectionClassType) type).getComponents()) {
          if (holds(bound, state, depth + 1, cancellable, facts)) {
            return true;
          }
        }
        return false;
      }
      case DECLARED -> {
        // Only the containers the class is known to extend: none, for most classes.
        if (declared == null) {
          return false; // a declared type without a class: nothing to look at
        }
        for (Symbol container : facts.containersOf(declared, state)) {
          Type asContainer = types.asSuper(type, container);
          if (asContainer == null) {
            continue;
          }
          for (Type argument : asContainer.getTypeArguments()) {
            if (holds(argument, state, depth + 1, cancellable, facts)) {
              return true;
            }
          }
        }
        return false;
      }
      default -> {
        return false;
      }
    }
  }

  /** A cancellable context type, or a type variable or wildcard bounded by one. */
  private static boolean isCancellableValued(Type type, VisitorState state) {
    switch (type.getKind()) {
      case TYPEVAR -> {
        return isCancellableValued(type.getUpperBound(), state);
      }
      case WILDCARD -> {
        Type bound = ((Type.WildcardType) type).getExtendsBound();
        return bound != null && isCancellableValued(bound, state);
      }
      case DECLARED -> {
        return ContextTypes.isCancellableContext(type, state);
      }
      default -> {
        return false;
      }
    }
  }
}
