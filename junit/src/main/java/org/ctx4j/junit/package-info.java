/**
 * A JUnit Jupiter extension that gives each test one ctx4j {@link org.ctx4j.Context}, cancelled
 * when the test ends. Nullness: every type here is non-null unless marked {@code @Nullable}.
 */
@NullMarked
package org.ctx4j.junit;

import org.jspecify.annotations.NullMarked;
