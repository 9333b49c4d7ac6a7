package org.ctx4j.checks.support;

import static com.google.errorprone.matchers.method.MethodMatchers.instanceMethod;
import static com.google.errorprone.matchers.method.MethodMatchers.staticMethod;

import com.google.errorprone.VisitorState;
import com.google.errorprone.matchers.Matcher;
import com.google.errorprone.suppliers.Supplier;
import com.google.errorprone.util.ASTHelpers;
import com.sun.source.tree.ExpressionTree;
import com.sun.tools.javac.code.Flags;
import com.sun.tools.javac.code.Symbol;
import com.sun.tools.javac.code.Symbol.ModuleSymbol;
import com.sun.tools.javac.code.Symbol.PackageSymbol;
import com.sun.tools.javac.code.Type;
import java.util.List;
import java.util.stream.Stream;
import javax.lang.model.type.TypeKind;

/**
 * What the checks share about ctx4j itself: which types are context types and which calls are the
 * runtime's factories. Every check asks here, so the answer is the same everywhere. The few facts
 * about grpc's {@code io.grpc.Context} that a check needs are here too.
 */
public final class ContextTypes {
  public static final String CONTEXT = "org.ctx4j.Context";
  public static final String CANCELLABLE_CONTEXT = "org.ctx4j.CancellableContext";
  public static final String TASK_GROUP = "org.ctx4j.TaskGroup";
  public static final String CONTEXT_EXECUTORS = "org.ctx4j.ContextExecutors";

  /** grpc's context, which some checks also know: {@code io.grpc.Context}. */
  public static final String GRPC_CONTEXT = "io.grpc.Context";

  /** grpc's cancellable context, {@code io.grpc.Context.CancellableContext}. */
  public static final String GRPC_CANCELLABLE_CONTEXT = "io.grpc.Context.CancellableContext";

  private static final Supplier<Type> CONTEXT_TYPE = PerCompilation.type(CONTEXT);
  private static final Supplier<Type> CANCELLABLE_CONTEXT_TYPE =
      PerCompilation.type(CANCELLABLE_CONTEXT);
  private static final Supplier<Type> TASK_GROUP_TYPE = PerCompilation.type(TASK_GROUP);
  private static final Supplier<Type> GRPC_CONTEXT_TYPE = PerCompilation.type(GRPC_CONTEXT);
  private static final Supplier<Type> GRPC_CANCELLABLE_CONTEXT_TYPE =
      PerCompilation.type(GRPC_CANCELLABLE_CONTEXT);

  /** The names of the factories that return a {@code CancellableContext}. */
  private static final List<String> CANCELLABLE_FACTORIES =
      List.of("withCancel", "withTimeout", "withDeadline", "withTimeoutCause", "withDeadlineCause");

  /** The names of the factories of a {@code TaskGroup}. */
  private static final List<String> TASK_GROUP_FACTORIES = List.of("withContext", "withLimit");

  /** The names of grpc's instance methods that return a {@code Context.CancellableContext}. */
  private static final List<String> GRPC_CANCELLABLE_FACTORIES =
      List.of("withCancellation", "withDeadline", "withDeadlineAfter");

  /** The names of every factory that derives a context from a parent given first. */
  private static final List<String> DERIVING_FACTORIES =
      Stream.concat(CANCELLABLE_FACTORIES.stream(), Stream.of("withValue", "withoutCancel"))
          .toList();

  /** The names of the factories of new context trees. */
  private static final List<String> ROOT_FACTORIES = List.of("background", "todo");

  /**
   * {@code withCancel}, {@code withTimeout}, {@code withDeadline} and the {@code *Cause} variants.
   */
  public static final Matcher<ExpressionTree> CANCELLABLE_FACTORY =
      staticMethod().onClass(CONTEXT).namedAnyOf(CANCELLABLE_FACTORIES);

  /** {@code Context.withValue(parent, key, value)}. */
  public static final Matcher<ExpressionTree> WITH_VALUE =
      staticMethod().onClass(CONTEXT).named("withValue");

  /** {@code ctx.value(key)} on any context type. */
  public static final Matcher<ExpressionTree> VALUE_LOOKUP =
      instanceMethod().onDescendantOf(CONTEXT).named("value");

