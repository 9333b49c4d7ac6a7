package org.ctx4j.checks.lostcancel;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.UnaryOperator;
import org.ctx4j.checks.lostcancel.LostCancelProgram.Alias;
import org.ctx4j.checks.lostcancel.LostCancelProgram.Break;
import org.ctx4j.checks.lostcancel.LostCancelProgram.Case;
import org.ctx4j.checks.lostcancel.LostCancelProgram.Continue;
import org.ctx4j.checks.lostcancel.LostCancelProgram.Create;
import org.ctx4j.checks.lostcancel.LostCancelProgram.Discard;
import org.ctx4j.checks.lostcancel.LostCancelProgram.End;
import org.ctx4j.checks.lostcancel.LostCancelProgram.Exit;
import org.ctx4j.checks.lostcancel.LostCancelProgram.HandOver;
import org.ctx4j.checks.lostcancel.LostCancelProgram.If;
import org.ctx4j.checks.lostcancel.LostCancelProgram.LambdaBody;
import org.ctx4j.checks.lostcancel.LostCancelProgram.Loop;
import org.ctx4j.checks.lostcancel.LostCancelProgram.Resource;
import org.ctx4j.checks.lostcancel.LostCancelProgram.ResourceOf;
import org.ctx4j.checks.lostcancel.LostCancelProgram.Return;
import org.ctx4j.checks.lostcancel.LostCancelProgram.ReturnType;
import org.ctx4j.checks.lostcancel.LostCancelProgram.Stmt;
import org.ctx4j.checks.lostcancel.LostCancelProgram.Switch;
import org.ctx4j.checks.lostcancel.LostCancelProgram.TryFinally;
import org.ctx4j.checks.lostcancel.LostCancelProgram.Use;

/**
 * LostCancel's rule, decided independently of the check: which creation sites of a {@link
 * LostCancelProgram} must be reported.
 *
 * <p>It interprets the program's own syntax tree over every normal path. Loop conditions are
 * unknown at each evaluation; an {@code if} tests one of the method's boolean parameters, which
 * never change, so a second test of the same parameter on a path agrees with the first (the check
 * correlates such tests too, beyond go vet's path analysis). {@code throw}, {@code System.exit} and
 * {@code Runtime.halt} end a path without a leak (exceptional paths are not counted), and a path
 * that never leaves ({@code while (true)} without a break) never reaches an exit. A site is
 * reported when it is discarded, or when some path reaches a normal exit (a return, the end of the
 * body) with one of its contexts neither ended nor handed over.
 *
 * <p>Why enumeration by states is exhaustive: the only facts the rule asks about a path are, per
 * context, whether it was ended or handed over; so an abstract state holds which context each
 * variable names (two variables may name the same one), whether each named context is still live,
 * and the sites of live contexts no variable names any more (overwritten: nobody can end them, so
 * they leak at any exit). Contexts are identified by their site plus the variables that name them,
 * so there are finitely many states, and the interpreter follows each state on its own (a set of
 * states, never a merge that loses a fact). Loops iterate to a fixed point of the set of states at
 * their head, so every path, however many iterations it takes, leads to a state that is in the set:
 * no bound on unrolling is needed.
 */
final class LostCancelOracle {
  /** Every state any statement starts or ends in. */
  private final Set<State> seen = new LinkedHashSet<>();

  private final SortedSet<Integer> expected = new TreeSet<>();

  private LostCancelOracle(LostCancelProgram program) {
    collectDiscards(program.body, expected);
    List<LambdaBody> lambdas = new ArrayList<>();
    collectLambdas(program.body, lambdas);
    for (LambdaBody lambda : lambdas) {
      // Analysed on its own, like a void method (whether or not the method reaches it).
      LostCancelOracle own =
          new LostCancelOracle(new LostCancelProgram(program.seed, ReturnType.VOID, lambda.body()));
      expected.addAll(own.expected);
      seen.addAll(own.seen);
    }
    Outcome outcome = block(program.body, Set.of(State.INITIAL));
    if (program.returnType == ReturnType.MAIN) {
      return; // a return from main ends the program: nothing leaks
    }
    for (State exit : union(outcome.normal, outcome.returns)) {
      expected.addAll(exit.leaks());
    }
  }

  /** The creation sites the rule says must be reported. */
  static SortedSet<Integer> expectedSites(LostCancelProgram program) {
    return Collections.unmodifiableSortedSet(new LostCancelOracle(program).expected);
  }

