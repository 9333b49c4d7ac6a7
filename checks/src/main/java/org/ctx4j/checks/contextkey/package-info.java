/**
 * {@code ContextKeyNotPrivate}: the key of {@code Context.withValue} and {@code ctx.value} must be
 * one that code in another package cannot reproduce (staticcheck SA1029).
 *
 * <h2>Reading order</h2>
 *
 * <ol>
 *   <li>{@link org.ctx4j.checks.contextkey.ContextKeyNotPrivate}: the checker; its class comment
 *       states the rule (how a key is compared, and where it comes from) and the fix; a {@code
 *       ContextKey} is judged on the field that holds it.
 *   <li>{@link org.ctx4j.checks.contextkey.KeyVisibility}: the answer for one key: private, or the
 *       message and the declaration the fix makes package-private.
 *   <li>{@link org.ctx4j.checks.contextkey.KeyEquality}: what the key's type alone says (value
 *       equality that other packages can construct).
 *   <li>{@link org.ctx4j.checks.contextkey.KeyDeclarations}: where a key read from a variable got
 *       its value.
 * </ol>
 *
 * <h2>Invariants</h2>
 *
 * <ul>
 *   <li>A key that only passes on a key chosen elsewhere (a parameter, a method result) is not
 *       flagged: the place that chose it is.
 *   <li>{@code KeyDeclarations} serves one compilation unit and is replaced at the next, so the
 *       trees it holds never outlive their unit.
 * </ul>
 */
package org.ctx4j.checks.contextkey;
