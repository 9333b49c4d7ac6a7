package org.ctx4j;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.lang.ref.PhantomReference;
import java.lang.ref.Reference;
import java.lang.ref.ReferenceQueue;
import java.security.CodeSource;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * The machinery behind {@link LeakDetection}: the factories call {@link #created} and {@link
 * #unwrap} when {@link LeakSwitch#on()} says so.
 *
 * <p>How a leak is found, and the invariants that keep it exact:
 *
 * <ul>
 *   <li>A watched context is handed out as a {@link WatchedContext}, which only its owner holds
 *       (see that class), with a {@link Watch}: a phantom reference to it, which holds the
 *       context's node (the {@link CancelContext} doing the work) and the stack where it was
 *       created. The watch is in {@link #WATCHES} from creation until it is dismissed or processed,
 *       so that the garbage collector enqueues it when the handle becomes unreachable.
 *   <li>Except a sampled child of a context whose signal never ends (a root, a value chain over
 *       one, a {@code withoutCancel} context; no timer): nothing in the runtime ever refers to such
 *       a child, so it is handed out itself, a {@link TaggedCancelContext}, and its watch is a
 *       phantom reference to its {@link Tag}, a companion only the context refers to. Its parent
 *       never ends, so only its own cancel ends it: the watch holds the parent and the stack, not
 *       the context (that would keep the tag reachable), and an enqueued watch not dismissed is a
 *       leak. The tag is made before the context, so the factory's sampling branch passes the new
 *       context to no call: the JIT still sees one allocation of one class, whose fields it folds
 *       into a {@code cancel()} right after. Every other context keeps the handle: a child of a
 *       cancellable parent may be registered with it later (the parent then holds the node), a
 *       timer holds its node, and a task group takes its context's duty over (see {@link
 *       #ownedBy}).
 *   <li>{@code cancel()} on the handle (on the tagged context) cancels the node, then dismisses the
 *       watch: removes it from {@link #WATCHES} and clears it, so that nothing of a cancelled
 *       context stays here. The handle (the tag) is kept reachable until the dismissal is done.
 *   <li>The daemon thread {@code ctx4j-leak-detector} takes enqueued watches. The one removal from
 *       {@link #WATCHES} (a set operation that succeeds once) decides between a dismissal and the
 *       processing, so a watch is reported at most once, and never after its context's own cancel.
 *       A processed watch whose node is done (cancelled, ended with an ancestor, or past its
 *       deadline; {@link CancelContext#isDoneNow()} also adopts an ancestor's end) is not a leak.
 *       Otherwise no ancestor has ended, and nothing can cancel the node any more: a leak, reported
 *       once. After processing the watch is unreachable: the detector keeps nothing of it.
 *   <li>The detector never keeps a handle or a tag alive (it holds nodes, which do not refer to
 *       handles, and never a tagged context), so watching changes no context's lifetime; the node
 *       lives as long as its handle plus the time the detector takes to process it.
 *   <li>Level {@code sample} watches the first context created after each {@link
 *       #SAMPLE_INTERVAL_MILLIS} ms interval: a context takes the {@link #ticket} (a
 *       compare-and-set, so one context per interval), and the timer thread puts it back one
 *       interval later. Between tickets the factories read one field and go on: no shared write, no
 *       clock read, no random number on their path.
 * </ul>
 */
final class LeakDetector {
  private LeakDetector() {}

  /** Level {@code sample} watches at most one context per interval of this many milliseconds. */
  static final long SAMPLE_INTERVAL_MILLIS = 10;

  static final String CONTEXT = "CancellableContext";
  static final String CANCEL = "cancel() or close()";

  private static final VarHandle TICKET;

  static {
    try {
      TICKET =
          MethodHandles.lookup().findStaticVarHandle(LeakDetector.class, "ticket", boolean.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  /** Where reports go; null for the {@code org.ctx4j} logger. */
  static volatile @Nullable Consumer<? super LeakReport> handler;

  /** Whether a watch records its creation stack (the stress test turns it off). */
  static volatile boolean recordStacks = true;

  /**
   * True when the next context created may be sampled (see the class doc). Read with {@code
   * getOpaque} through {@link #TICKET}: every read sees a recent value (the JIT cannot hoist it out
   * of a loop), without the ordering constraints of a volatile read, which the factories' path does
   * not need (taking the ticket is a compare-and-set).
   */
  @SuppressWarnings("unused") // accessed through TICKET only
  private static boolean ticket = true;

  private static final ReferenceQueue<Object> QUEUE = new ReferenceQueue<>();

  /** The watches not yet dismissed or processed: what keeps them reachable. */
  private static final Set<Watch> WATCHES = ConcurrentHashMap.newKeySet();

  /** The current scope of each thread, inherited by the threads it creates. */
  private static final InheritableThreadLocal<LeakDetection.Scope> SCOPE =
      new InheritableThreadLocal<>();

  /** A context's cancel duty, as a watch or a scope records it. */
  static final class Entry {
    /** The context's node; null in a {@link Tag}'s watch, which must not hold its context. */
    final @Nullable CancelContext node;

    /** In a {@link Tag}'s watch, the parent of the tagged context (see {@link #context()}). */
    final @Nullable Context parent;

    final @Nullable Throwable site;
    final String kind;
    final String ending;

    Entry(CancelContext node, @Nullable Throwable site, String kind, String ending) {
      this(node, null, site, kind, ending);
    }

    private Entry(
        @Nullable CancelContext node,
        @Nullable Context parent,
        @Nullable Throwable site,
        String kind,
        String ending) {
      this.node = node;
      this.parent = parent;
      this.site = site;
      this.kind = kind;
      this.ending = ending;
    }

    /** The duty of a {@link TaggedCancelContext} derived from {@code parent}. */
    static Entry ofTagged(Context parent, @Nullable Throwable site) {
      return new Entry(null, parent, site, CONTEXT, CANCEL);
    }

    /**
     * Whether the duty is void: the context is done, by its cancel or its ancestors' or its
     * deadline. Never for a tagged context, which nothing but its own cancel ends, and whose cancel
     * dismisses its watch.
     */
    boolean ended() {
      CancelContext n = node;
      return n != null && n.isDoneNow();
    }

    /** The context's {@code toString()}; a tagged context's is its parent's and its own step. */
    private String context() {
      CancelContext n = node;
      return n != null ? n.toString() : Objects.requireNonNull(parent) + CancelContext.STEP;
    }

    LeakReport report(boolean sampled) {
      CancelContext n = node;
      CancelContext.Deadline d = n == null ? null : n.deadline;
      return new LeakReport(
          kind,
          ending,
          context(),
          d == null ? null : d.instant,
          site == null ? null : trimmed(site.getStackTrace()),
          sampled);
    }
  }

  /** See the class doc. */
  static final class Watch extends PhantomReference<Object> {
    final Entry entry;
    final boolean sampled;

    Watch(Object handle, Entry entry, boolean sampled) {
      super(handle, QUEUE);
      this.entry = entry;
      this.sampled = sampled;
    }

    /** The handle's duty is done (its cancel was called): forget this watch. */
    void dismiss() {
      if (WATCHES.remove(this)) {
        clear();
      }
    }
  }

  /**
   * What a sampled {@link TaggedCancelContext} is watched through, in place of a handle (see the
   * class doc): only that context refers to it, so it becomes unreachable with the context.
   */
  static final class Tag {
    final Watch watch;

    Tag(Entry entry) {
      this.watch = new Watch(this, entry, true);
    }

    /**
     * Its context's cancel was called (and has ended it): forget the watch. This tag stays
     * reachable until the watch has left {@link #WATCHES}, so the watch is not processed meanwhile.
     */
    void dismiss() {
      try {
        watch.dismiss();
      } finally {
        Reference.reachabilityFence(this);
      }
    }
  }

  /** The stack of a context's creation; never thrown. */
  static final class CreationSite extends Throwable {
    private static final long serialVersionUID = 1L;

    CreationSite() {
      super("created here", null, false, true);
    }
  }

  // ---- The factories' side -------------------------------------------------------------------

  /** The node of a watched context, or {@code parent} itself: what a derived context refers to. */
  static Context unwrap(Context parent) {
    return parent instanceof WatchedContext w ? w.node : parent;
  }

  /**
   * Called by the factories, when {@link LeakSwitch#on()}, with the context they just created:
   * records it in the creating thread's scope, if any, and returns a watched handle for it if the
   * level picks it, else the context itself.
   *
   * <p>At level {@code sample}, {@code withCancel} of a context that never ends does not come here
   * (see {@link #tagsRootChildren}).
   *
   * <p>Only the test that sends the common case of level {@code sample} (no ticket) straight back
   * is here: the rest is in {@link #record}, out of line, so that the factories stay small enough
   * for the JIT to inline them into their callers.
   */
  static CancellableContext created(CancellableContext c) {
    int state = LeakSwitch.state();
    if ((state & (LeakSwitch.SCOPES | LeakSwitch.ALL)) == 0
        && ((state & LeakSwitch.SAMPLE) == 0 || !(boolean) TICKET.getOpaque())) {
      return c;
    }
    return record((CancelContext) c, state);
  }

  private static CancellableContext record(CancelContext node, int state) {
    Throwable site = (state & LeakSwitch.SCOPES) != 0 ? addToScope(node) : null;
    boolean sampled;
    if ((state & LeakSwitch.ALL) != 0) {
      sampled = false;
    } else if ((state & LeakSwitch.SAMPLE) != 0 && takeTicket()) {
      sampled = true;
    } else {
      return node;
    }
    if (node.isDoneNow()) {
      return node; // born done (a done parent, a deadline passed): it owes nothing
    }
    if (site == null && recordStacks) {
      site = new CreationSite();
    }
    LeakSwitch.add(LeakSwitch.WATCHED); // before the handle can be anyone's parent
    WatchedContext handle =
        new WatchedContext(node, new Entry(node, site, CONTEXT, CANCEL), sampled);
    watch(handle.watch);
    return handle;
  }

  /**
   * Whether {@code withCancel} of a context whose signal never ends makes a {@link
   * TaggedCancelContext}, with {@link #tagFor} and then {@link #scoped}, instead of calling {@link
   * #created}: at level {@code sample}. A constant in compiled code.
   */
  static boolean tagsRootChildren() {
    return (LeakSwitch.state() & LeakSwitch.SAMPLE) != 0;
  }

  /**
   * The tag of the {@link TaggedCancelContext} about to be derived from {@code parent} if it takes
   * the ticket (the context is sampled), else null. Called before the context exists, so that the
   * factory passes the new context to no call the JIT might not inline.
   */
  static @Nullable Tag tagFor(Context parent) {
    return (boolean) TICKET.getOpaque() ? sample(parent) : null;
  }

  private static @Nullable Tag sample(Context parent) {
    if (!takeTicket()) {
      return null;
    }
    Tag tag = new Tag(Entry.ofTagged(parent, recordStacks ? new CreationSite() : null));
    watch(tag.watch);
    return tag;
  }

  /**
   * Records {@code node}, just created, in the creating thread's scope, if any: for a {@link
   * TaggedCancelContext}, which {@link #created} does not see. A test that nothing folds away only
   * once a scope has been opened. ({@code node} is declared as the interface so that verifying the
   * factory's call does not load {@link TaggedCancelContext} at level {@code off}.)
   */
  static CancellableContext scoped(CancellableContext node) {
    if ((LeakSwitch.state() & LeakSwitch.SCOPES) != 0) {
      Throwable unused = addToScope((CancelContext) node);
    }
    return node;
  }

  /** Records {@code node} in the current scope, if any; returns the stack recorded, or null. */
  private static @Nullable Throwable addToScope(CancelContext node) {
    LeakDetection.Scope scope = SCOPE.get();
    if (scope == null) {
      return null;
    }
    Throwable site = new CreationSite();
    scope.add(new Entry(node, site, CONTEXT, CANCEL));
    return site;
  }

  private static boolean takeTicket() {
    if (!TICKET.compareAndSet(true, false)) {
      return false;
    }
    ScheduledFuture<?> unused =
        Scheduler.timers()
            .schedule(LeakDetector::returnTicket, SAMPLE_INTERVAL_MILLIS, TimeUnit.MILLISECONDS);
    return true;
  }

  /** Lets the next context created take the ticket (the timer does, an interval after a take). */
  static void returnTicket() {
    TICKET.setVolatile(true);
  }

  private static void watch(Watch w) {
    WATCHES.add(w);
    Drainer.start();
  }

  /**
   * Moves the cancel duty of {@code ctx}, just created by a factory, to {@code owner}, a runtime
   * object that ends the context itself (such as a task group, which cancels it when closed): leak
   * detection then reports {@code owner} becoming unreachable while the context is live, as a
   * {@code kind} not ended by {@code ending}, instead of the context. Call it on the thread that
   * created {@code ctx}, right after creating it.
   *
   * @return the context for {@code owner} to keep (the unwatched node: the owner is watched now)
   */
  static CancellableContext ownedBy(
      CancellableContext ctx, Object owner, String kind, String ending) {
    Objects.requireNonNull(owner, "owner");
    if (ctx instanceof WatchedContext w) {
      moveDuty(w.watch, w.node, owner, kind, ending);
      relabel(w.node, kind, ending);
      return w.node;
    }
    if (ctx instanceof TaggedCancelContext t && t.tag != null) {
      moveDuty(t.tag.watch, t, owner, kind, ending); // then its own cancel dismisses nothing
    }
    if ((LeakSwitch.state() & LeakSwitch.SCOPES) != 0 && ctx instanceof CancelContext node) {
      relabel(node, kind, ending);
    }
    return ctx;
  }

  /** Replaces the watch {@code old}, unless processed already, with one of {@code owner}. */
  private static void moveDuty(
      Watch old, CancelContext node, Object owner, String kind, String ending) {
    if (WATCHES.remove(old)) {
      old.clear();
      watch(new Watch(owner, new Entry(node, old.entry.site, kind, ending), old.sampled));
    }
  }

  private static void relabel(CancelContext node, String kind, String ending) {
    LeakDetection.Scope scope = SCOPE.get();
    if (scope != null) {
      scope.relabel(node, kind, ending);
    }
  }

  // ---- Scopes --------------------------------------------------------------------------------

  static LeakDetection.Scope openScope() {
    LeakSwitch.add(LeakSwitch.SCOPES);
    LeakDetection.Scope s = new LeakDetection.Scope(SCOPE.get(), Thread.currentThread());
    SCOPE.set(s);
    return s;
  }

  static void closeScope(LeakDetection.Scope s) {
    if (Thread.currentThread() != s.opener()) {
      throw new IllegalStateException(
          "close a leak detection scope on the thread that opened it ("
              + s.opener().getName()
              + "), not on "
              + Thread.currentThread().getName());
    }
    if (SCOPE.get() == s) {
      if (s.previous() == null) {
        SCOPE.remove();
      } else {
        SCOPE.set(s.previous());
      }
    }
  }

  // ---- Processing ----------------------------------------------------------------------------

  /** The detector thread, started with the first watch. */
  private static final class Drainer {
    static {
      Thread t = new Thread(LeakDetector::drain, "ctx4j-leak-detector");
      t.setDaemon(true);
      t.start();
    }

    static void start() {}
  }

  private static void drain() {
    while (true) {
      try {
        process((Watch) QUEUE.remove());
      } catch (InterruptedException e) {
        // Nobody else owns this thread: keep watching.
      } catch (Throwable t) {
        Scheduler.report(t);
      }
    }
  }

  /** An enqueued watch: its handle is unreachable. See the class doc. */
  static void process(Watch w) {
    if (!WATCHES.remove(w)) {
      return; // dismissed by its cancel meanwhile
    }
    Entry e = w.entry;
    if (!e.ended()) {
      deliver(e.report(w.sampled));
    }
  }

  private static void deliver(LeakReport report) {
    Consumer<? super LeakReport> h = handler;
    if (h == null) {
      System.getLogger("org.ctx4j").log(System.Logger.Level.WARNING, report.toString());
      return;
    }
    try {
      h.accept(report);
    } catch (Throwable t) {
      Scheduler.report(t);
    }
  }

  /** How many watches are pending: {@code RuntimeInternals.watchCount}. */
  static int watchCount() {
    return WATCHES.size();
  }

  // ---- Stacks --------------------------------------------------------------------------------

  /** {@code stack} without its leading frames in the runtime's own classes. */
  static List<StackTraceElement> trimmed(StackTraceElement[] stack) {
    int i = 0;
    while (i < stack.length && isRuntimeFrame(stack[i])) {
      i++;
    }
    return List.of(Arrays.copyOfRange(stack, i, stack.length));
  }

  private static boolean isRuntimeFrame(StackTraceElement e) {
    String name = e.getClassName();
    String pkg = "org.ctx4j.";
    if (!name.startsWith(pkg) || name.indexOf('.', pkg.length()) >= 0) {
      return false;
    }
    try {
      Class<?> c = Class.forName(name, false, LeakDetector.class.getClassLoader());
      Module mine = LeakDetector.class.getModule();
      if (mine.isNamed()) {
        return c.getModule() == mine;
      }
      Object here = location(LeakDetector.class);
      return here != null && here.equals(location(c));
    } catch (ClassNotFoundException | LinkageError | SecurityException ex) {
      return false;
    }
  }

  private static @Nullable Object location(Class<?> c) {
    CodeSource s = c.getProtectionDomain().getCodeSource();
    return s == null || s.getLocation() == null ? null : s.getLocation().toString();
  }
}