  /**
   * The sites of live contexts that some path overwrites (by a reassignment, or by declaring the
   * variable again in the next iteration of a loop) but that are not reported, because no path that
   * overwrites them leaves the method normally afterwards (they end in an endless loop, a throw or
   * {@code System.exit}). A check that reports every overwrite of a live context at the overwrite
   * reports these too.
   */
  static SortedSet<Integer> overwrittenWithoutExit(LostCancelProgram program) {
    LostCancelOracle oracle = new LostCancelOracle(program);
    SortedSet<Integer> overwritten = new TreeSet<>();
    for (State state : oracle.seen) {
      overwritten.addAll(state.orphans());
    }
    overwritten.removeAll(oracle.expected);
    return overwritten;
  }

  /** One context: its site and whether it is still live (neither ended nor handed over). */
  private record Ctx(int site, boolean live) {}

  /**
   * What a path knows at one point: the context each variable names (an index into {@code
   * contexts}), and the sites of live contexts that no variable names any more. Canonical: contexts
   * are numbered in the order of the sorted variable names, and unnamed ones are dropped.
   */
  private record State(
      TreeMap<String, Integer> variables,
      List<Ctx> contexts,
      TreeSet<Integer> orphans,
      TreeMap<String, Boolean> known) {
    static final State INITIAL =
        new State(new TreeMap<>(), List.of(), new TreeSet<>(), new TreeMap<>());

    /**
     * This state on the branch where the boolean parameter {@code condition} is {@code value}, or
     * null when an earlier test of the same parameter on this path rules that branch out (the
     * parameters never change, so a second test of one agrees with the first).
     */
    State assume(String condition, boolean value) {
      if (!condition.matches("b[0-9]")) {
        return this; // not a boolean parameter: unknown at each evaluation
      }
      Boolean already = known.get(condition);
      if (already != null) {
        return already == value ? this : null;
      }
      TreeMap<String, Boolean> more = new TreeMap<>(known);
      more.put(condition, value);
      return new State(variables, contexts, orphans, more);
    }

    Set<Integer> leaks() {
      Set<Integer> leaks = new TreeSet<>(orphans);
      for (Ctx ctx : contexts) {
        if (ctx.live()) {
          leaks.add(ctx.site());
        }
      }
      return leaks;
    }

    State create(String variable, int site) {
      Mutable m = new Mutable(this);
      m.contexts.add(new Ctx(site, true));
      m.variables.put(variable, m.contexts.size() - 1);
      return m.freeze();
    }

    State alias(String variable, String from) {
      Mutable m = new Mutable(this);
      Integer target = m.variables.get(from);
      if (target == null) {
        m.variables.remove(variable);
      } else {
        m.variables.put(variable, target);
      }
      return m.freeze();
    }

    /** The context {@code variable} names is ended or handed over. */
    State settle(String variable) {
      Integer index = variables.get(variable);
      if (index == null) {
        return this;
      }
      Mutable m = new Mutable(this);
      m.contexts.set(index, new Ctx(contexts.get(index).site(), false));
      return m.freeze();
    }
  }

  private static final class Mutable {
    final TreeMap<String, Integer> variables;
    final List<Ctx> contexts;
    final TreeSet<Integer> orphans;
    final TreeMap<String, Boolean> known;

    Mutable(State state) {
      variables = new TreeMap<>(state.variables());
      contexts = new ArrayList<>(state.contexts());
      orphans = new TreeSet<>(state.orphans());
      known = state.known();
    }

    State freeze() {
      Map<Integer, Integer> renumbered = new HashMap<>();
      List<Ctx> kept = new ArrayList<>();
      TreeMap<String, Integer> names = new TreeMap<>();
      for (Map.Entry<String, Integer> entry : variables.entrySet()) {
        Integer index =
            renumbered.computeIfAbsent(
                entry.getValue(),
                old -> {
                  kept.add(contexts.get(old));
                  return kept.size() - 1;
                });
        names.put(entry.getKey(), index);
      }
      for (int i = 0; i < contexts.size(); i++) {
        if (!renumbered.containsKey(i) && contexts.get(i).live()) {
          orphans.add(contexts.get(i).site());
        }
      }
      return new State(names, List.copyOf(kept), orphans, known);
    }
  }

  /** The states in which a statement or block is left, by how it is left. */
  private static final class Outcome {
    final Set<State> normal = new LinkedHashSet<>();
    final Set<State> breaks = new LinkedHashSet<>();
    final Set<State> continues = new LinkedHashSet<>();
    final Set<State> returns = new LinkedHashSet<>();

    static Outcome normal(Set<State> states) {
      Outcome outcome = new Outcome();
      outcome.normal.addAll(states);
      return outcome;
    }

