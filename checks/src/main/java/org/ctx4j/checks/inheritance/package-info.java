/**
 * {@code ContextNotInherited}: {@code Context.background()} or {@code Context.todo()} where the
 * caller's context is in scope, which cuts the new work off from the caller's cancellation,
 * deadline and values. The smallest check: a good first read.
 *
 * <h2>Invariants</h2>
 *
 * <ul>
 *   <li>Where two fixes are offered, the first never changes what the program does.
 * </ul>
 *
 * <h2>Reading order</h2>
 *
 * <ol>
 *   <li>{@link org.ctx4j.checks.inheritance.ContextNotInherited}: the checker, where it looks for
 *       the context in scope (out through lambdas, anonymous and local classes), and its two fixes:
 *       first {@code Context.withoutCancel(ctx)}, which keeps the behaviour, then {@code ctx}.
 * </ol>
 */
package org.ctx4j.checks.inheritance;
