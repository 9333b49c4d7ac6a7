/**
 * {@code ContextDerivedInLoop}: {@code ctx = Context.withValue(ctx, ...)} and the like inside a
 * loop, nesting the loop's context one level deeper in each iteration (fatcontext).
 *
 * <h2>Reading order</h2>
 *
 * <ol>
 *   <li>{@link org.ctx4j.checks.loops.ContextDerivedInLoop}: the checker; a loop body that first
 *       resets the variable, restores it before the next iteration, or never comes round again, is
 *       not flagged.
 *   <li>{@link org.ctx4j.checks.loops.LoopVariableFix}: its fix, a fresh variable per iteration,
 *       offered only where the variable is not needed after the loop.
 * </ol>
 */
package org.ctx4j.checks.loops;