  /** {@code Context.background()} and {@code Context.todo()}: the roots of new context trees. */
  public static final Matcher<ExpressionTree> ROOT =
      staticMethod().onClass(CONTEXT).namedAnyOf(ROOT_FACTORIES);

  /**
   * Every factory that derives a context from a parent given as its first argument: the cancellable
   * ones, {@code withValue} and {@code withoutCancel}.
   */
  public static final Matcher<ExpressionTree> DERIVING_FACTORY =
      staticMethod().onClass(CONTEXT).namedAnyOf(DERIVING_FACTORIES);

  /** {@code TaskGroup.withContext} and {@code TaskGroup.withLimit}, every overload. */
  public static final Matcher<ExpressionTree> TASK_GROUP_FACTORY =
      staticMethod().onClass(TASK_GROUP).namedAnyOf(TASK_GROUP_FACTORIES);

  /**
   * grpc's {@code withCancellation()}, {@code withDeadline(deadline, scheduler)} and {@code
   * withDeadlineAfter(duration, unit, scheduler)}, on any {@code io.grpc.Context}.
   */
  public static final Matcher<ExpressionTree> GRPC_CANCELLABLE_FACTORY =
      instanceMethod().onDescendantOf(GRPC_CONTEXT).namedAnyOf(GRPC_CANCELLABLE_FACTORIES);

  /** grpc's {@code ctx.attach()}, which returns the context it replaces as the current one. */
  public static final Matcher<ExpressionTree> GRPC_ATTACH =
      instanceMethod().onDescendantOf(GRPC_CONTEXT).named("attach");

  /**
   * The method names of {@link #CANCELLABLE_FACTORY}, {@link #TASK_GROUP_FACTORY}, {@link
   * #GRPC_CANCELLABLE_FACTORY} and {@link #GRPC_ATTACH}: every call that creates something that
   * must be ended (or restored) on every path. The cheap test before the matchers.
   */
  public static final NameSet ENDED_RESOURCE_FACTORY_NAMES =
      NameSet.of(
          Stream.of(
                  CANCELLABLE_FACTORIES,
                  TASK_GROUP_FACTORIES,
                  GRPC_CANCELLABLE_FACTORIES,
                  List.of("attach"))
              .flatMap(List::stream)
              .distinct()
              .toList());

  /** {@link #CANCELLABLE_FACTORY}'s method names: the cheap test before the matcher. */
  public static final NameSet CANCELLABLE_FACTORY_NAMES = NameSet.of(CANCELLABLE_FACTORIES);

  /** {@link #DERIVING_FACTORY}'s method names: the cheap test before the matcher. */
  public static final NameSet DERIVING_FACTORY_NAMES = NameSet.of(DERIVING_FACTORIES);

  /** {@link #ROOT}'s method names, {@code background} and {@code todo}. */
  public static final NameSet ROOT_FACTORY_NAMES = NameSet.of(ROOT_FACTORIES);

  /** {@link #WITH_VALUE}'s method name. */
  public static final NameSet WITH_VALUE_NAME = NameSet.of("withValue");

  /** {@link #VALUE_LOOKUP}'s method name. */
  public static final NameSet VALUE_LOOKUP_NAME = NameSet.of("value");

  /** {@code Context.interruptWhenDone(ctx)}. */
  public static final Matcher<ExpressionTree> INTERRUPT_WHEN_DONE =
      staticMethod().onClass(CONTEXT).named("interruptWhenDone");

  private ContextTypes() {}

  /**
   * True when this compilation has met neither {@code org.ctx4j.Context} nor {@code
   * io.grpc.Context}: then nothing in the unit being analysed can be a context of either library
   * (see {@link CheckSupport#ctx4jAbsent}, which says the same for ctx4j alone).
   */
  public static boolean noContextLibrary(VisitorState state) {
    return contextType(state) == null && GRPC_CONTEXT_TYPE.get(state) == null;
  }

  /** Whether {@code type} is {@code io.grpc.Context} or a subtype. Null-safe. */
  public static boolean isGrpcContext(Type type, VisitorState state) {
    return isSubtypeOf(type, GRPC_CONTEXT_TYPE.get(state), state);
  }

