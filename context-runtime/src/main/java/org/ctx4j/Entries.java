package org.ctx4j;

import org.jspecify.annotations.Nullable;

/**
 * The entries of one {@link CancelContext}, and the lock that guards them: Go's {@code
 * cancelCtx.mu} and {@code cancelCtx.children}. Created when the first entry is added (which
 * registers the context with its ancestors first, see {@link CancelContext}), or when the context
 * starts watching a user-written parent; one per context, so deriving children of different parents
 * never contends.
 */
final class Entries {
  private @Nullable Entry head;
  private @Nullable Entry tail;
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
  volatile Done.@Nullable Registration parentRegistration;

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
   * Closes the list and hands its entries to the canceller. The returned chain ({@code next} links)
   * is read only by the calling thread afterwards: once {@link #closed} is set no one unlinks or
   * links anything, so the links are stable without the lock.
   */
  synchronized @Nullable Entry drain() {
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
