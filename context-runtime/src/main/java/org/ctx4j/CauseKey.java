package org.ctx4j;

/**
 * The private key with which {@link Context#cause(Context)} asks a user-written context for the
 * runtime context whose cause applies to it: Go's {@code &cancelCtxKey}. A user-written context
 * that delegates {@code value(key)} to a runtime context it wraps thereby reports that context's
 * cause, as in Go.
 */
enum CauseKey {
  KEY
}
