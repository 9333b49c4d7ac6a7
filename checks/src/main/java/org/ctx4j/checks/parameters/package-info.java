/**
 * The context as a parameter: {@code ContextNotFirstParameter} (first in the list, revive's
 * context-as-argument) and {@code ContextParameterName} (named {@code ctx}).
 *
 * <h2>Reading order</h2>
 *
 * <ol>
 *   <li>{@link org.ctx4j.checks.parameters.ContextNotFirstParameter}: the checker; overrides,
 *       lambdas and records' canonical constructors are exempt.
 *   <li>{@link org.ctx4j.checks.parameters.ParameterReorderFix}: its fix, which moves the context
 *       parameters to the front and every call's arguments with them, only when every caller is in
 *       view and the reorder cannot change what the code does.
 *   <li>{@link org.ctx4j.checks.parameters.ContextParameterName}: the naming check.
 * </ol>
 *
 * <h2>Invariants</h2>
 *
 * <ul>
 *   <li>A reorder is offered only when this compilation unit sees every use of the method, and no
 *       call moves more than one argument that could observe or cause a side effect.
 * </ul>
 */
package org.ctx4j.checks.parameters;
