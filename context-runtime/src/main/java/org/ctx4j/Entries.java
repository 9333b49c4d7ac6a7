package org.ctx4j;

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
