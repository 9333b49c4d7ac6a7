/**
 * {@code ContextInField}: a field that holds a context (directly, in an array, or in a collection,
 * map, {@code Optional}, {@code AtomicReference} or {@code ThreadLocal}) (containedctx).
 *
 * <h2>Reading order</h2>
 *
 * <ol>
 *   <li>{@link org.ctx4j.checks.fields.ContextInField}: the checker and its two messages
 *       (cancellable contexts: keep a cancel handle; others: pass the context as a parameter).
 *   <li>{@link org.ctx4j.checks.fields.FieldTypeFacts}: per class symbol, asked once per
 *       compilation unit: is it a context type, which data container does it extend.
 * </ol>
 *
 * <h2>Invariants</h2>
 *
 * <ul>
 *   <li>{@code FieldTypeFacts} holds symbols only, never trees, and is replaced at each unit.
 *   <li>Functional types ({@code Function<Context, R>}) store code, not a context: not flagged.
 * </ul>
 */
package org.ctx4j.checks.fields;
