/**
 * ctx4j's Error Prone checks: Go's {@code context} conventions, enforced at compile time. Each rule
 * family is one package, holding its checker (the one public class, registered for Error Prone's
 * service loader), its engine and its fix, package-private; what several checks share is in {@link
 * org.ctx4j.checks.support}. A rule's doc page, {@code docs/checks/<Name>.md}, says what it flags
 * and why.
 *
 * <h2>Where each rule lives</h2>
 *
 * <ul>
 *   <li>{@link org.ctx4j.checks.lostcancel}: {@code LostCancel}, a cancellable context cancelled on
 *       every path (Go's {@code go vet} lostcancel). The largest engine: a path analysis over the
 *       control-flow graph, and the try-with-resources fix.
 *   <li>{@link org.ctx4j.checks.nullcontext}: {@code NullContext}, no {@code null} where a context
 *       is expected (staticcheck SA1012).
 *   <li>{@link org.ctx4j.checks.contextkey}: {@code ContextKeyNotPrivate}, value keys no other
 *       package can reproduce (staticcheck SA1029).
 *   <li>{@link org.ctx4j.checks.blocking}: {@code BlockingCallIgnoresContext}, blocking calls that
 *       the context in scope cannot end.
 *   <li>{@link org.ctx4j.checks.fields}: {@code ContextInField}, contexts stored in fields
 *       (containedctx).
 *   <li>{@link org.ctx4j.checks.parameters}: {@code ContextNotFirstParameter} and {@code
 *       ContextParameterName}, the context as the first parameter, named {@code ctx}.
 *   <li>{@link org.ctx4j.checks.inheritance}: {@code ContextNotInherited}, a new root where the
 *       caller's context is in scope.
 *   <li>{@link org.ctx4j.checks.loops}: {@code ContextDerivedInLoop}, a context nested one level
 *       deeper in each iteration (fatcontext).
 *   <li>{@link org.ctx4j.checks.tasks}: {@code TaskContextIgnored}, a task that receives its own
 *       context but passes on one captured from the code that started it (errgroup's classic bug).
 * </ul>
 *
 * <h2>Where to start</h2>
 *
 * <p>Read {@link org.ctx4j.checks.support} first: {@code ContextTypes} (what is a context, which
 * calls are the factories) and {@code InternalErrors} (the one catch policy) are used by every
 * check. Then a small check end to end, {@code inheritance.ContextNotInherited} or {@code
 * fields.ContextInField}, before the engines of {@code NullContext} and {@code LostCancel}. A new
 * rule gets a package of its own, laid out the same way; its test sits in the same package under
 * {@code src/test/java}. The tests left in this package run every check together.
 *
 * <h2>Invariants every check keeps</h2>
 *
 * <ul>
 *   <li><b>Never crash javac.</b> Every matcher goes through {@code InternalErrors}: an exception
 *       means no finding, or a visible error with {@code -XepOpt:Ctx4j:FailOnInternalError=true},
 *       which the project's tests always set.
 *   <li><b>Cheap first.</b> Every checker extends {@code support.ContextChecker} and implements its
 *       nested matcher interfaces, not Error Prone's: Error Prone shows a check only each file's
 *       root and top-level classes, and {@code support.ContextFileScan} walks a file once for all
 *       the checks, only when it mentions a context type ({@code ContextFreeFiles}). Then a test of
 *       names ({@code NameSet}) and of the tree, before any symbol, type, dataflow or control-flow
 *       graph.
 *   <li><b>No false positive.</b> A shape a check does not understand is not reported.
 *   <li><b>One home per fact.</b> What a context type is and the names of the runtime's factories
 *       are spelled once, in {@code ContextTypes}; what each public runtime method does (derives a
 *       context, takes a key, blocks, must be ended, runs a task) once, in {@code RuntimeRoles};
 *       churning Error Prone API is called only from {@code ErrorProneCompat}.
 * </ul>
 */
package org.ctx4j.checks;
