/**
 * {@code TaskContextIgnored}: inside a task that receives a context of its own ({@code
 * TaskGroup.Task}, {@code TaskGroup.ValueTask}, any functional interface whose method declares a
 * context first), a context captured from the enclosing code passed on instead of the task's own
 * (errgroup's classic bug).
 *
 * <h2>Reading order</h2>
 *
 * <ol>
 *   <li>{@link org.ctx4j.checks.tasks.TaskContextIgnored}: the checker. It looks at calls whose
 *       arguments include a local context by name, and only for those walks up to the task.
 *   <li>{@link org.ctx4j.checks.tasks.TaskScopes}: where a task begins (a task lambda, or a method
 *       of an anonymous or local class implementing a task interface), and which contexts it
 *       declares itself.
 *   <li>{@link org.ctx4j.checks.tasks.ReadingHelpers}: helpers of the same file that only read
 *       values or the deadline from a context, which the captured context answers as the task's
 *       would.
 * </ol>
 *
 * <h2>Invariants</h2>
 *
 * <ul>
 *   <li>A task is recognised by the interface's declaration, not by inference: {@code
 *       Function<Context, R>} is not a task, since its method declares a type variable.
 *   <li>Only a context that reaches a parameter of a context type the task's own context fits is
 *       reported: reads, logging and equality are not.
 *   <li>Nested tasks: the innermost task decides which context is its own.
 * </ul>
 */
package org.ctx4j.checks.tasks;
