package org.ctx4j;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.lang.ref.PhantomReference;
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
 *   <li>{@code cancel()} on the handle cancels the node, then dismisses the watch: removes it from
 *       {@link #WATCHES} and clears it, so that nothing of a cancelled context stays here.
 *   <li>The daemon thread {@code ctx4j-leak-detector} takes enqueued watches. The one removal from
 *       {@link #WATCHES} (a set operation that succeeds once) decides between a dismissal and the
 *       processing, so a watch is reported at most once, and never after its context's own cancel.
 *       A processed watch whose node is done (cancelled, ended with an ancestor, or past its
 *       deadline; {@link CancelContext#isDoneNow()} also adopts an ancestor's end) is not a leak.
 *       Otherwise no ancestor has ended, and nothing can cancel the node any more: a leak, reported
 *       once. After processing the watch is unreachable: the detector keeps nothing of it.
 *   <li>The detector never keeps a handle alive (it holds nodes, which do not refer to handles), so
 *       watching changes no context's lifetime; the node lives as long as its handle plus the time
 *       the detector takes to process it.
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
    final CancelContext node;
    final @Nullable Throwable site;
    final String kind;
    final String ending;

    Entry(CancelContext node, @Nullable Throwable site, String kind, String ending) {
      this.node = node;
      this.site = site;
      this.kind = kind;
      this.ending = ending;
    }

    /**
     * Whether the duty is void: the context is done, by its cancel or its ancestors' or its
     * deadline.
     */
    boolean ended() {
      return node.isDoneNow();
    }

    LeakReport report(boolean sampled) {
      CancelContext.Deadline d = node.deadline;
      return new LeakReport(
          kind,
          ending,
          node.toString(),
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
    Throwable site = null;
    if ((state & LeakSwitch.SCOPES) != 0) {
      LeakDetection.Scope scope = SCOPE.get();
      if (scope != null) {
        site = new CreationSite();
        scope.add(new Entry(node, site, CONTEXT, CANCEL));
      }
    }
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
    if (!(ctx instanceof WatchedContext w)) {
      if ((LeakSwitch.state() & LeakSwitch.SCOPES) != 0 && ctx instanceof CancelContext node) {
        relabel(node, kind, ending);
      }
      return ctx;
    }
    Watch old = w.watch;
    if (WATCHES.remove(old)) {
      old.clear();
      Entry e = old.entry;
      watch(new Watch(owner, new Entry(e.node, e.site, kind, ending), old.sampled));
    }
    relabel(w.node, kind, ending);
    return w.node;
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
