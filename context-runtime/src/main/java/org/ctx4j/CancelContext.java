package org.ctx4j;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * {@link Context#withCancel(Context)}: Go's {@code cancelCtx}, and the base of {@link
 * TimerContext}. The only runtime context that can become done.
 *
 * <p>State and the invariants that keep it correct:
 *
 * <ul>
 *   <li>{@link #err} is null while the context is live and is set once, by a compare-and-set, to
 *       the error of the cancellation event that ends it. That CAS is the one and only decision of
 *       who cancels: the first cause wins (Go: "if c.err != nil { return }" under {@code c.mu}).
 *       The cause travels inside the error object ({@link ContextDoneException#causeOrSelf()}), so
 *       one volatile write publishes both and {@code Context.cause} never sees an error without its
 *       cause.
 *   <li>A plain {@link #cancel()} sets {@link #err} to the marker {@link #CANCELED_PENDING} instead
 *       of a new exception: most contexts are cancelled by their owner's {@code close()} and nobody
 *       ever asks for their error, and creating a {@code Throwable} costs more than the rest of
 *       derive + cancel together. The first caller that needs the error ({@code err()}, or a cancel
 *       that must hand it to children) replaces the marker, by one compare-and-set, with a new
 *       {@link CanceledException}; whoever loses that race takes the winner's. So {@code err()}
 *       still returns one object on every call, the children of the event still share it, and the
 *       marker never leaves this class ({@link #error()} is the only way to read it).
 *   <li><b>Lazy registration.</b> A child registers with its parent (a {@link ChildLink} in the
 *       parent's {@link #entries}) only when something must be pushed to it: its first callback,
 *       waiting thread, {@code toFuture()} view, afterFunc, registered child, or a timer (a {@link
 *       TimerContext} registers when created, so that its parent's cancel stops the timer at once).
 *       Until then the parent keeps nothing of it: deriving and cancelling children of one shared
 *       live parent (every request of a server) writes nothing shared. An unregistered context
 *       learns of its ancestors' cancels by asking: {@link #state()} walks up through unregistered
 *       links (stopping at the first registered context, whose own state is then authoritative)
 *       and, if one is done, <i>adopts</i> its error: it cancels the unregistered links below the
 *       done one, top-down, each with its parent's error, exactly as that ancestor's cancel would
 *       have done had they been registered. Every observation of the state ({@code err()}, {@code
 *       done().isDone()}, {@code Context.cause}, {@code cancel}) goes through it, so a context is
 *       never seen live after an ancestor's cancel has returned, and the first observer fixes its
 *       error for good (a cancel of the context after that loses the race as it would have lost to
 *       the ancestor's propagation).
 *   <li>"Done has fired" means {@code state() != null}: {@link Done#isDone()} asks the same, so
 *       {@code err()} is never non-null before {@code done()} has fired. Callbacks and waiting
 *       threads are woken after the whole cancelled subtree has its error.
 *   <li>{@link #entries} (registered children and callbacks) is created on first use and guarded by
 *       its own monitor, one per context. Cancelling sets {@code err} first, then drains the list
 *       under the monitor; adding checks {@code err} under the monitor; so an entry added
 *       concurrently with a cancel is either drained by it or sees the error and fires at once.
 *       Registration is top-down (a context registers only once its parent is registered) and a
 *       registrar that finds its parent done cancels the context with the parent's error.
 *   <li>The cancel path and the registration path are iterative (explicit work lists): chains of
 *       200,000 contexts cancel without deep recursion. No lock is held while a callback runs, and
 *       a callback that throws is reported and stops neither the other callbacks nor the
 *       propagation.
 *   <li>A registered context removes its link from its parent when cancelled directly (O(1)), so a
 *       long-lived parent keeps nothing of its cancelled children.
 * </ul>
 */
class CancelContext extends TrieContext implements CancellableContext {
  private static final VarHandle ERR;
  private static final VarHandle ENTRIES;
  private static final VarHandle DONE_VIEW;
  private static final VarHandle PARENT_REGISTRATION;

  static {
    try {
      MethodHandles.Lookup l = MethodHandles.lookup();
      ERR = l.findVarHandle(CancelContext.class, "err", ContextDoneException.class);
      ENTRIES = l.findVarHandle(CancelContext.class, "entries", Entries.class);
      DONE_VIEW = l.findVarHandle(CancelContext.class, "doneView", CancelDone.class);
      PARENT_REGISTRATION =
          l.findVarHandle(Entries.class, "parentRegistration", Done.Registration.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  /**
   * What {@link #err} holds after a plain {@code cancel()} until someone asks for the error (see
   * the class doc). Never returned to anyone: {@link #error()} replaces it.
   */
  @SuppressWarnings("StaticAssignmentOfThrowable") // a marker compared by identity, never thrown
  private static final CanceledException CANCELED_PENDING = new CanceledException();

  // The fields a fresh context's cancel touches (err, entries, and doneView, which done() sets by
  // a compare-and-set) come first among this class's fields, and the object is kept small: see
  // docs/performance.md ("object layout").

  /**
   * Null while live; then the error of the event that ended this context, or {@link
   * #CANCELED_PENDING}. Only "null or not" may be read directly (that is "done or not", for this
   * context's own state: see {@link #state()}); the error itself is read through {@link #error()}.
   */
  volatile @Nullable ContextDoneException err;

  /**
   * The registered children and callbacks: null until the first one is added (or created at attach
   * when the parent is user-written, to hold the registration with it).
   */
  volatile @Nullable Entries entries;

  /** What {@code done()} returns, created by its first call (a CAS: one per context). */
  volatile @Nullable CancelDone doneView;

  /**
   * This context's deadline, its own or inherited (Go asks the parent each time; it is fixed); null
   * for none.
   */
  final @Nullable Deadline deadline;

  /**
   * A deadline on both clocks: as reported, and on {@link System#nanoTime()}'s for arithmetic. One
   * object, shared by a timer context and every descendant that inherits its deadline; {@link
   * #deadline()} wraps the instant in an {@code Optional} when asked (rarely on a hot path, and
   * then usually scalar-replaced), which keeps {@code withTimeout} at Go's allocation bound.
   */
  static final class Deadline {
    final Instant instant;
    final long nanos;

    Deadline(Instant instant, long nanos) {
      this.instant = instant;
      this.nanos = nanos;
    }
  }

  CancelContext(Context parent, @Nullable Deadline deadline) {
    super(parent);
    this.deadline = deadline;
  }

  // ---- Context -------------------------------------------------------------------------------

  @Override
  public final Optional<Instant> deadline() {
    Deadline d = deadline;
    return d == null ? Optional.empty() : Optional.of(d.instant);
  }

  @Override
  @SuppressWarnings("NullAway") // a failed compare-and-set saw doneView set, and it stays set
  public final Done done() {
    CancelDone d = doneView;
    if (d == null) {
      d = new CancelDone(this);
      if (!DONE_VIEW.compareAndSet(this, null, d)) {
        d = doneView;
      }
    }
    return d;
  }

  @Override
  public final @Nullable ContextDoneException err() {
    ContextDoneException e = err;
    if (e == null) {
      e = inherit();
    }
    return e == CANCELED_PENDING ? error() : e;
  }

  /**
   * The error of this context, creating it if a plain {@code cancel()} left {@link
   * #CANCELED_PENDING}: the one compare-and-set that decides which new exception becomes this
   * context's error for good. Null while live.
   */
  final @Nullable ContextDoneException error() {
    ContextDoneException e = state();
    if (e != CANCELED_PENDING) {
      return e;
    }
    ContextDoneException made = new CanceledException(null);
    return ERR.compareAndSet(this, CANCELED_PENDING, made) ? made : err;
  }

  /** {@link #error()} of a context known to be done (its error, or an ancestor's, is set). */
  @SuppressWarnings("NullAway") // done: error() is null only while live
  final ContextDoneException doneError() {
    return error();
  }

  /**
   * Whether this context is done: its own state, or that of a done ancestor it then adopts. What
   * {@link Done#isDone()} answers.
   */
  final boolean isDoneNow() {
    return err != null || inherit() != null;
  }

  @Override
  public final void throwIfDone() {
    if (isDoneNow()) {
      throw doneError();
    }
  }

  @Override
  final @Nullable Throwable cause() {
    ContextDoneException e = error();
    return e == null ? null : e.causeOrSelf();
  }

  @Override
  final @Nullable Object causeSource() {
    return done();
  }

  @Override
  void describe(StringBuilder sb) {
    sb.append(".withCancel");
  }

  // ---- CancellableContext --------------------------------------------------------------------

  @Override
  public final void cancel() {
    cancel(null);
  }

  @Override
  public final void cancel(@Nullable Throwable cause) {
    // Skip the allocation when already done (also through an ancestor: then this context ends with
    // the ancestor's error, as it would have if registered); cancelTree decides races.
    if (err == null && inherit() == null) {
      cancelTree(cause == null ? CANCELED_PENDING : new CanceledException(cause), true);
    }
  }

  @Override
  public final void close() {
    cancel(null);
  }

  // ---- The state of an unregistered context --------------------------------------------------

  /** {@link #err}, or the error adopted from a done ancestor (see the class doc); null if live. */
  final @Nullable ContextDoneException state() {
    ContextDoneException e = err;
    return e != null ? e : inherit();
  }

  /**
   * The runtime context whose cancel ends this one and that this one registers with (its parent's
   * signal), or null when there is none (a root) or it is user-written (then this context
   * registered with it when created, see {@link #attachToUser}).
   */
  final @Nullable CancelContext up() {
    Context p = parent;
    if (p instanceof ValueContext valueContext) {
      p = valueContext.signal();
    } else if (p instanceof FirstValueContext firstValueContext) {
      p = firstValueContext.signal();
    }
    return p instanceof CancelContext ? (CancelContext) p : null;
  }

  /**
   * Walks up from this context through unregistered links; if it meets a done ancestor before a
   * registered context, adopts its error (see the class doc). Returns {@link #err} afterwards.
   */
  private @Nullable ContextDoneException inherit() {
    for (CancelContext c = this, u; (u = c.up()) != null; c = u) {
      Entries es = c.entries;
      if (es != null && es.parentRegistration != null) {
        break; // c is registered: an ancestor's cancel reaches it (and, from it, this) by itself
      }
      if (u.err != null) {
        adoptFrom(u);
        break;
      }
    }
    return err;
  }

  /**
   * Cancels the contexts from {@code done}'s child on this context's path down to this context,
   * top-down, each with its parent's error: what {@code done}'s cancel does to registered
   * descendants. Each step is {@link #cancelTree}'s compare-and-set, so a link that was cancelled
   * first (by its owner, or by a concurrent propagation) keeps its error and hands that one down.
   */
  @SuppressWarnings("NullAway") // done is an ancestor: the walk up reaches it before the root
  private void adoptFrom(CancelContext done) {
    if (up() == done) {
      cancelTree(done.doneError(), false);
      return;
    }
    ArrayList<CancelContext> path = new ArrayList<>();
    for (CancelContext c = this; c != done; c = c.up()) {
      path.add(c);
    }
    for (int i = path.size() - 1; i >= 0; i--) {
      CancelContext c = path.get(i);
      c.cancelTree(c.up().doneError(), false);
    }
  }

  // ---- Registering ---------------------------------------------------------------------------

  /**
   * Links this (fully constructed) context to a user-written parent: Go's {@code propagateCancel}
   * for a parent it does not know. Such a parent is watched through its {@code done().onDone(...)}
   * (no thread per context); a user-written wrapper that reveals a runtime context (see below)
   * makes this context that context's registered child. If the parent is already done, this context
   * is cancelled at once with its error and cause. A runtime parent needs nothing here: children of
   * one register lazily (see the class doc).
   *
   * @param signal the user-written parent (or the user-written signal of a value parent)
   */
  final void attachToUser(Context signal) {
    Done d = signal.done();
    if (d == null || d == NeverDone.INSTANCE) {
      return;
    }
    Entries es = new Entries();
    entries = es;
    if (d instanceof CancelDone cancelDone && signal.value(CauseKey.KEY) == d) {
      // A user-written wrapper that hands out a runtime context's done signal and reveals that
      // context through value(): become that context's registered child, as Go's parentCancelCtx
      // does. Cancellation then stays on the iterative path, however many wrappers are stacked.
      CancelContext p = cancelDone.node;
      ChildLink link = new ChildLink(this);
      if (p.addEntry(link)) {
        es.parentRegistration = link;
      } else {
        cancelTree(p.doneError(), false);
      }
    } else {
      es.parentRegistration = d.onDone(this::parentDone);
    }
  }

  /**
   * The user-written ancestor is done: take its error and cause (Go: {@code child.cancel(false,
   * parent.Err(), Cause(parent))}).
   */
  private void parentDone() {
    Context p = parent instanceof BaseContext baseContext ? baseContext.signal() : parent;
    cancelTree(ContextFactories.adopt(p.err(), ContextFactories.userCause(p)), false);
  }

  /**
   * Adds a child or callback unless this context is done, registering this context (and its
   * unregistered ancestors) first.
   *
   * @return false if this context is done (then its error is set and the caller acts at once)
   */
  final boolean addEntry(Entry e) {
    Entries es = registeredEntries();
    return es != null && es.add(e, this);
  }

  /**
   * This context's entries, once this context is registered with its ancestors (iteratively,
   * top-down: the highest unregistered one first); null if this context turned out to be done.
   */
  final @Nullable Entries registeredEntries() {
    Entries es = entries;
    if (es != null && (es.parentRegistration != null || up() == null)) {
      return es;
    }
    ArrayList<CancelContext> path = new ArrayList<>();
    for (CancelContext c = this; c != null; c = c.up()) {
      Entries ce = c.entries;
      if (ce != null && (ce.parentRegistration != null || c.up() == null)) {
        break;
      }
      path.add(c);
    }
    for (int i = path.size() - 1; i >= 0; i--) {
      CancelContext c = path.get(i);
      if (!c.register()) {
        if (i > 0) {
          adoptFrom(c); // c is done: so is everything below it on the path
        }
        return null;
      }
    }
    return entries;
  }

  /**
   * Gives this context its entries and, if it has a runtime ancestor ({@link #up()}, registered
   * already), links it into that ancestor's list. Several threads may do this at once: one link
   * wins the compare-and-set on {@link Entries#parentRegistration}, the others remove theirs.
   *
   * @return false if this context is done (also when the ancestor was, which this then adopts)
   */
  // es: a failed compare-and-set saw entries set, and entries, once set, stays set. u.entries: the
  // caller registers the ancestors first, top down (see registeredEntries), so u has its list.
  @SuppressWarnings("NullAway")
  private boolean register() {
    Entries es = entries;
    if (es == null) {
      Entries mine = new Entries();
      es = ENTRIES.compareAndSet(this, null, mine) ? mine : entries;
    }
    CancelContext u = up();
    if (u == null || es.parentRegistration != null) {
      return err == null;
    }
    if (err != null) {
      return false;
    }
    ChildLink link = new ChildLink(this);
    if (!u.entries.add(link, u)) { // u is done: end as its cancel would have ended this one
      cancelTree(u.doneError(), false);
      return false;
    }
    if (!PARENT_REGISTRATION.compareAndSet(es, null, link)) {
      link.unlink(); // another thread registered this context first
    } else if (err != null) {
      // Cancelled meanwhile: its cancel writes err and then reads parentRegistration, this thread
      // wrote parentRegistration and then read err, so if that cancel missed the link, this
      // thread sees err and removes it (removing twice is harmless).
      link.unlink();
    }
    return err == null;
  }

  /** How many entries this context holds now: {@code RuntimeInternals.childCount}. */
  final int entryCount() {
    Entries es = entries;
    return es == null ? 0 : es.size();
  }

  // ---- Cancelling ----------------------------------------------------------------------------

  /**
   * Ends this context and every registered descendant with {@code e} (shared by the whole subtree:
   * one error object per cancellation event), unless it has already ended: Go's {@code
   * cancelCtx.cancel}. Unregistered descendants adopt it when asked (see the class doc).
   *
   * <p>Two phases. First, iteratively, every context of the subtree gets its error, gives up its
   * timer and hands over its list; children that lost the race to another canceller are skipped
   * (whoever won cancels their subtree). Then, with no lock held, this context leaves its parent
   * and the callbacks run in list order, each guarded so that one that throws stops nothing.
   *
   * @param removeFromParent true when cancelled directly (by its owner or its timer), false when
   *     cancelled by an ancestor, which forgets all its entries anyway
   */
  final void cancelTree(ContextDoneException e, boolean removeFromParent) {
    if (!ERR.compareAndSet(this, null, e)) {
      return; // already done: the first cancellation wins
    }
    // The common case, a context with no children or callbacks that is registered nowhere (closed
    // by its owner): nothing to drain, nothing to leave. A registrar or an entry added at the same
    // time sees err (see register and Entries.add), so reading null here is final.
    if (entries == null) {
      release();
      return;
    }
    cancelSubtree(removeFromParent);
  }

  /** The rest of {@link #cancelTree}, once {@link #err} is set: drain, propagate, leave, notify. */
  @SuppressWarnings("NullAway") // own: cancelTree calls this only once it has seen entries set
  private void cancelSubtree(boolean removeFromParent) {
    ContextDoneException e = null; // the children's error: this one's, created when first needed
    Entries own = entries;
    ArrayDeque<CancelContext> work = null;
    ArrayList<Entry> callbacks = null;
    CancelContext c = this;
    while (true) {
      Entries es = c.entries;
      if (es != null) {
        for (Entry x = es.drain(), next; x != null; x = next) {
          // Cut the drained chain as we go, so that a cancelled context someone still holds does
          // not keep its later siblings reachable. Safe without the lock: the list is closed.
          next = x.next;
          x.next = null;
          x.prev = null;
          if (x instanceof ChildLink) {
            CancelContext child = ((ChildLink) x).child;
            if (e == null) {
              e = doneError(); // the whole subtree shares it: create it now if it is pending
            }
            if (ERR.compareAndSet(child, null, e)) {
              if (work == null) {
                work = new ArrayDeque<>();
              }
              work.push(child);
            }
          } else {
            if (callbacks == null) {
              callbacks = new ArrayList<>();
            }
            callbacks.add(x);
          }
        }
      }
      c.release();
      if (work == null || (c = work.poll()) == null) {
        break;
      }
    }
    Done.Registration r = own.parentRegistration;
    if (r != null && removeFromParent) {
      r.remove();
    }
    if (callbacks != null) {
      for (int i = 0, n = callbacks.size(); i < n; i++) {
        try {
          callbacks.get(i).fire();
        } catch (Throwable t) {
          Scheduler.report(t);
        }
      }
    }
  }

  /** Frees what a done context no longer needs; {@link TimerContext} stops its timer. */
  void release() {}
}
