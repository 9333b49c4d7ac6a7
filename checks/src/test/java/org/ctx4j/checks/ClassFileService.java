package org.ctx4j.checks;

import org.ctx4j.Context;

/**
 * Reaches the test compilations as a class file, not as source: code that calls it involves ctx4j
 * without naming any ctx4j type.
 */
public final class ClassFileService {
  private ClassFileService() {}

  /** A context subtype known only from a class file. */
  public interface RequestContext extends Context {}

  public static String fetch(Context ctx, int id) {
    return String.valueOf(id);
  }

  public static RequestContext current() {
    return null;
  }
}
