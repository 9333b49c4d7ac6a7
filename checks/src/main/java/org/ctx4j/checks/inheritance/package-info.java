/**
 * {@code ContextNotInherited}: {@code Context.background()} or {@code Context.todo()} where the
 * caller's context is in scope, which cuts the new work off from the caller's cancellation,
 * deadline and values. The smallest check: a good first read.
 *
 * <h2>Reading order</h2>
 *
 * <ol>
 *   <li>{@link org.ctx4j.checks.inheritance.ContextNotInherited}: the checker and its two fixes
 *       (the context in scope, or {@code Context.withoutCancel} of it for work that outlives the
 *       caller).
 * </ol>
 */
package org.ctx4j.checks.inheritance;
