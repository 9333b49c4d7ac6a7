package org.ctx4j;

import org.jspecify.annotations.Nullable;

/**
 * Something a {@link CancelContext} must notify when it is cancelled: a registered child context (a
 * {@link ChildLink}, which the cancel path follows itself, iteratively), or a callback (an {@link
 * Done#onDone} callback, a waiting thread, a {@link Done#toFuture} view, an {@link
 * Context#afterFunc} function).
 *
 * <p>Entries form an intrusive doubly linked list owned by one {@link Entries} object, so that
 * adding and removing one costs O(1) and allocates nothing beyond the entry. The link fields
 * ({@link #prev}, {@link #next}, {@link #list}) are guarded by the owning {@link Entries}' monitor.
 * {@link #list} is the list the entry is in (null before it is added and after it is removed; a
 * list that has been drained keeps its entries' {@code list} and refuses removals). It is set,
 * under that monitor, before the entry is handed to its user (returned from a factory or from
 * {@code onDone}); whoever removes the entry later got it through that hand-over, which orders the
 * write before their unlocked read in {@link #unlink()}, and {@link Entries#remove} checks it again
 * under the monitor.
 */
abstract class Entry {
  @Nullable Entry prev;
  @Nullable Entry next;
  @Nullable Entries list;

  /**
   * Runs this callback after its context is done. Called exactly once, on the thread that cancelled
   * the context, after every context in the cancelled subtree has its error, and with no lock held.
   * May throw: the caller reports the exception and goes on.
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