    void addJumps(Outcome other) {
      breaks.addAll(other.breaks);
      continues.addAll(other.continues);
      returns.addAll(other.returns);
    }

    Outcome map(UnaryOperator<State> f) {
      Outcome mapped = new Outcome();
      normal.forEach(s -> mapped.normal.add(f.apply(s)));
      breaks.forEach(s -> mapped.breaks.add(f.apply(s)));
      continues.forEach(s -> mapped.continues.add(f.apply(s)));
      returns.forEach(s -> mapped.returns.add(f.apply(s)));
      return mapped;
    }
  }

  /**
   * The states of {@code in} that can take the branch where {@code condition} is {@code value}. An
   * {@code if} tests one of the method's boolean parameters ({@code b0}..{@code b3}), which are
   * effectively final: the check correlates two tests of one parameter, and so does the oracle.
   */
  private static Set<State> assumeAll(Set<State> in, String condition, boolean value) {
    Set<State> out = new LinkedHashSet<>();
    for (State state : in) {
      State assumed = state.assume(condition, value);
      if (assumed != null) {
        out.add(assumed);
      }
    }
    return out;
  }

  private Outcome block(List<Stmt> statements, Set<State> in) {
    Outcome result = new Outcome();
    Set<State> current = in;
    for (Stmt statement : statements) {
      if (current.isEmpty()) {
        break;
      }
      Outcome outcome = statement(statement, current);
      result.addJumps(outcome);
      current = outcome.normal;
    }
    result.normal.addAll(current);
    return result;
  }

  private Outcome statement(Stmt statement, Set<State> in) {
    seen.addAll(in);
    Outcome outcome = interpret(statement, in);
    seen.addAll(outcome.normal);
    seen.addAll(outcome.breaks);
    seen.addAll(outcome.continues);
    seen.addAll(outcome.returns);
    return outcome;
  }

  private Outcome interpret(Stmt statement, Set<State> in) {
    if (statement instanceof Create c) {
      return mapAll(in, s -> s.create(c.var(), c.site()));
    } else if (statement instanceof Discard) {
      return Outcome.normal(in); // reported (or not) whatever the path: see collectDiscards
    } else if (statement instanceof Alias a) {
      return mapAll(in, s -> s.alias(a.var(), a.from()));
    } else if (statement instanceof End e) {
      return mapAll(in, s -> s.settle(e.var()));
    } else if (statement instanceof HandOver h) {
      return mapAll(in, s -> s.settle(h.var()));
    } else if (statement instanceof Use) {
      return Outcome.normal(in);
    } else if (statement instanceof If i) {
      Set<State> whenTrue = assumeAll(in, i.condition(), true);
      Set<State> whenFalse = assumeAll(in, i.condition(), false);
      Outcome then = block(i.then(), whenTrue);
      Outcome orElse =
          i.orElse() == null ? Outcome.normal(whenFalse) : block(i.orElse(), whenFalse);
      then.normal.addAll(orElse.normal);
      then.addJumps(orElse);
      return then;
    } else if (statement instanceof Loop l) {
      return loop(l, in);
    } else if (statement instanceof Break) {
      Outcome outcome = new Outcome();
      outcome.breaks.addAll(in);
      return outcome;
    } else if (statement instanceof Continue) {
      Outcome outcome = new Outcome();
      outcome.continues.addAll(in);
      return outcome;
    } else if (statement instanceof Return r) {
      Outcome outcome = new Outcome();
      for (State s : in) {
        outcome.returns.add(r.var() == null ? s : s.settle(r.var()));
      }
      return outcome;
    } else if (statement instanceof Exit) {
      return new Outcome(); // throw, System.exit, halt: the path ends without a normal exit
    } else if (statement instanceof TryFinally t) {
      int before = seen.size();
      Outcome body = block(t.body(), in);
      // The finally block also runs when the body throws, and the method then leaves by that
      // exception: no finding, but its overwrites matter to overwrittenWithoutExit. The states
      // the body's statements start in stand for where it may throw.
      Set<State> throwing = new LinkedHashSet<>(in);
      seen.stream().skip(before).forEach(throwing::add);
      block(t.fin(), throwing);
      Outcome result = new Outcome();
      result.normal.addAll(block(t.fin(), body.normal).normal);
      result.breaks.addAll(block(t.fin(), body.breaks).normal);
      result.continues.addAll(block(t.fin(), body.continues).normal);
      result.returns.addAll(block(t.fin(), body.returns).normal);
      return result;
    } else if (statement instanceof Resource r) {
      Set<State> created = new LinkedHashSet<>();
      in.forEach(s -> created.add(s.create(r.var(), r.site())));
      return block(r.body(), created).map(s -> s.settle(r.var()));
    } else if (statement instanceof ResourceOf r) {
      // The variable is effectively final, so at the end it still names the context it named.
      return block(r.body(), in).map(s -> s.settle(r.var()));
    } else if (statement instanceof Switch s) {
      return switchStatement(s, in);
    } else if (statement instanceof LambdaBody) {
      return Outcome.normal(in); // its body is analysed on its own: see collectLambdas
    }
    throw new IllegalArgumentException("unknown statement " + statement);
  }

