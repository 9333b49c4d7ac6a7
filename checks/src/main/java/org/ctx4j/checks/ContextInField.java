package org.ctx4j.checks;

import static com.google.errorprone.BugPattern.LinkType.CUSTOM;
import static com.google.errorprone.BugPattern.SeverityLevel.WARNING;

import com.google.auto.service.AutoService;
import com.google.errorprone.BugPattern;
import com.google.errorprone.VisitorState;
import com.google.errorprone.bugpatterns.BugChecker;
import com.google.errorprone.bugpatterns.BugChecker.VariableTreeMatcher;
import com.google.errorprone.matchers.Description;
import com.google.errorprone.util.ASTHelpers;
import com.sun.source.tree.VariableTree;
import com.sun.tools.javac.code.Flags;
import com.sun.tools.javac.code.Symbol;
import com.sun.tools.javac.code.Symbol.VarSymbol;
import com.sun.tools.javac.code.Type;
import com.sun.tools.javac.code.Types;
import javax.lang.model.element.ElementKind;

/**
 * Flags a field (instance or static, interface constants and record components included) that
 * holds a context: its type is a context type, an array of one, or a {@code Collection}, {@code
 * Map}, {@code Optional}, {@code AtomicReference} or {@code ThreadLocal} of one. Go: "Do not store
 * Contexts inside a struct type; instead, pass a Context explicitly to each function that needs
 * it" (containedctx).
 *
 * <p>A stored context outlives the call it was meant for: work started later runs under a
 * deadline that has passed or a cancellation that has fired, and values leak from one request to
 * the next. Functional types such as {@code Function<Context, R>} or {@code Supplier<Context>}
 * store code, not a context, and are not flagged. Fields of a class that is itself a context (a
 * user implementation of {@code Context} holding its parent, as Go's own implementations do) and
 * the constants of an enum that implements {@code Context} are not flagged either.
 */
@AutoService(BugChecker.class)
@BugPattern(
    name = "ContextInField",
    summary = "Pass a context as the first parameter of each method that needs it instead of storing it in a field",
    severity = WARNING,
    linkType = CUSTOM,
    link = "https://github.com/ctx4j/ctx4j/blob/main/docs/checks/ContextInField.md")
public final class ContextInField extends BugChecker implements VariableTreeMatcher {

  private static final long serialVersionUID = 1L;

  /** The containers API.md names; a type argument of one of these (or a subtype) is stored data. */
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
    if (CheckSupport.ctx4jAbsent(state)) {
      return Description.NO_MATCH;
    }
    return InternalErrors.guard(
        this,
        tree,
        state,
        () -> {
          VarSymbol field = ASTHelpers.getSymbol(tree);
          if (field == null
              || field.getKind() != ElementKind.FIELD // also excludes enum constants
              || (field.flags() & Flags.SYNTHETIC) != 0
              || ownerIsContext(field, state)
              || !holdsContext(field.type, state, 0)) {
            return Description.NO_MATCH;
          }
          boolean recordComponent = (field.flags() & Flags.RECORD) != 0;
          return buildDescription(tree)
              .setMessage(
                  (recordComponent ? "This record component stores a context" : "This field stores a context")
                      + "; pass the context as the first parameter of each method that needs it"
                      + " instead (a class that owns a lifetime can keep just the cancel handle,"
                      + " for example an AutoCloseable or Runnable field)")
              .build();
        });
  }

  /** A user implementation of Context may hold its parent, as Go's own implementations do. */
  private static boolean ownerIsContext(Symbol field, VisitorState state) {
    Symbol owner = field.owner;
    return owner != null && ContextTypes.isContext(owner.type, state);
  }

  /**
   * Whether a value of {@code type} is, or contains as stored data, a context: a context type (type
   * variables and wildcards bounded by one included), an array of such, or a container whose type
   * argument is such, at any depth ({@code Map<String, List<Context>>}).
   */
  private static boolean holdsContext(Type type, VisitorState state, int depth) {
    if (type == null || depth > MAX_DEPTH || type.isPrimitive()) {
      return false;
    }
    if (ContextTypes.isContextValued(type, state)) {
      return true;
    }
    Types types = state.getTypes();
    switch (type.getKind()) {
      case ARRAY:
        return holdsContext(types.elemtype(type), state, depth + 1);
      case WILDCARD:
        return holdsContext(((Type.WildcardType) type).getExtendsBound(), state, depth + 1);
      case TYPEVAR:
        return holdsContext(type.getUpperBound(), state, depth + 1);
      case INTERSECTION:
        for (Type bound : ((Type.IntersectionClassType) type).getComponents()) {
          if (holdsContext(bound, state, depth + 1)) {
            return true;
          }
        }
        return false;
      case DECLARED:
        for (String container : CONTAINERS) {
          Type containerType = state.getTypeFromString(container);
          if (containerType == null) {
            continue;
          }
          Type asContainer = types.asSuper(type, containerType.tsym);
          if (asContainer == null) {
            continue;
          }
          for (Type argument : asContainer.getTypeArguments()) {
            if (holdsContext(argument, state, depth + 1)) {
              return true;
            }
          }
        }
        return false;
      default:
        return false;
    }
  }
}
