package org.ctx4j;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One leaked context, as {@link LeakDetection} reports it: what was leaked, its deadline, and where
 * it was created. Go has no counterpart. {@link #toString()} is the text logged when no handler is
 * set.
 */
public final class LeakReport {
  private final String kind;
  private final String ending;
  private final String context;
  private final Instant deadline;
  private final List<StackTraceElement> creationStack;
  private final boolean sampled;

  LeakReport(
      String kind,
      String ending,
      String context,
      Instant deadline,
      List<StackTraceElement> creationStack,
      boolean sampled) {
    this.kind = kind;
    this.ending = ending;
    this.context = context;
    this.deadline = deadline;
    this.creationStack = creationStack == null ? null : List.copyOf(creationStack);
    this.sampled = sampled;
  }

  /**
   * What owed the cancel: {@code "CancellableContext"}, or the runtime object that took the
   * context's cancel duty over (such as {@code "TaskGroup"}).
   *
   * @return the kind of object leaked
   */
  public String kind() {
    return kind;
  }

  /**
   * The leaked context's {@code toString()} when the leak was found: its derivation chain, such as
   * {@code Context.background.withDeadline(2026-12-06T21:00:00Z [4.2s])}.
   *
   * @return the context's description
   */
  public String context() {
    return context;
  }

  /**
   * The leaked context's deadline, its own or inherited: until then a timer holds it.
   *
   * @return the deadline, or empty if it has none
   */
  public Optional<Instant> deadline() {
    return Optional.ofNullable(deadline);
  }

  /**
   * Where the context was created, innermost call first, starting at the caller of the runtime's
   * factory (the runtime's own frames are left out); null when no stack was recorded.
   *
   * @return the creation stack, or null
   */
  public List<StackTraceElement> creationStack() {
    return creationStack;
  }

  /**
   * Whether the context was watched because it was sampled (level {@code sample}): other contexts
   * leaked at the same place may have gone unreported.
   *
   * @return true for a sampled context
   */
  public boolean sampled() {
    return sampled;
  }

  /** The report as logged: what leaked, how to fix it, where it was created. */
  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder("ctx4j leak: a ").append(kind);
    sb.append(" became unreachable without ")
        .append(ending)
        .append(" while its context was live: ")
        .append(context);
    if (deadline != null) {
      sb.append(" (deadline ").append(deadline).append(", when its timer ends it)");
    } else {
      sb.append(" (no deadline: it ends only when its parent does)");
    }
    sb.append(". End it on every path, for example with try-with-resources.");
    if (sampled) {
      sb.append(" Found by sampling (level sample):")
          .append(" other leaks of the same place may have gone unreported;")
          .append(" -D")
          .append(LeakDetection.PROPERTY)
          .append("=all watches every context.");
    }
    if (creationStack == null) {
      sb.append(" Where it was created was not recorded.");
    } else {
      sb.append(" Created at:");
      for (StackTraceElement e : creationStack) {
        sb.append(System.lineSeparator()).append("\tat ").append(e);
      }
    }
    return sb.toString();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof LeakReport r
        && kind.equals(r.kind)
        && ending.equals(r.ending)
        && context.equals(r.context)
        && Objects.equals(deadline, r.deadline)
        && Objects.equals(creationStack, r.creationStack)
        && sampled == r.sampled;
  }

  @Override
  public int hashCode() {
    return Objects.hash(kind, context, deadline, creationStack, sampled);
  }
}
