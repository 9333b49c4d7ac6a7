package org.ctx4j;

/**
 * Something a {@link CancelContext} must notify when it is cancelled: a registered child context
 * (a {@link ChildLink}, which the cancel path follows itself, iteratively), or a callback (an
 * {@link Done#onDone} callback, a waiting thread, a {@link Done#toFuture} view, an {@link
 * Context#afterFunc} function).
 *
 * <p>Entries form an intrusive doubly linked list owned by one {@link Entries} object, so that
 * adding and removing one costs O(1) and allocates nothing beyond the entry. The link fields
 * ({@link #prev}, {@link #next}, {@link #list}) are guarded by the owning {@link Entries}'
 * monitor. {@link #list} is the list the entry is in (null before it is added and after it is
 * removed; a list that has been drained keeps its entries' {@code list} and refuses removals). It
 * is set, under that monitor, before the entry is handed to its user (returned from a factory or
 * from {@code onDone}); whoever removes the entry later got it through that hand-over, which
 * orders the write before their unlocked read in {@link #unlink()}, and {@link Entries#remove}
 * checks it again under the monitor.
 */
abstract class Entry {
  Entry prev;
  Entry next;
  Entries list;

  /**
   * Runs this callback after its context is done. Called exactly once, on the thread that
   * cancelled the context, after every context in the cancelled subtree has its error, and with
   * no lock held. May throw: the caller reports the exception and goes on.
   */
  void fire() {}

  /**
   * Unlinks this entry from its list if it is still there.
   *
   * @return true if this call removed it; false if it was never added, was removed before, or its
   *     context was cancelled (the entry has fired or is about to)
   */
  final boolean unlink() {
    Entries es = list;
    return es != null && es.remove(this);
  }
}

/**
 * A child context's place in its parent's list of entries, made when the child registers (see
 * {@link CancelContext}: a child registers only when something must be pushed to it). Removing
 * it is how a child cancelled by its owner leaves its parent.
 */
final class ChildLink extends Entry implements Done.Registration {
  final CancelContext child;

  ChildLink(CancelContext child) {
    this.child = child;
  }

  @Override
  public boolean remove() {
    return unlink();
  }
}

/**
 * The entries of one {@link CancelContext}, and the lock that guards them: Go's {@code
 * cancelCtx.mu} and {@code cancelCtx.children}. Created when the first entry is added (which
 * registers the context with its ancestors first, see {@link CancelContext}), or when the context
 * starts watching a user-written parent; one per context, so deriving children of different
 * parents never contends.
 */
final class Entries {
  private Entry head;
  private Entry tail;
  private int size;

  /** Set, under the monitor, by the cancel that drains this list; nothing is added afterwards. */
  private boolean closed;

  /**
   * The owner's registration with its nearest cancel-capable ancestor: its {@link ChildLink} in a
   * runtime ancestor's list, or its callback on a user-written ancestor's done signal (Go's
   * goroutine in {@code propagateCancel}); null while the owner is not registered (a child of a
   * root, or a child that has not needed to register yet). Removed when the owner is cancelled
   * directly. Volatile: a registrar writes it and then reads the owner's error, the owner's cancel
   * writes the error and then reads this, so at least one of them sees the other and removes the
   * link (see {@link CancelContext#register}).
   */
  volatile Done.Registration parentRegistration;

  /**
   * Appends {@code e} unless {@code owner} is already done.
   *
   * @return false if {@code owner} is done: the caller must then act as if {@code e} had fired
   */
  synchronized boolean add(Entry e, CancelContext owner) {
    // The cancel path writes owner.err (volatile) before it takes this monitor to drain, so either
    // we link e before the drain (and the drain hands it over) or we see err here.
    if (closed || owner.err != null) {
      return false;
    }
    e.list = this;
    e.prev = tail;
    if (tail == null) {
      head = e;
    } else {
      tail.next = e;
    }
    tail = e;
    size++;
    return true;
  }

  synchronized boolean remove(Entry e) {
    if (closed || e.list != this) {
      return false;
    }
    Entry p = e.prev;
    Entry n = e.next;
    if (p == null) {
      head = n;
    } else {
      p.next = n;
    }
    if (n == null) {
      tail = p;
    } else {
      n.prev = p;
    }
    e.prev = null;
    e.next = null;
    e.list = null;
    size--;
    return true;
  }

  /**
   * Closes the list and hands its entries to the canceller. The returned chain ({@code next}
   * links) is read only by the calling thread afterwards: once {@link #closed} is set no one
   * unlinks or links anything, so the links are stable without the lock.
   */
  synchronized Entry drain() {
    closed = true;
    Entry h = head;
    head = null;
    tail = null;
    size = 0;
    return h;
  }

  synchronized int size() {
    return size;
  }
}
