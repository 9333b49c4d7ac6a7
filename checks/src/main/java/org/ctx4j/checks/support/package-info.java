/**
 * What the checks share: the facts about ctx4j itself, the one catch policy, the calls into Error
 * Prone API that changes between releases, and the pieces of fixes more than one check offers.
 * Everything here is public for the rule packages; nothing here knows about a particular rule.
 *
 * <h2>Reading order</h2>
 *
 * <ol>
 *   <li>{@link org.ctx4j.checks.support.ContextTypes}: which types are context types, the runtime's
 *       factory matchers and their names (the only place they are spelled).
 *   <li>{@link org.ctx4j.checks.support.RuntimeRoles}: every public method of the runtime and the
 *       part it plays (a new root, derives a context from a parent, takes a key, blocks, hands over
 *       something to end); a test holds it to the runtime by reflection.
 *   <li>{@link org.ctx4j.checks.support.ContextChecker}: the base of every check, and the matcher
 *       interfaces a check implements instead of Error Prone's; {@link
 *       org.ctx4j.checks.support.ContextFileScan}: the one walk per file that calls them, with
 *       Error Prone's suppression rules, in the files that mention a context type; {@link
 *       org.ctx4j.checks.support.ContextFreeFiles}: whether a file mentions none, asked once per
 *       file.
 *   <li>{@link org.ctx4j.checks.support.NameSet}: a set of method names answered by identity, the
 *       cheap test before any matcher; {@link org.ctx4j.checks.support.PerCompilation}, the
 *       per-compilation cache behind it and behind the type lookups.
 *   <li>{@link org.ctx4j.checks.support.TreeSearch}: whether a tree holds a node a predicate
 *       accepts (outside lambdas and classes, or everywhere), the one boolean tree scan.
 *   <li>{@link org.ctx4j.checks.support.InternalErrors}: the one catch policy, {@code guard} and
 *       {@code orElse}.
 *   <li>{@link org.ctx4j.checks.support.CheckSupport}: small questions about trees and symbols (the
 *       "is this compilation about ctx4j" fast path, visibility, nullness annotations, the context
 *       in scope, where a declaration is).
 *   <li>{@link org.ctx4j.checks.support.ExpectedToThrow}: code written to throw ({@code
 *       assertThrows}, a test expecting an exception), where a leak or a null is the point.
 *   <li>{@link org.ctx4j.checks.support.ErrorProneCompat}: the churning Error Prone API and the
 *       dataflow library (control-flow graphs, nullness), behind one class.
 *   <li>Fix pieces: {@link org.ctx4j.checks.support.ContextInScopeFix} (the context in scope, else
 *       {@code Context.todo()}, in place of a missing one) and {@link
 *       org.ctx4j.checks.support.Indentation} (re-indenting lines a fix wraps in a block).
 * </ol>
 *
 * <h2>Invariants</h2>
 *
 * <ul>
 *   <li>Nothing here holds a tree, symbol or name beyond one compilation: per-compilation values go
 *       through {@code PerCompilation} (weakly held, keyed by the compilation), so the {@code
 *       static final} constants are safe in compilations running at the same time.
 *   <li>Every answer is null-safe and conservative: an unknown shape answers "no" where "yes" would
 *       produce a finding.
 *   <li>This package depends on no rule package.
 * </ul>
 */
package org.ctx4j.checks.support;
