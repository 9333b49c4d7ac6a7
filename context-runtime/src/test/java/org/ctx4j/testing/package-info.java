/**
 * Test helpers that the tests of other ctx4j modules share: the bridges' tests (grpc, http, jdbc)
 * depend on them through ctx4j-runtime's test-jar ({@code <type>test-jar</type>}, test scope),
 * which holds this package only. They are ctx4j's own test code, not an API: they may change in any
 * release.
 *
 * <ul>
 *   <li>{@link org.ctx4j.testing.CountingContext}: a user-written context that counts the callbacks
 *       left registered on it, for tests that a bridge leaves nothing behind on a long-lived
 *       context.
 * </ul>
 */
package org.ctx4j.testing;
