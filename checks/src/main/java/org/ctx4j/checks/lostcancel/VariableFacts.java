package org.ctx4j.checks.lostcancel;

/**
 * What the analysis learns about a tracked variable, for {@link LostCancelFix}: whether it is
 * handed over anywhere, and how often it is assigned after its creation.
 */
final class VariableFacts {
  boolean escapes;
  int writes;
}
