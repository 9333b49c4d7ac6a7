/**
 * {@code LostCancel}: a {@code CancellableContext} must be cancelled on every path (Go's {@code go
 * vet} lostcancel). Two findings, reported on the creating call: a context that is never kept, and
 * a context in a local variable that some path leaves uncancelled and not handed over. The same
 * analysis covers what else must be ended on every path ({@link
 * org.ctx4j.checks.lostcancel.Leak.Resource}): a {@code TaskGroup} (awaited or closed), grpc's
 * {@code Context.CancellableContext}, and the context a grpc {@code attach()} replaced (restored by
 * {@code detach}). {@code Resources} says what makes and what ends each; nothing else in the engine
 * depends on which it is.
 *
 * <h2>Reading order</h2>
 *
 * <ol>
 *   <li>{@link org.ctx4j.checks.lostcancel.LostCancel}: the checker. The cheap pre-test, the
 *       discarded-context finding, the messages, and the order fixes and findings are reported in.
 *   <li>{@code Resources}: which calls create something to end, and which methods end it.
 *   <li>{@link org.ctx4j.checks.lostcancel.ContextEscapes}: where the value of a factory call or a
 *       read of a tracked variable ends up (a local, a hand-over, discarded, unknown).
 *   <li>{@link org.ctx4j.checks.lostcancel.LostCancelAnalysis}: the engine's one entry point, and
 *       its result, {@link org.ctx4j.checks.lostcancel.Leak}. Its class comment states the design.
 *   <li>The engine's parts, each calling only the ones after it: {@code CancelShortcuts} (proofs
 *       that skip the graph), {@code CreationSite}, {@code CancelEvents} (the body as events keyed
 *       by tree), {@code CancelAliases} (copies of a tracked variable), {@code CancelHandOvers},
 *       {@code CorrelatedConditions} (a context created and cancelled under the same {@code
 *       boolean}), {@code CancelGraph} (the control-flow graph in reverse post-order), {@code
 *       CancelSolver} (the fixed point) over {@code PendingSites} (its lattice), {@code
 *       CancelLeaks} (the leaks read off the final states), {@code BodyLines}, {@code BodyScanner},
 *       {@code VariableFacts}.
 *   <li>The fix: {@link org.ctx4j.checks.lostcancel.LostCancelFix} (a try-with-resources around the
 *       uses; an empty one, under a free name, for a discarded context) and {@code
 *       LostCancelFixRange} (which statements the new block spans, which cancels it makes
 *       redundant).
 * </ol>
 *
 * <h2>Invariants</h2>
 *
 * <ul>
 *   <li><b>Silent where unsure.</b> An unknown hand-over counts as somebody else cancelling; where
 *       paths disagree about which name holds a context the analysis stays silent.
 *   <li><b>Linear cost.</b> The lattice is a bit set of sites per block, each block's entry state
 *       only grows, so the work list ends; bodies without a factory call stored in a local never
 *       build a graph.
 *   <li><b>One body at a time.</b> Nested lambdas and classes are analysed on their own ({@code
 *       BodyScanner} does not enter them); no state outlives one analysis.
 *   <li><b>The fix never changes behaviour.</b> No fix where the variable is reassigned, handed
 *       over or copied, where the work it starts outlives the block, or where retyping could change
 *       which overload a call picks.
 * </ul>
 */
package org.ctx4j.checks.lostcancel;
