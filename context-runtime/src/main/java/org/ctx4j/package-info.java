/**
 * Go's {@code context} package for Java: cancellation, deadlines and request-scoped values, passed
 * explicitly as the first parameter of every method on the path of a request. Start with {@link
 * org.ctx4j.Context}; {@code docs/runtime.md} is the guide.
 *
 * <h2>Reading order</h2>
 *
 * <p>The public API, in the order a user meets it:
 *
 * <ol>
 *   <li>{@code Context}: the interface, and the static methods that are the whole entry point
 *       (roots, derived contexts, {@code cause}, {@code await}, the error tests).
 *   <li>{@code CancellableContext}, and {@code CancelFunc}, the duty to cancel kept without the
 *       context.
 *   <li>{@code Done}: the done signal (poll, await, callback, future).
 *   <li>{@code ContextDoneException}, {@code CanceledException}, {@code DeadlineExceededException}:
 *       what {@code err()} returns.
 *   <li>{@code ContextKey}: typed keys for values.
 *   <li>{@code AfterFunc}, {@code InterruptScope}: the handles of {@code afterFunc} and {@code
 *       interruptWhenDone}.
 *   <li>{@code TaskGroup}: Go's {@code errgroup}, tasks that fail together under one context
 *       ({@code docs/task-groups.md} is its guide); {@code ContextExecutors}: executor work bound
 *       to a context. Both build on the public API above only, plus the runtime's task pool.
 * </ol>
 *
 * <p>Then the implementation, each file after the ones it builds on:
 *
 * <ol>
 *   <li>{@code ContextFactories}: the bodies of {@code Context}'s static methods; how a factory
 *       picks the parent to attach to ({@code signalOf}) and treats user-written contexts.
 *   <li>{@code Entry}, then {@code Entries}: the intrusive list of children and callbacks of one
 *       cancellable context, and the monitor that guards it.
 *   <li>{@code BaseContext}: what every runtime context shares (parent, signal, where a child finds
 *       its inherited values); {@code TrieContext}: the values every runtime context but the first
 *       value of a chain carries (the trie, the user-written ancestor, the lookup memo); {@code
 *       Values}: the persistent hash trie behind constant-time lookups.
 *   <li>{@code CancelContext}: the only runtime context that can become done; its class comment
 *       states the cancellation protocol. Then {@code CancelDone} (its {@code done()}), {@code
 *       DoneFuture} (its {@code toFuture()}), {@code CallbackEntry}, {@code AfterFuncEntry}.
 *   <li>{@code TimerContext} and {@code Scheduler}: deadlines and the runtime's threads (the timer,
 *       the afterFunc pool, and {@code TaskGroup}'s default pool).
 *   <li>{@code ValueContext}: {@code withValue}; {@code FirstValueContext}: the first value of a
 *       chain, a smaller object that needs no trie and no memo.
 *   <li>{@code NeverDoneContext}, {@code RootContext}, {@code WithoutCancelContext}, {@code
 *       NeverDone}: the contexts that never end, and their signal.
 *   <li>{@code CauseKey}: how {@code Context.cause} sees through user-written wrappers; {@code
 *       InterruptWhenDone}; {@code RuntimeInternals} (for tests only).
 *   <li>{@code TaskGroup}'s parts, which work on the group's own fields: {@code TaskCount}, the
 *       count of its tasks and the end of the group (Go's {@code sync.WaitGroup}); {@code
 *       TaskRunner}, one task from {@code go()} to its end (the hand-over to the executor, the
 *       interrupt window around the body, which groups' tasks a thread is running); {@code
 *       TaskSlots}, the limit of {@code withLimit}; {@code TaskFailures}, what the tasks threw and
 *       what {@code await()} reports.
 * </ol>
 *
 * <h2>Invariants</h2>
 *
 * <p>Each is kept, and documented in detail, where the code that keeps it is.
 *
 * <ul>
 *   <li><b>First cancel wins.</b> A context becomes done by one compare-and-set of its {@code err}
 *       field from null (in {@code CancelContext.cancelTree}); that decides its error and cause for
 *       good, and every later cancel, expiry or parent's cancel does nothing.
 *   <li><b>{@code err()} is non-null only once {@code done()} has fired.</b> For a runtime context
 *       "fired" is that same field being non-null, so {@code done().isDone()} and {@code err()}
 *       agree at every instant; waiting threads, callbacks and {@code toFuture()} are woken after
 *       the whole cancelled subtree has its error. {@code err()} is one volatile read, no lock.
 *   <li><b>The error and the cause travel together.</b> The cause is a field of the error object,
 *       so one volatile write publishes both. One error object per cancellation event, shared by
 *       the subtree it ends; a context derived from a done parent takes the parent's.
 *   <li><b>No recursion on the cancel or lookup paths.</b> Cancelling walks the subtree with an
 *       explicit work list; a value lookup reads the trie and then asks only the nearest
 *       user-written ancestor; {@code toString()} walks the chain in a loop. Chains of runtime
 *       contexts hundreds of thousands deep work. (A user-written context in a chain runs its own
 *       code, which may recurse into its parent.)
 *   <li><b>Callbacks never run under a lock.</b> The only monitors guard list operations (one per
 *       cancellable context, in {@code Entries}) and the lazy start of the timer thread. Entries
 *       are drained under the monitor and fired after it is released; nothing blocks while holding
 *       a monitor, so the runtime suits virtual threads. A callback that throws is reported to the
 *       thread's uncaught-exception handler and stops neither the other callbacks nor the
 *       propagation.
 *   <li><b>Cancelled contexts leave nothing behind.</b> A context cancelled directly unlinks itself
 *       from its parent's list (O(1)), its timer leaves the scheduler's queue at once, and its
 *       registration with a user-written parent's {@code Done} is removed. A child of a root is in
 *       no parent's list.
 *   <li><b>Deadlines run on the monotonic clock.</b> A deadline is converted once, at creation, to
 *       {@link System#nanoTime()}; the timer, "the earlier deadline wins" between runtime contexts
 *       and {@code timeLeft()} all use that value, and {@code deadline()} reports the {@code
 *       Instant} given.
 *   <li><b>Values are immutable.</b> The trie's nodes and a context's fields are final and never
 *       change after publication, so lookups take no lock; the per-context memo is written once.
 *   <li><b>No thread per context.</b> One timer thread serves every deadline; user-written parents
 *       are watched through their {@code done().onDone(...)}; {@code afterFunc} functions run on a
 *       shared pool, never on the cancelling thread.
 *   <li><b>No task outlives its group.</b> A task is counted before it is handed to the executor
 *       and uncounted as its last action; {@code await()} and {@code close()} finish the group by
 *       one compare-and-set of the count from zero, after which {@code go()} refuses tasks. So
 *       every task is either waited for or refused ({@code TaskCount}), and the end of the group's
 *       context interrupts a task only while its body runs ({@code TaskRunner}).
 * </ul>
 */
@NullMarked
package org.ctx4j;

import org.jspecify.annotations.NullMarked;
