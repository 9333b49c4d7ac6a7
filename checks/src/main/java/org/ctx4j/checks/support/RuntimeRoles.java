package org.ctx4j.checks.support;

import com.google.errorprone.VisitorState;
import com.google.errorprone.suppliers.Supplier;
import com.google.errorprone.util.ASTHelpers;
import com.sun.source.tree.ExpressionTree;
import com.sun.source.tree.MemberSelectTree;
import com.sun.source.tree.MethodInvocationTree;
import com.sun.tools.javac.code.Symbol;
import com.sun.tools.javac.code.Symbol.MethodSymbol;
import com.sun.tools.javac.util.Name;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What each public method of the ctx4j runtime (package {@code org.ctx4j}) does that a check cares
 * about: whether it makes a new context tree, derives a context from a parent, takes a value key,
 * blocks, or hands its caller something that must be ended. Every public method of the runtime is
 * listed here, with no role where it has none, and a test fails when the runtime gains a public
 * method that is not: a method added later is seen by every check once it is classified here.
 *
 * <p>Each check asks about the role it enforces, never about method names of its own: {@code
 * NullContext} about the key arguments that must not be null, {@code ContextDerivedInLoop} about
 * the parent a context is derived from, {@code ContextKeyNotPrivate} about where the key of a call
 * is. The name tests of {@link ContextTypes} ({@code DERIVING_FACTORY_NAMES} and the others) answer
 * for the static factories of {@code Context}, and the same test holds them to this list.
 *
 * <p>A method is known by its class's canonical name and its simple name; overloads share one entry
 * (they play the same part with the same argument positions). An override of a runtime method
 * outside the runtime (a user's {@code Context.value}) has the role of the method it overrides.
 */
public final class RuntimeRoles {

  /** What a runtime method does that a check cares about. A method may have several, or none. */
  public enum Role {
    /** It returns a new root context, the start of a new context tree ({@code background}). */
    ROOT,
    /**
     * It returns a context derived from a context argument or receiver, its parent ({@code
     * withCancel}, {@code withValue}, {@code ContextKey.with}): see {@link Entry#parent}.
     */
    DERIVES_CONTEXT,
    /** It takes a value key, as an argument or as its receiver: see {@link Entry#key}. */
    TAKES_KEY,
    /**
     * It waits (for a context, a future, tasks); {@link Entry#boundedByContext} says whether a
     * context it is given, or its receiver's context, ends the wait.
     */
    BLOCKS,
    /**
     * It hands its caller something that must be ended on every path: a {@code CancellableContext}
     * (cancelled or closed), a {@code TaskGroup} (awaited or closed), an {@code InterruptScope} or
     * a leak-detection scope (closed). {@link Entry#endedBy} names the methods that end it.
     */
    CANCEL_DUTY,
    /**
     * It runs a body it is given as a task, on another thread, inside an interrupt scope of the
     * context it hands the body ({@code TaskGroup.go}, {@code ContextExecutors.callAsync}): a wait
     * in that body ends when the task's context does.
     */
    RUNS_TASK
  }

  /** Where the receiver of an instance method plays the part ({@code KEY.get(ctx)}: the key). */
  public static final int RECEIVER = -1;

  /** The argument position of a part the method does not have. */
  public static final int ABSENT = -2;

  /**
   * One runtime method (all its overloads).
   *
   * @param owner the canonical name of the class or interface that declares it
   * @param name its simple name
   * @param roles its roles, empty for none
   * @param parent for {@link Role#DERIVES_CONTEXT}, the position of the parent argument (or {@link
   *     #RECEIVER}); else {@link #ABSENT}
   * @param key for {@link Role#TAKES_KEY}, the position of the key argument (or {@link #RECEIVER});
   *     else {@link #ABSENT}
   * @param boundedByContext for {@link Role#BLOCKS}, whether a context ends the wait
   * @param endedBy for {@link Role#CANCEL_DUTY}, the names of the methods of the result that end
   *     it; else empty
   */
  public record Entry(
      String owner,
      String name,
      Set<Role> roles,
      int parent,
      int key,
      boolean boundedByContext,
      List<String> endedBy) {

    public boolean has(Role role) {
      return roles.contains(role);
    }

    /**
     * The parent argument of {@code call} (a call of this method), or null when it has none or it
     * is an implicit {@code this}.
     */
    public ExpressionTree parentOf(MethodInvocationTree call) {
      return part(call, parent);
    }

    /** The key of {@code call} (a call of this method), or null as for {@link #parentOf}. */
    public ExpressionTree keyOf(MethodInvocationTree call) {
      return part(call, key);
    }

    private static ExpressionTree part(MethodInvocationTree call, int position) {
      if (position == RECEIVER) {
        return call.getMethodSelect() instanceof MemberSelectTree select
            ? select.getExpression()
            : null;
      }
      return position >= 0 && position < call.getArguments().size()
          ? call.getArguments().get(position)
          : null;
    }
  }

  private static final String CONTEXT = ContextTypes.CONTEXT;
  private static final String CANCELLABLE = ContextTypes.CANCELLABLE_CONTEXT;
  private static final String TASK_GROUP = ContextTypes.TASK_GROUP;
  private static final String CONTEXT_EXECUTORS = ContextTypes.CONTEXT_EXECUTORS;
  private static final String LEAK_DETECTION = "org.ctx4j.LeakDetection";
  private static final List<String> CANCEL_OR_CLOSE = List.of("cancel", "close");

  /** Every public method of the runtime, in the order of its classes. */
  private static final List<Entry> ENTRIES = entries();

  /** {@link #ENTRIES} by owner, then name. */
  private static final Map<String, Map<String, Entry>> BY_OWNER = index(ENTRIES);

  private static final NameSet DERIVING_NAMES = namesOf(Role.DERIVES_CONTEXT);
  private static final NameSet KEY_NAMES = namesOf(Role.TAKES_KEY);
  private static final NameSet BLOCKING_NAMES = namesOf(Role.BLOCKS);
  private static final NameSet CANCEL_DUTY_NAMES = namesOf(Role.CANCEL_DUTY);
  private static final NameSet ROOT_NAMES = namesOf(Role.ROOT);
  private static final NameSet TASK_NAMES = namesOf(Role.RUNS_TASK);

  /**
   * The classes and interfaces of the runtime that code outside it may extend or implement (the
   * others are final, or sealed to the runtime): an override of one of their methods has its role.
   */
  static final Set<String> OPEN_OWNERS =
      Set.of(
          CONTEXT,
          CANCELLABLE,
          "org.ctx4j.CancelFunc",
          "org.ctx4j.AfterFunc",
          "org.ctx4j.InterruptScope",
          "org.ctx4j.Done",
          "org.ctx4j.Done.Registration",
          TASK_GROUP + ".Task",
          TASK_GROUP + ".ValueTask");

  /** The names of the methods of {@link #OPEN_OWNERS}. */
  private static final NameSet OPEN_NAMES =
      NameSet.of(
          ENTRIES.stream()
              .filter(e -> OPEN_OWNERS.contains(e.owner()))
              .map(Entry::name)
              .distinct()
              .toList());

  private static final Supplier<Name> RUNTIME_PACKAGE = PerCompilation.name("org.ctx4j");

  private RuntimeRoles() {}

  private static List<Entry> entries() {
    List<Entry> e = new ArrayList<>();
    // Context: the factories of Go's context package, and the helpers around them.
    none(e, CONTEXT, "afterFunc", "cause", "isCanceled", "isDeadlineExceeded", "findDoneError");
    none(e, CONTEXT, "awaitAsync", "throwIfDone", "timeLeft", "deadline", "done", "err");
    for (String root : List.of("background", "todo")) {
      e.add(entry(CONTEXT, root, EnumSet.of(Role.ROOT), ABSENT, ABSENT, false, List.of()));
    }
    for (String factory :
        List.of(
            "withCancel", "withTimeout", "withDeadline", "withTimeoutCause", "withDeadlineCause")) {
      e.add(
          entry(
              CONTEXT,
              factory,
              EnumSet.of(Role.DERIVES_CONTEXT, Role.CANCEL_DUTY),
              0,
              ABSENT,
              false,
              CANCEL_OR_CLOSE));
    }
    e.add(
        entry(
            CONTEXT,
            "withValue",
            EnumSet.of(Role.DERIVES_CONTEXT, Role.TAKES_KEY),
            0,
            1,
            false,
            List.of()));
    e.add(
        entry(
            CONTEXT,
            "withoutCancel",
            EnumSet.of(Role.DERIVES_CONTEXT),
            0,
            ABSENT,
            false,
            List.of()));
    e.add(entry(CONTEXT, "value", EnumSet.of(Role.TAKES_KEY), ABSENT, 0, false, List.of()));
    for (String wait : List.of("await", "sleep")) {
      e.add(entry(CONTEXT, wait, EnumSet.of(Role.BLOCKS), ABSENT, ABSENT, true, List.of()));
    }
    e.add(
        entry(
            CONTEXT,
            "interruptWhenDone",
            EnumSet.of(Role.CANCEL_DUTY),
            ABSENT,
            ABSENT,
            false,
            List.of("close")));
    none(e, CANCELLABLE, "cancel", "close");
    none(e, "org.ctx4j.CancelFunc", "cancel");
    none(e, "org.ctx4j.AfterFunc", "stop");
    none(e, "org.ctx4j.InterruptScope", "close");
    none(e, "org.ctx4j.ContextDoneException", "fillInStackTrace");
    none(e, "org.ctx4j.DeadlineExceededException", "isTimeout");
    // Done: the channel of Go's ctx.Done(); await waits for the context itself.
    none(e, "org.ctx4j.Done", "isDone", "onDone", "toFuture");
    e.add(
        entry("org.ctx4j.Done", "await", EnumSet.of(Role.BLOCKS), ABSENT, ABSENT, true, List.of()));
    none(e, "org.ctx4j.Done.Registration", "remove");
    // ContextKey: typed keys; the key is the receiver.
    none(e, "org.ctx4j.ContextKey", "of", "withDefault");
    e.add(
        entry(
            "org.ctx4j.ContextKey",
            "with",
            EnumSet.of(Role.DERIVES_CONTEXT, Role.TAKES_KEY),
            0,
            RECEIVER,
            false,
            List.of()));
    e.add(
        entry(
            "org.ctx4j.ContextKey",
            "get",
            EnumSet.of(Role.TAKES_KEY),
            ABSENT,
            RECEIVER,
            false,
            List.of()));
    // Task groups (Go's errgroup): the group must be awaited or closed; both wait for its tasks,
    // which its context only asks to stop.
    for (String factory : List.of("withContext", "withLimit")) {
      e.add(
          entry(
              TASK_GROUP,
              factory,
              EnumSet.of(Role.CANCEL_DUTY),
              ABSENT,
              ABSENT,
              false,
              List.of("await", "close")));
    }
    none(e, TASK_GROUP, "context");
    only(e, TASK_GROUP, Role.RUNS_TASK, "go", "tryGo", "fork");
    only(e, TASK_GROUP, Role.BLOCKS, "await", "close");
    none(e, TASK_GROUP + ".Task", "run");
    none(e, TASK_GROUP + ".ValueTask", "call");
    none(e, TASK_GROUP + ".Result", "get");
    only(e, CONTEXT_EXECUTORS, Role.RUNS_TASK, "callAsync", "runAsync");
    none(e, CONTEXT_EXECUTORS, "bind");
    // Leak detection: a scope must be closed.
    none(e, LEAK_DETECTION, "level", "setLevel", "setHandler");
    e.add(
        entry(
            LEAK_DETECTION,
            "openScope",
            EnumSet.of(Role.CANCEL_DUTY),
            ABSENT,
            ABSENT,
            false,
            List.of("close")));
    none(e, LEAK_DETECTION + ".Level", "values", "valueOf", "propertyValue");
    none(e, LEAK_DETECTION + ".Scope", "exclude", "unfinished", "close");
    none(e, "org.ctx4j.LeakReport", "kind", "context", "deadline", "creationStack", "sampled");
    return Collections.unmodifiableList(e);
  }

  private static Entry entry(
      String owner,
      String name,
      Set<Role> roles,
      int parent,
      int key,
      boolean bounded,
      List<String> endedBy) {
    return new Entry(
        owner, name, Collections.unmodifiableSet(roles), parent, key, bounded, endedBy);
  }

  private static void none(List<Entry> entries, String owner, String... names) {
    for (String name : names) {
      entries.add(entry(owner, name, EnumSet.noneOf(Role.class), ABSENT, ABSENT, false, List.of()));
    }
  }

  /** Methods whose one role needs no parent, key, bound or ending: a task runner, a plain wait. */
  private static void only(List<Entry> entries, String owner, Role role, String... names) {
    for (String name : names) {
      entries.add(entry(owner, name, EnumSet.of(role), ABSENT, ABSENT, false, List.of()));
    }
  }

  private static Map<String, Map<String, Entry>> index(List<Entry> entries) {
    Map<String, Map<String, Entry>> byOwner = new HashMap<>();
    for (Entry entry : entries) {
      Entry previous =
          byOwner.computeIfAbsent(entry.owner(), o -> new HashMap<>()).put(entry.name(), entry);
      if (previous != null) {
        throw new IllegalStateException("classified twice: " + entry.owner() + "." + entry.name());
      }
    }
    return byOwner;
  }

  private static NameSet namesOf(Role role) {
    return NameSet.of(
        ENTRIES.stream().filter(e -> e.has(role)).map(Entry::name).distinct().toList());
  }

  /** Every classified method: what the test compares with the runtime's public methods. */
  public static List<Entry> entries(Role role) {
    return ENTRIES.stream().filter(e -> role == null || e.has(role)).toList();
  }

  /**
   * The names of the methods that have {@code role}: the cheap test on a call's name before its
   * symbol is looked up.
   */
  public static NameSet names(Role role) {
    return switch (role) {
      case ROOT -> ROOT_NAMES;
      case DERIVES_CONTEXT -> DERIVING_NAMES;
      case TAKES_KEY -> KEY_NAMES;
      case BLOCKS -> BLOCKING_NAMES;
      case CANCEL_DUTY -> CANCEL_DUTY_NAMES;
      case RUNS_TASK -> TASK_NAMES;
    };
  }

  /** The entry of the method declared as {@code owner}'s {@code name}, or null. */
  public static Entry entry(String owner, String name) {
    Map<String, Entry> methods = BY_OWNER.get(owner);
    return methods == null ? null : methods.get(name);
  }

  /**
   * The entry of {@code method}: a runtime method, or a method that overrides one of an interface
   * users implement (a user's {@code Context.value}); null for any other method, or null. A method
   * of another package is looked at only when its name is one of those interfaces' methods, so that
   * {@code list.get(i)} costs a name comparison.
   */
  public static Entry of(MethodSymbol method, VisitorState state) {
    if (method == null || method.owner == null) {
      return null;
    }
    Symbol.PackageSymbol pkg = method.owner.packge();
    if (pkg != null && pkg.fullname == RUNTIME_PACKAGE.get(state)) {
      return entry(method.owner.getQualifiedName().toString(), method.name.toString());
    }
    if (method.isStatic()
        || !OPEN_NAMES.contains(method.name, state)
        || ContextTypes.isJdkClass(method.owner)) {
      return null;
    }
    for (MethodSymbol overridden : ASTHelpers.findSuperMethods(method, state.getTypes())) {
      Entry inherited =
          entry(overridden.owner.getQualifiedName().toString(), overridden.name.toString());
      if (inherited != null) {
        return inherited;
      }
    }
    return null;
  }

  /**
   * The entry of the method {@code call} invokes when it has {@code role}, else null. Its name is
   * tested first, then its symbol.
   */
  public static Entry ofCall(MethodInvocationTree call, Role role, VisitorState state) {
    if (!names(role).contains(CheckSupport.calledName(call), state)) {
      return null;
    }
    Entry entry = of(ASTHelpers.getSymbol(call), state);
    return entry != null && entry.has(role) ? entry : null;
  }
}
