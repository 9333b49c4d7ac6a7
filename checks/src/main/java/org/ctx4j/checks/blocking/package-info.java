/**
 * {@code BlockingCallIgnoresContext}: a blocking call ({@code Thread.sleep}, {@code Future.get},
 * {@code CountDownLatch.await}, ...) made where a context is in scope, which the context's
 * cancellation or deadline cannot end.
 *
 * <h2>Reading order</h2>
 *
 * <ol>
 *   <li>{@link org.ctx4j.checks.blocking.BlockingCallIgnoresContext}: the checker, the list of
 *       blocking calls and the scopes where they are fine ({@code interruptWhenDone}, a lambda that
 *       only captures a context).
 *   <li>{@link org.ctx4j.checks.blocking.WaitsBoundedByContext}: the waits that cannot outlast the
 *       context (a future that ends with it, one already complete, a zero time limit, {@code put}
 *       on an unbounded queue), on which the check stays silent.
 * </ol>
 *
 * <h2>Invariants</h2>
 *
 * <ul>
 *   <li>{@code WaitsBoundedByContext} looks only at the call, its receiver and, for a receiver in
 *       an effectively final local or a final field, that variable's initializer.
 * </ul>
 */
package org.ctx4j.checks.blocking;