  /** Whether {@code type} is grpc's {@code Context.CancellableContext}. Null-safe. */
  public static boolean isGrpcCancellableContext(Type type, VisitorState state) {
    return isSubtypeOf(type, GRPC_CANCELLABLE_CONTEXT_TYPE.get(state), state);
  }

  /** Whether {@code type} is {@code org.ctx4j.TaskGroup}. Null-safe. */
  public static boolean isTaskGroup(Type type, VisitorState state) {
    return isSubtypeOf(type, TASK_GROUP_TYPE.get(state), state);
  }

  /** Whether {@code method} is {@code Context.background()} or {@code Context.todo()}. */
  public static boolean isRootFactory(Symbol.MethodSymbol method) {
    return method.isStatic()
        && method.owner.getQualifiedName().contentEquals(CONTEXT)
        && ROOT_FACTORIES.contains(method.name.toString());
  }

  /**
   * The type {@code org.ctx4j.Context}, or null when the runtime is not on the classpath of this
   * compilation (then nothing can be a context and a check has nothing to do).
   */
  public static Type contextType(VisitorState state) {
    return CONTEXT_TYPE.get(state);
  }

  /**
   * Whether {@code type} is a context type: {@code org.ctx4j.Context} or a subtype, including a
   * type variable bounded by one. Null-safe.
   */
  public static boolean isContext(Type type, VisitorState state) {
    return isSubtypeOf(type, contextType(state), state);
  }

  /** Whether {@code type} is {@code org.ctx4j.CancellableContext} or a subtype. Null-safe. */
  public static boolean isCancellableContext(Type type, VisitorState state) {
    return isSubtypeOf(type, CANCELLABLE_CONTEXT_TYPE.get(state), state);
  }

  /**
   * Whether {@code type} is a subtype of {@code runtimeType}, a type of the ctx4j runtime (or of
   * grpc). The symbols attached to the type answer the common cases without a subtype test: the
   * runtime type itself, and a class of the JDK, which never extends the runtime's types.
   */
  private static boolean isSubtypeOf(Type type, Type runtimeType, VisitorState state) {
    if (type == null || runtimeType == null || type.isPrimitive()) {
      return false;
    }
    if (type.tsym == runtimeType.tsym) {
      return true;
    }
    if (type.getKind() == TypeKind.DECLARED && isJdkClass(type.tsym)) {
      return false;
    }
    return ASTHelpers.isSubtype(type, runtimeType, state);
  }

  /**
   * Whether {@code sym} is a class of the JDK itself (of a system module): such a class is not, and
   * does not extend, a type of the ctx4j runtime. False when the compilation does not use modules
   * (for example with {@code --release 8}): then nothing is known from the symbol alone.
   */
  public static boolean isJdkClass(Symbol sym) {
    PackageSymbol pkg = sym == null ? null : sym.packge();
    ModuleSymbol module = pkg == null ? null : pkg.modle;
    return module != null && (module.flags() & Flags.SYSTEM_MODULE) != 0;
  }

  /**
   * Whether a value of {@code type} is always a context: {@link #isContext} plus the shapes erasure
   * hides, a type variable or intersection with any context bound ({@code <C extends Serializable &
   * Context>}) and a wildcard with a context upper bound. Null-safe; false for the null type.
   */
  public static boolean isContextValued(Type type, VisitorState state) {
    return isContextValued(type, state, 0);
  }

  private static boolean isContextValued(Type type, VisitorState state, int depth) {
    if (type == null || depth > 8 || type.isPrimitive()) {
      return false;
    }
    switch (type.getKind()) {
      case TYPEVAR -> {
        return isContextValued(type.getUpperBound(), state, depth + 1);
      }
      case WILDCARD -> {
        return isContextValued(((Type.WildcardType) type).getExtendsBound(), state, depth + 1);
      }
      case INTERSECTION -> {
        for (Type bound : ((Type.IntersectionClassType) type).getComponents()) {
          if (isContextValued(bound, state, depth + 1)) {
            return true;
          }
        }
        return false;
      }
      case DECLARED -> {
        return isContext(type, state);
      }
      default -> {
        return false;
      }
    }
  }
}
