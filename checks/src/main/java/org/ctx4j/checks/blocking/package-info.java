/**
 * {@code BlockingCallIgnoresContext}: a blocking call ({@code Thread.sleep}, {@code Future.get},
 * {@code CountDownLatch.await}, ...) or blocking I/O ({@code HttpClient.send}, JDBC {@code
 * execute*}, blocking gRPC stubs) made where a context is in scope, which the context's
 * cancellation or deadline cannot end.
 *
 * <h2>Reading order</h2>
 *
 * <ol>
 *   <li>{@link org.ctx4j.checks.blocking.BlockingCallIgnoresContext}: the checker, the list of
 *       blocking calls and the scopes where they are fine ({@code interruptWhenDone}, a lambda that
 *       only captures a context).
 *   <li>{@link org.ctx4j.checks.blocking.WaitsBoundedByContext}: the waits that cannot outlast the
 *       context (a future that ends with it, one already complete, a latch a bridged gRPC stream
 *       releases, a zero time limit, {@code put} on an unbounded queue), on which the check stays
 *       silent.
 *   <li>{@link org.ctx4j.checks.blocking.CollectionsWaitedFor}: a future taken from a collection
 *       that an earlier {@code allOf} wait covered, and not changed since.
 *   <li>{@link org.ctx4j.checks.blocking.BridgedCalls}: the I/O that ctx4j's bridges bind to a
 *       context, and whether a gRPC call already goes through the bridge. Bridges and grpc are
 *       matched by name: the checks do not depend on them.
 * </ol>
 *
 * <h2>Invariants</h2>
 *
 * <ul>
 *   <li>{@code WaitsBoundedByContext} and {@code BridgedCalls} look only at the call, its receiver
 *       and arguments and, for effectively final locals and final fields they read, those
 *       variables' initializers, a bounded number of steps deep; {@code BridgedCalls} also at the
 *       assignments of a local that is reassigned and at the {@code return}s of a helper method of
 *       the file that cannot be overridden; {@code CollectionsWaitedFor} also at the statements of
 *       the enclosing blocks before the call.
 *   <li>The bridges' I/O calls are tested before the general list, so that their message names the
 *       bridge; a gRPC stub call, whose name can be anything, is recognised by the declaring class
 *       only when grpc is on the classpath.
 * </ul>
 */
package org.ctx4j.checks.blocking;
