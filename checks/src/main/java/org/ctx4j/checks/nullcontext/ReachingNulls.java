package org.ctx4j.checks.nullcontext;

import com.google.errorprone.VisitorState;
import com.google.errorprone.util.ASTHelpers;
import com.sun.source.tree.Tree;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The facts of the {@link NullPaths} walk at one point: which {@code null} assignments to the
 * variable may reach it unchanged, each with the last branch that let it through (null: none since
 * the assignment, so far). Null stands for a point no path reaches; the operations where paths meet
 * are static, and take it.
 */
final class ReachingNulls {
  /** The assignments, in the order the walk met them, each with its reason or null. */
  private final Map<Tree, String> reasons = new LinkedHashMap<>();

  /**
   * For each assignment, the conditions of the {@code if} statements it passed through, by their
   * source, with the branch taken: a later {@code if} on the same condition cannot take the other
   * branch (a condition tested again, {@code if (retry) ... if (!retry) return;}).
   */
  private final Map<Tree, Map<String, Boolean>> conditions = new IdentityHashMap<>();

  private ReachingNulls() {}

  /** No null assignment reaches the point (the point itself is reached). */
  static ReachingNulls none() {
    return new ReachingNulls();
  }

  /** Only the null assignment {@code origin}, just made. */
  static ReachingNulls of(Tree origin) {
    ReachingNulls f = none();
    f.put(origin, null, Map.of());
    return f;
  }

  boolean isEmpty() {
    return reasons.isEmpty();
  }

  /** The assignment met first, with its reason (null: no branch since it); not when empty. */
  Map.Entry<Tree, String> first() {
    return reasons.entrySet().iterator().next();
  }

  private Map<String, Boolean> conditionsOf(Tree origin) {
    return conditions.getOrDefault(origin, Map.of());
  }

  private void put(Tree origin, String reason, Map<String, Boolean> known) {
    reasons.put(origin, reason);
    if (!known.isEmpty()) {
      conditions.put(origin, known);
    } else {
      conditions.remove(origin);
    }
  }

  /** {@code facts} with {@code reason} for the facts that have none yet. */
  static ReachingNulls relabel(ReachingNulls facts, String reason) {
    if (facts == null || reason == null) {
      return facts;
    }
    ReachingNulls out = none();
    facts.reasons.forEach(
        (origin, r) -> out.put(origin, r == null ? reason : r, facts.conditionsOf(origin)));
    return out;
  }

  /**
   * {@code facts} where those with no reason yet and an origin outside {@code tree} get {@code
   * reason}.
   */
  static ReachingNulls relabelOutside(
      ReachingNulls facts, Tree tree, String reason, VisitorState state) {
    if (facts == null) {
      return null;
    }
    ReachingNulls out = none();
    facts.reasons.forEach(
        (origin, r) ->
            out.put(
                origin,
                r == null && !inside(origin, tree, state) ? reason : r,
                facts.conditionsOf(origin)));
    return out;
  }

  private static boolean inside(Tree inner, Tree outer, VisitorState state) {
    int position = ASTHelpers.getStartPosition(inner);
    return position >= ASTHelpers.getStartPosition(outer) && position < state.getEndPosition(outer);
  }

  /**
   * Where two branches meet: an assignment that reaches from both keeps a reason of its own where
   * it has one on both; else the branch that let it through unchanged gives it its reason.
   */
  static ReachingNulls join2(ReachingNulls a, String reasonA, ReachingNulls b, String reasonB) {
    if (a == null) {
      return b == null ? null : relabel(b, reasonB);
    }
    if (b == null) {
      return relabel(a, reasonA);
    }
    ReachingNulls out = none();
    for (Map.Entry<Tree, String> e : a.reasons.entrySet()) {
      String other = b.reasons.get(e.getKey());
      boolean inBoth = b.reasons.containsKey(e.getKey());
      out.put(
          e.getKey(),
          inBoth && e.getValue() == null && other == null
              ? null
              : e.getValue() == null ? reasonA : inBoth && other == null ? reasonB : e.getValue(),
          inBoth
              ? common(a.conditionsOf(e.getKey()), b.conditionsOf(e.getKey()))
              : a.conditionsOf(e.getKey()));
    }
    for (Map.Entry<Tree, String> e : b.reasons.entrySet()) {
      if (!out.reasons.containsKey(e.getKey())) {
        out.put(
            e.getKey(), e.getValue() == null ? reasonB : e.getValue(), b.conditionsOf(e.getKey()));
      }
    }
    return out;
  }

  /** The conditions two paths agree on. */
  private static Map<String, Boolean> common(Map<String, Boolean> a, Map<String, Boolean> b) {
    if (a.isEmpty() || b.isEmpty()) {
      return Map.of();
    }
    Map<String, Boolean> both = new LinkedHashMap<>();
    a.forEach(
        (condition, value) -> {
          if (value.equals(b.get(condition))) {
            both.put(condition, value);
          }
        });
    return both;
  }

  /**
   * The facts on the branch of an {@code if} where {@code condition} is {@code value}: those that
   * came through the other branch of an earlier test of the same condition cannot get here, the
   * others remember the branch.
   */
  static ReachingNulls assume(ReachingNulls facts, String condition, boolean value) {
    if (facts == null || condition == null) {
      return facts;
    }
    ReachingNulls out = none();
    facts.reasons.forEach(
        (origin, r) -> {
          Map<String, Boolean> known = facts.conditionsOf(origin);
          Boolean earlier = known.get(condition);
          if (earlier == null) {
            Map<String, Boolean> more = new LinkedHashMap<>(known);
            more.put(condition, value);
            out.put(origin, r, more);
          } else if (earlier == value) {
            out.put(origin, r, known);
          }
        });
    return out;
  }

  /** The union: a point reached by none of them is reached by none. */
  static ReachingNulls joinAll(List<ReachingNulls> all) {
    ReachingNulls out = null;
    for (ReachingNulls f : all) {
      if (f == null) {
        continue;
      }
      if (out == null) {
        out = none();
      }
      for (Map.Entry<Tree, String> e : f.reasons.entrySet()) {
        if (out.reasons.containsKey(e.getKey())) {
          out.put(
              e.getKey(),
              out.reasons.get(e.getKey()),
              common(out.conditionsOf(e.getKey()), f.conditionsOf(e.getKey())));
        } else {
          out.put(e.getKey(), e.getValue(), f.conditionsOf(e.getKey()));
        }
      }
    }
    return out;
  }

  /** {@code a} and {@code b} as a list, either of them null (unlike {@link List#of}). */
  static List<ReachingNulls> listOf(ReachingNulls a, ReachingNulls b) {
    List<ReachingNulls> list = new ArrayList<>(2);
    list.add(a);
    list.add(b);
    return list;
  }

  /** {@code first}, then {@code more}. */
  static List<ReachingNulls> with(ReachingNulls first, List<ReachingNulls> more) {
    List<ReachingNulls> all = new ArrayList<>();
    all.add(first);
    all.addAll(more);
    return all;
  }

  /**
   * Whether the same assignments reach both points; two points no path reaches count as the same.
   */
  static boolean sameOrigins(ReachingNulls a, ReachingNulls b) {
    if (a == null || b == null) {
      return a == b;
    }
    return a.reasons.keySet().equals(b.reasons.keySet());
  }
}
