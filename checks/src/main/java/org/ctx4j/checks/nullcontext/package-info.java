/**
 * {@code NullContext}: no {@code null} where a context is expected, as an argument or a returned
 * value (staticcheck SA1012). The fix is the context in scope, else {@code Context.todo()}.
 *
 * <h2>Reading order</h2>
 *
 * <ol>
 *   <li>{@link org.ctx4j.checks.nullcontext.NullContext}: the checker; which parameters and return
 *       types expect a context, and the exemptions ({@code @Nullable}, type variables, code
 *       expected to throw, a root context's {@code super(null)}).
 *   <li>{@link org.ctx4j.checks.nullcontext.KnownNull}: whether an expression is null whenever it
 *       runs; {@code mayBeNull} is the cheap pre-test, {@code isKnownNull} the full answer.
 *   <li>{@link org.ctx4j.checks.nullcontext.NullableLocals}: what one member can make null, learnt
 *       in one scan; it decides which locals the nullness dataflow is asked about, and which the
 *       fix must not offer.
 *   <li>{@link org.ctx4j.checks.nullcontext.NullPaths}: on which path a local assigned {@code null}
 *       reaches a use still null; a walk of the member's statements for that one variable. It finds
 *       the body and the use, and returns the sentence that names the path.
 *   <li>{@link org.ctx4j.checks.nullcontext.StatementWalk}: the walk through the statements, which
 *       decides on which path a {@code null} assignment reaches the use: branches, loops until they
 *       settle, {@code break}, {@code continue}, {@code switch} and {@code try}.
 *   <li>{@link org.ctx4j.checks.nullcontext.ExpressionWalk}: the facts after an expression, and
 *       when a condition is true and when it is false (null tests narrow them); it records the
 *       facts at the use, and those where something may throw for the {@code try} blocks around.
 *   <li>{@link org.ctx4j.checks.nullcontext.ExpressionEffects}: what an expression does to the
 *       walked variable (assigns it, dereferences it, compares it with null), whether it may throw,
 *       and the key of a condition tested again.
 *   <li>{@link org.ctx4j.checks.nullcontext.ReachingNulls}: the walk's facts at a point, the {@code
 *       null} assignments that may reach it and the last branch each passed, and how they join
 *       where paths meet.
 *   <li>{@link org.ctx4j.checks.nullcontext.PathNames}: the words of the sentence: the branch a
 *       {@code null} passed last, by the {@code if}, loop, {@code switch} or {@code try} it passed
 *       and that statement's line.
 *   <li>{@link org.ctx4j.checks.nullcontext.UnfollowedShape}: how the walk gives up on a shape it
 *       does not follow (no answer, no finding). The walk's tests of whether a tree holds a node of
 *       a kind use {@link org.ctx4j.checks.support.TreeSearch}.
 *   <li>{@link org.ctx4j.checks.nullcontext.AnonymousSuperConstructor}: which constructor the
 *       arguments of {@code new Super(args) { ... }} go to.
 * </ol>
 *
 * <h2>Invariants</h2>
 *
 * <ul>
 *   <li><b>Shape before dataflow.</b> Every argument is first asked {@code KnownNull.mayBeNull}, a
 *       test of the tree and its symbols; the dataflow runs only for a local that an assignment or
 *       comparison in the member could make null.
 *   <li><b>Paths only after a null literal.</b> {@code NullPaths} walks a member only for a local
 *       that {@code NullableLocals} saw assigned the {@code null} literal there.
 *   <li><b>One scan per member.</b> {@code NullableLocals.Cache} holds the last member's scan and
 *       is cleared at each compilation unit, so no tree outlives its unit.
 * </ul>
 */
package org.ctx4j.checks.nullcontext;
