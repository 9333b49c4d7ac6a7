package org.ctx4j.checks;

/**
 * The one place that calls Error Prone API which changed between the releases ctx4j supports
 * (2.42.0 on JDK 17 through 2.50.0+ on JDK 25). Checks call these methods instead of the churning
 * API, so a new Error Prone release means editing this class only.
 */
final class ErrorProneCompat {
  private ErrorProneCompat() {}
}
