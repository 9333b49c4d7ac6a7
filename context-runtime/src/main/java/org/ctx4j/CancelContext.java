package org.ctx4j;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Optional;

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
 *       one volatile write publishes both and {@code Context.cause} never sees an error without
 *       its cause. {@code err()} is that one volatile read: no lock on the live path or after.
 *   <li>A plain {@link #cancel()} sets {@link #err} to the marker {@link #CANCELED_PENDING}
 *       instead of a new exception: most contexts are cancelled by their owner's {@code close()}
 *       and nobody ever asks for their error, and creating a {@code Throwable} costs more than the
 *       rest of derive + cancel together. The first caller that needs the error ({@code err()},
 *       or a cancel that must hand it to children) replaces the marker, by one compare-and-set,
 *       with a new {@link CanceledException}; whoever loses that race takes the winner's. So {@code
 *       err()} still returns one object on every call, the children of the event still share it,
 *       and the marker never leaves this class ({@link #error()} is the only way to read it).
 *   <li>"Done has fired" means {@code err != null}: {@link Done#isDone()} reads the same field, so
 *       {@code err()} is never non-null before {@code done()} has fired. Callbacks and waiting
 *       threads are woken after the whole cancelled subtree has its error.
 *   <li>{@link #entries} (children and callbacks) is created on first use and guarded by its own
 *       monitor, one per context: deriving children of different parents never contends.
 *       Cancelling sets {@code err} first, then drains the list under the monitor; adding checks
 *       {@code err} under the monitor; so an entry added concurrently with a cancel is either
 *       drained by it or sees the error and fires at once (a child derived while its parent is
 *       being cancelled is born cancelled).
 *   <li>The cancel path is iterative (an explicit work list): a chain of 200,000 contexts cancels
 *       without deep recursion. No lock is held while a callback runs, and a callback that throws
 *       is reported and stops neither the other callbacks nor the propagation.
 *   <li>A context removes itself from its parent when cancelled directly (O(1): the entry unlinks
 *       itself), so a long-lived parent keeps nothing of its cancelled children.
 * </ul>
 */
class CancelContext extends BaseContext implements CancellableContext {
  private static final VarHandle ERR;
  private static final VarHandle ENTRIES;
  private static final VarHandle DONE_VIEW;

  static {
    try {
      MethodHandles.Lookup l = MethodHandles.lookup();
      ERR = l.findVarHandle(BaseContext.class, "err", ContextDoneException.class);
      ENTRIES = l.findVarHandle(BaseContext.class, "entries", Entries.class);
      DONE_VIEW = l.findVarHandle(BaseContext.class, "doneView", CancelDone.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  /**
   * What {@link #err} holds after a plain {@code cancel()} until someone asks for the error (see
   * the class doc). Never returned to anyone: {@link #error()} replaces it.
   */
  private static final CanceledException CANCELED_PENDING = new CanceledException();

  // The state field, err, the list of children and callbacks, entries, and what done() returns,
  // doneView, are declared in BaseContext (see there why). err is null while live; then the error
  // of the event that ended this context, or CANCELED_PENDING. Only "null or not" may be read
  // directly (that is "done or not"); the error itself is read through error().

  /** This context's deadline, its own or inherited (Go asks the parent each time; it is fixed). */
  final Optional<Instant> deadline;

  /** The same deadline on {@link System#nanoTime()}'s clock; meaningless when there is none. */
  final long deadlineNanos;

  CancelContext(Context parent, Optional<Instant> deadline, long deadlineNanos) {
    super(parent);
    this.deadline = deadline;
    this.deadlineNanos = deadlineNanos;
  }

  // ---- Context -------------------------------------------------------------------------------

  @Override
  public final Optional<Instant> deadline() {
    return deadline;
  }

  @Override
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
  public final ContextDoneException err() {
    ContextDoneException e = err;
    return e == CANCELED_PENDING ? error() : e;
  }

  /**
   * The error of this context, creating it if a plain {@code cancel()} left {@link
   * #CANCELED_PENDING}: the one compare-and-set that decides which new exception becomes this
   * context's error for good. Null while live.
   */
  final ContextDoneException error() {
    ContextDoneException e = err;
    if (e != CANCELED_PENDING) {
      return e;
    }
    ContextDoneException made = new CanceledException(null);
    return ERR.compareAndSet(this, CANCELED_PENDING, made) ? made : err;
  }

  @Override
  public final void throwIfDone() {
    if (err != null) {
      throw error();
    }
  }

  @Override
  final Throwable cause() {
    ContextDoneException e = error();
    return e == null ? null : e.causeOrSelf();
  }

  @Override
  final Object causeSource() {
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
  public final void cancel(Throwable cause) {
    if (err == null) { // skip the allocation when already done; cancelTree decides races
      cancelTree(cause == null ? CANCELED_PENDING : new CanceledException(cause), true);
    }
  }

  @Override
  public final void close() {
    cancel(null);
  }

  // ---- Attaching to the parent ---------------------------------------------------------------

  /**
   * Links this (fully constructed) context to the nearest ancestor that can end it: Go's {@code
   * propagateCancel}. A runtime ancestor gets this context as an entry; a user-written one is
   * watched through its {@code done().onDone(...)} (no thread per context); a never-done root gets
   * nothing. If the ancestor is already done, this context is cancelled at once with the
   * ancestor's error and cause.
   *
   * @param signal the parent's signal ({@link BaseContext#signal()}, or the user-written parent)
   */
  final void attach(Context signal) {
    CancelContext p = null;
    if (signal instanceof CancelContext) {
      p = (CancelContext) signal;
    } else if (!(signal instanceof BaseContext)) {
      Done d = signal.done();
      if (d == null || d == NeverDone.INSTANCE) {
        return;
      }
      if (d instanceof CancelDone && signal.value(CauseKey.KEY) == d) {
        // A user-written wrapper that hands out a runtime context's done signal and reveals that
        // context through value(): become that context's child directly, as Go's parentCancelCtx
        // does. Cancellation then stays on the iterative path, however many wrappers are stacked.
        p = ((CancelDone) d).node;
      } else {
        // Watch it through its done signal. The registration is kept with this context's entries,
        // created here for that: a context that has entries never takes cancelTree's fast path,
        // which therefore need not look for a registration.
        Entries es = new Entries();
        entries = es;
        es.parentRegistration = d.onDone(this::parentDone);
        return;
      }
    }
    if (p != null && !p.addEntry(this)) {
      cancelTree(p.error(), false);
    }
  }

  /** The user-written ancestor is done: take its error and cause (Go: {@code child.cancel(false, parent.Err(), Cause(parent))}). */
  private void parentDone() {
    Context p = parent instanceof BaseContext ? ((BaseContext) parent).signal() : parent;
    cancelTree(Contexts.adopt(p.err(), Contexts.userCause(p)), false);
  }

  /**
   * Adds a child or callback unless this context is done.
   *
   * @return false if this context is done (then {@link #err} is set and the caller acts at once)
   */
  final boolean addEntry(Entry e) {
    Entries es = entries;
    if (es == null) {
      if (err != null) {
        return false;
      }
      es = new Entries();
      if (!ENTRIES.compareAndSet(this, null, es)) {
        es = entries;
      }
    }
    return es.add(e, this);
  }

  /** How many entries this context holds now: {@code RuntimeInternals.childCount}. */
  final int entryCount() {
    Entries es = entries;
    return es == null ? 0 : es.size();
  }

  // ---- Cancelling ----------------------------------------------------------------------------

  /**
   * Ends this context and every descendant with {@code e} (shared by the whole subtree: one error
   * object per cancellation event), unless it has already ended: Go's {@code cancelCtx.cancel}.
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
    // The common case, a context with no children or callbacks that is registered nowhere (a child
    // of a root, closed by its owner): nothing to drain, nothing to leave. An entry added at the
    // same time sees err under the list's monitor (see Entries.add), so reading null here is final.
    // Only fields in the object's first bytes are read here (both are declared ahead of this
    // class's own fields): on a context allocated a moment ago, a field further in is slow to read
    // right after the CAS above (measured: 2.7 ns more for derive + cancel, a 55 % increase, when
    // entries sat at byte 52 instead of 28).
    if (list == null && entries == null) {
      release();
      return;
    }
    cancelSubtree(removeFromParent);
  }

  /** The rest of {@link #cancelTree}, once {@link #err} is set: drain, propagate, leave, notify. */
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
          if (x instanceof CancelContext) {
            CancelContext child = (CancelContext) x;
            if (e == null) {
              e = error(); // the whole subtree shares it: create it now if it is pending
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
    if (own != null) {
      Done.Registration r = own.parentRegistration;
      own.parentRegistration = null;
      if (r != null && removeFromParent) {
        r.remove();
      }
    }
    if (removeFromParent) {
      unlink();
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