  private Outcome loop(Loop loop, Set<State> in) {
    Outcome result = new Outcome();
    Set<State> seen = new LinkedHashSet<>(in);
    Set<State> frontier = new LinkedHashSet<>(in);
    while (!frontier.isEmpty()) {
      if (!loop.kind().endless()) {
        result.normal.addAll(frontier); // the condition is false
      }
      Outcome body = block(loop.body(), frontier);
      result.normal.addAll(body.breaks);
      result.returns.addAll(body.returns);
      Set<State> next = new LinkedHashSet<>(body.normal);
      next.addAll(body.continues);
      next.removeAll(seen);
      seen.addAll(next);
      frontier = next;
    }
    return result;
  }

  private Outcome switchStatement(Switch s, Set<State> in) {
    Outcome result = new Outcome();
    Set<State> fallingThrough = new LinkedHashSet<>();
    boolean hasDefault = false;
    for (Case c : s.cases()) {
      hasDefault |= c.label() == null;
      Set<State> entering = new LinkedHashSet<>(in); // k may equal any label
      entering.addAll(fallingThrough);
      Outcome body = block(c.body(), entering);
      result.normal.addAll(body.breaks);
      result.continues.addAll(body.continues);
      result.returns.addAll(body.returns);
      fallingThrough = body.normal;
    }
    result.normal.addAll(fallingThrough);
    if (!hasDefault) {
      result.normal.addAll(in); // k matches no label
    }
    return result;
  }

  private Outcome mapAll(Set<State> in, UnaryOperator<State> f) {
    return Outcome.normal(in).map(f);
  }

  private static Set<State> union(Set<State> a, Set<State> b) {
    Set<State> all = new LinkedHashSet<>(a);
    all.addAll(b);
    return Collections.unmodifiableSet(all);
  }

  /** The lambda bodies directly in {@code statements} (not those nested in a lambda body). */
  private static void collectLambdas(List<Stmt> statements, List<LambdaBody> lambdas) {
    for (Stmt statement : statements) {
      if (statement instanceof LambdaBody l) {
        lambdas.add(l);
      } else if (statement instanceof If i) {
        collectLambdas(i.then(), lambdas);
        if (i.orElse() != null) {
          collectLambdas(i.orElse(), lambdas);
        }
      } else if (statement instanceof Loop l) {
        collectLambdas(l.body(), lambdas);
      } else if (statement instanceof TryFinally t) {
        collectLambdas(t.body(), lambdas);
        collectLambdas(t.fin(), lambdas);
      } else if (statement instanceof Resource r) {
        collectLambdas(r.body(), lambdas);
      } else if (statement instanceof ResourceOf r) {
        collectLambdas(r.body(), lambdas);
      } else if (statement instanceof Switch s) {
        for (Case c : s.cases()) {
          collectLambdas(c.body(), lambdas);
        }
      }
    }
  }

  private static void collectDiscards(List<Stmt> statements, Set<Integer> sites) {
    for (Stmt statement : statements) {
      if (statement instanceof Discard d) {
        if (d.form().discarded) {
          sites.add(d.site());
        }
      } else if (statement instanceof If i) {
        collectDiscards(i.then(), sites);
        if (i.orElse() != null) {
          collectDiscards(i.orElse(), sites);
        }
      } else if (statement instanceof Loop l) {
        collectDiscards(l.body(), sites);
      } else if (statement instanceof TryFinally t) {
        collectDiscards(t.body(), sites);
        collectDiscards(t.fin(), sites);
      } else if (statement instanceof Resource r) {
        collectDiscards(r.body(), sites);
      } else if (statement instanceof ResourceOf r) {
        collectDiscards(r.body(), sites);
      } else if (statement instanceof Switch s) {
        for (Case c : s.cases()) {
          collectDiscards(c.body(), sites);
        }
      }
    }
  }
}
