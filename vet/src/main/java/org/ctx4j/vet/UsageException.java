package org.ctx4j.vet;

/**
 * A mistake in what the user asked for (an option, a path, a class path entry), reported as one
 * line and exit status 2, never as a stack trace.
 */
final class UsageException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  UsageException(String message) {
    super(message, null, false, false);
  }
}
