package org.ctx4j;

/**
 * Something a {@link CancelContext} must notify when it is cancelled: a child context (which the
 * cancel path cancels itself, iteratively), or a callback (an {@link Done#onDone} callback, a
 * waiting thread, a {@link Done#toFuture} view, an {@link Context#afterFunc} function).
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
 * The entries of one {@link CancelContext}, and the lock that guards them: Go's {@code
 * cancelCtx.mu} and {@code cancelCtx.children}. Created when the first entry is added (or when the
 * context starts watching a user-written parent, see {@link #parentRegistration}); one per
 * context, so deriving children of different parents never contends, and children of one parent
 * contend only for the few instructions of a list insertion.
 */
final class Entries {
  private Entry head;
  private Entry tail;
  private int size;

  /** Set, under the monitor, by the cancel that drains this list; nothing is added afterwards. */
  private boolean closed;

  /**
   * When the owner's nearest cancel-capable ancestor is user-written: the owner's registration with
   * that ancestor's done signal (Go's goroutine in {@code propagateCancel}), removed when the owner
   * is cancelled directly. Written before the factory returns the owner (see {@link Entry#list}
   * for why that suffices); read and cleared by the owner's cancel.
   */
  Done.Registration parentRegistration;

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
