package org.ctx4j.checks.lostcancel;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.EnumSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.function.Predicate;
import org.ctx4j.checks.lostcancel.LostCancelProgram.Alias;
import org.ctx4j.checks.lostcancel.LostCancelProgram.Break;
import org.ctx4j.checks.lostcancel.LostCancelProgram.Case;
import org.ctx4j.checks.lostcancel.LostCancelProgram.Continue;
import org.ctx4j.checks.lostcancel.LostCancelProgram.Create;
import org.ctx4j.checks.lostcancel.LostCancelProgram.Discard;
import org.ctx4j.checks.lostcancel.LostCancelProgram.End;
import org.ctx4j.checks.lostcancel.LostCancelProgram.EndKind;
import org.ctx4j.checks.lostcancel.LostCancelProgram.Exit;
import org.ctx4j.checks.lostcancel.LostCancelProgram.ExitKind;
import org.ctx4j.checks.lostcancel.LostCancelProgram.Factory;
import org.ctx4j.checks.lostcancel.LostCancelProgram.HandKind;
import org.ctx4j.checks.lostcancel.LostCancelProgram.HandOver;
import org.ctx4j.checks.lostcancel.LostCancelProgram.If;
import org.ctx4j.checks.lostcancel.LostCancelProgram.LambdaBody;
import org.ctx4j.checks.lostcancel.LostCancelProgram.Loop;
import org.ctx4j.checks.lostcancel.LostCancelProgram.LoopKind;
import org.ctx4j.checks.lostcancel.LostCancelProgram.Resource;
import org.ctx4j.checks.lostcancel.LostCancelProgram.ResourceOf;
import org.ctx4j.checks.lostcancel.LostCancelProgram.Return;
import org.ctx4j.checks.lostcancel.LostCancelProgram.ReturnType;
import org.ctx4j.checks.lostcancel.LostCancelProgram.Stmt;
import org.ctx4j.checks.lostcancel.LostCancelProgram.Switch;
import org.ctx4j.checks.lostcancel.LostCancelProgram.TryFinally;
import org.ctx4j.checks.lostcancel.LostCancelProgram.Unheld;
import org.ctx4j.checks.lostcancel.LostCancelProgram.Use;
import org.ctx4j.checks.lostcancel.LostCancelProgram.UseKind;

/**
 * Random small method bodies for {@link LostCancelGeneratedTest}, from a seed (the same seed always
 * gives the same program). Every program compiles: variables are initialised where they are
 * declared and named once per method, variables a lambda or class captures (or a {@code try (c)}
 * closes) are never reassigned, and a block stops after a statement that cannot complete normally
 * (javac rejects unreachable code).
 *
 * <p>Shapes on which the check is known to disagree with the rule are {@link Feature}s, which a
 * test can switch off while the check is being fixed.
 */
final class LostCancelProgramGenerator {

  /**
   * Shapes the generator can be told to leave out. Each names a construct (or a combination) so
   * that a known disagreement can be switched off without losing the rest of the coverage.
   */
  enum Feature {
    DISCARD,
    /** {@code var c = Context.withCancel(p);} */
    VAR,
    REASSIGN,
    ALIAS,
    ALIAS_REASSIGN,
    IF,
    WHILE,
    FOR,
    FOR_EACH,
    WHILE_TRUE,
    FOR_EVER,
    /**
     * A {@code for (;;)} or {@code while (true)} whose body is only {@code continue;}: a cycle of
     * empty blocks in the control-flow graph.
     */
    FOR_EVER_ONLY_CONTINUE,
    BREAK,
    CONTINUE,
    RETURN,
    RETURN_VALUE,
    /** The body is that of {@code public static void main(String[])}. */
    MAIN,
    THROW,
    SYSTEM_EXIT,
    HALT,
    TRY_FINALLY,
    RESOURCE,
    RESOURCE_OF_VARIABLE,
    SWITCH,
    /** A lambda with a body of its own (creations, branches, loops, returns). */
    LAMBDA_BODY,
    /** A {@code default:} label before other labels (off: {@code default:} comes last). */
    DEFAULT_NOT_LAST,
    HAND_OVER,
    USE,
    /**
     * Not a construct but a property of the whole program: a live context overwritten (reassigned,
     * or declared again by the next iteration of a loop) where no path leaves the method normally
     * afterwards (an endless loop, a throw, {@code System.exit}, a finally block run by an
     * exception) or where the only way out is a return from {@code main}. The rule reports nothing
     * then; when this feature is off, the generator draws again instead of producing such a
     * program.
     */
    OVERWRITE_WITHOUT_NORMAL_EXIT,
  }

  private static final int MAX_STATEMENTS = 12;
  private static final int MAX_DEPTH = 3;

  private final Set<Feature> features;
  private final Set<HandKind> handKinds;
  private final Set<UseKind> useKinds;
  private final Set<Unheld> unheld;

  LostCancelProgramGenerator(
      Set<Feature> features, Set<HandKind> handKinds, Set<UseKind> useKinds, Set<Unheld> unheld) {
    this.features = features.isEmpty() ? EnumSet.noneOf(Feature.class) : EnumSet.copyOf(features);
    this.handKinds =
        handKinds.isEmpty() ? EnumSet.noneOf(HandKind.class) : EnumSet.copyOf(handKinds);
    this.useKinds = useKinds.isEmpty() ? EnumSet.noneOf(UseKind.class) : EnumSet.copyOf(useKinds);
    this.unheld = unheld.isEmpty() ? EnumSet.noneOf(Unheld.class) : EnumSet.copyOf(unheld);
  }

  /** Every shape. */
  static LostCancelProgramGenerator all() {
    return new LostCancelProgramGenerator(
        EnumSet.allOf(Feature.class),
        EnumSet.allOf(HandKind.class),
        EnumSet.allOf(UseKind.class),
        EnumSet.allOf(Unheld.class));
  }

  LostCancelProgram generate(long seed) {
    Random random = new Random(seed); // redrawing continues the same sequence: still reproducible
    while (true) {
      LostCancelProgram program = new Run(random).program(seed);
      if (features.contains(Feature.OVERWRITE_WITHOUT_NORMAL_EXIT)
          || LostCancelOracle.overwrittenWithoutExit(program).isEmpty()) {
        return program;
      }
    }
  }

  /** A variable in scope; {@code fixed} ones are never reassigned (they may be captured). */
  private record Var(String name, boolean fixed) {}

  /** The state of one generation. */
  private final class Run {
    final Random random;
    final Deque<List<Var>> scopes = new ArrayDeque<>();

    /** Enclosing breakable statements, innermost first: true for a loop, false for a switch. */
    final Deque<Boolean> breakables = new ArrayDeque<>();

    int budget = MAX_STATEMENTS;

    /**
     * The conditions of the {@code if}s so far: each {@code if} tests a parameter no other one
     * tests. The check correlates two tests of one boolean parameter only in the shape "created
     * under b, cancelled under b", beyond go vet; a program that tests one parameter twice in other
     * shapes would measure how far that goes, not the rule.
     */
    int conditions;

    int sites;
    int names;
    ReturnType returnType;

    Run(Random random) {
      this.random = random;
    }

    LostCancelProgram program(long seed) {
      ReturnType[] types = {ReturnType.OBJECT, ReturnType.CONTEXT, ReturnType.CANCELLABLE};
      int roll = random.nextInt(20);
      returnType =
          roll == 0 && features.contains(Feature.MAIN)
              ? ReturnType.MAIN
              : roll < 10 ? ReturnType.VOID : types[random.nextInt(types.length)];
      List<Stmt> body = block(0, 1 + random.nextInt(5));
      if (returnType.returnsValue() && canComplete(body)) {
        body.add(new Return(null));
      }
      return new LostCancelProgram(seed, returnType, body);
    }

    List<Stmt> block(int depth, int length) {
      scopes.push(new ArrayList<>());
      List<Stmt> statements = new ArrayList<>();
      for (int i = 0; i < length && budget > 0; i++) {
        budget--;
        Stmt statement = statement(depth);
        statements.add(statement);
        if (!canComplete(statement)) {
          break; // anything after it would be unreachable
        }
      }
      scopes.pop();
      return statements;
    }

    Stmt statement(int depth) {
      for (int attempt = 0; attempt < 50; attempt++) {
        Stmt statement = attempt(depth);
        if (statement != null) {
          return statement;
        }
      }
      return create(); // always possible
    }

    /** One random statement, or null when the one drawn is not possible here. */
    Stmt attempt(int depth) {
      boolean nest = depth < MAX_DEPTH && budget > 1;
      int roll = random.nextInt(100);
      if (roll < 18) {
        return create();
      } else if (roll < 24) {
        return on(Feature.REASSIGN, () -> reassign());
      } else if (roll < 26) {
        return on(Feature.DISCARD, () -> discard());
      } else if (roll < 30) {
        return on(Feature.ALIAS, () -> alias());
      } else if (roll < 32) {
        return on(Feature.ALIAS_REASSIGN, () -> aliasReassign());
      } else if (roll < 45) {
        Var v = pick(x -> true);
        return v == null ? null : new End(v.name(), pick(EndKind.values()));
      } else if (roll < 53) {
        return on(Feature.HAND_OVER, () -> handOver());
      } else if (roll < 61) {
        return on(Feature.USE, () -> use());
      } else if (roll < 70) {
        return nest ? on(Feature.IF, () -> ifStatement(depth)) : null;
      } else if (roll < 77) {
        return nest ? loop(depth) : null;
      } else if (roll < 80) {
        return nest ? on(Feature.SWITCH, () -> switchStatement(depth)) : null;
      } else if (roll < 84) {
        return nest ? on(Feature.TRY_FINALLY, () -> tryFinally(depth)) : null;
      } else if (roll < 88) {
        return nest ? on(Feature.RESOURCE, () -> resource(depth)) : null;
      } else if (roll < 90) {
        return nest ? on(Feature.RESOURCE_OF_VARIABLE, () -> resourceOf(depth)) : null;
      } else if (roll < 92) {
        return nest ? on(Feature.LAMBDA_BODY, () -> lambdaBody(depth)) : null;
      } else if (roll < 95) {
        return returnStatement();
      } else if (roll < 98) {
        return jump();
      } else {
        return exit();
      }
    }

    Stmt on(Feature feature, java.util.function.Supplier<Stmt> make) {
      return features.contains(feature) ? make.get() : null;
    }

    Stmt create() {
      Var v = declare(random.nextBoolean());
      boolean inferred = features.contains(Feature.VAR) && random.nextInt(4) == 0;
      return new Create(sites++, v.name(), true, inferred, factory());
    }

    Stmt discard() {
      Unheld form = pick(unheld.toArray(new Unheld[0]));
      return form == null ? null : new Discard(sites++, factory(), form);
    }

    Stmt reassign() {
      Var v = pick(x -> !x.fixed());
      return v == null ? null : new Create(sites++, v.name(), false, false, factory());
    }

    Stmt alias() {
      Var from = pick(x -> true);
      if (from == null) {
        return null;
      }
      Var v = declare(random.nextBoolean());
      return new Alias(v.name(), from.name(), true);
    }

    Stmt aliasReassign() {
      Var target = pick(x -> !x.fixed());
      Var from = pick(x -> true);
      if (target == null || from == null || target.equals(from)) {
        return null;
      }
      return new Alias(target.name(), from.name(), false);
    }

    Stmt handOver() {
      HandKind kind = pick(handKinds.toArray(new HandKind[0]));
      Var v = kind == null ? null : pick(x -> x.fixed() || !kind.captures);
      return v == null ? null : new HandOver(v.name(), kind, local());
    }

    Stmt use() {
      UseKind kind = pick(useKinds.toArray(new UseKind[0]));
      Var v = kind == null ? null : pick(x -> x.fixed() || !kind.captures);
      return v == null ? null : new Use(v.name(), kind, local());
    }

    Stmt ifStatement(int depth) {
      int n = conditions++;
      String condition = n < 4 ? "b" + n : "k > " + n;
      List<Stmt> then = block(depth + 1, 1 + random.nextInt(3));
      List<Stmt> orElse = random.nextBoolean() ? block(depth + 1, 1 + random.nextInt(3)) : null;
      return new If(condition, then, orElse);
    }

    Stmt loop(int depth) {
      LoopKind kind = pick(LoopKind.values());
      Feature feature =
          switch (kind) {
            case WHILE -> Feature.WHILE;
            case FOR -> Feature.FOR;
            case FOR_EACH -> Feature.FOR_EACH;
            case WHILE_TRUE -> Feature.WHILE_TRUE;
            case FOR_EVER -> Feature.FOR_EVER;
          };
      if (!features.contains(feature)) {
        return null;
      }
      String name =
          switch (kind) {
            case WHILE -> "k > " + (conditions++); // not a parameter: unknown at each test
            case FOR -> "i" + names++;
            case FOR_EACH -> "s" + names++;
            case WHILE_TRUE, FOR_EVER -> "";
          };
      breakables.push(true);
      List<Stmt> body = block(depth + 1, 1 + random.nextInt(4));
      breakables.pop();
      if ((kind == LoopKind.FOR_EVER || kind == LoopKind.WHILE_TRUE)
          && body.equals(List.of(new Continue()))
          && !features.contains(Feature.FOR_EVER_ONLY_CONTINUE)) {
        return null;
      }
      return new Loop(kind, name, body);
    }

    Stmt switchStatement(int depth) {
      List<Case> cases = new ArrayList<>();
      int count = 1 + random.nextInt(3);
      int defaultAt = random.nextBoolean() ? random.nextInt(count) : -1;
      if (defaultAt >= 0 && !features.contains(Feature.DEFAULT_NOT_LAST)) {
        defaultAt = count - 1;
      }
      breakables.push(false);
      for (int i = 0; i < count; i++) {
        // Each case its own scope: a variable declared in one case is not assigned in the next.
        cases.add(new Case(i == defaultAt ? null : i, block(depth + 1, 1 + random.nextInt(3))));
      }
      breakables.pop();
      return new Switch(cases);
    }

    Stmt tryFinally(int depth) {
      List<Stmt> body = block(depth + 1, 1 + random.nextInt(3));
      // The finally block never jumps out (no return, break, continue, throw or exit), so that
      // the try statement's outcome is its body's.
      Deque<Boolean> saved = new ArrayDeque<>(breakables);
      breakables.clear();
      ReturnType savedReturn = returnType;
      returnType = null;
      List<Stmt> fin = block(depth + 1, 1 + random.nextInt(2));
      returnType = savedReturn;
      breakables.addAll(saved);
      return new TryFinally(body, fin);
    }

    Stmt resource(int depth) {
      int site = sites++;
      Factory factory = factory();
      scopes.push(new ArrayList<>());
      Var v = declare(true);
      List<Stmt> body = block(depth + 1, 1 + random.nextInt(3));
      scopes.pop();
      return new Resource(site, v.name(), factory, body);
    }

    Stmt lambdaBody(int depth) {
      String local = local();
      Deque<List<Var>> outerScopes = new ArrayDeque<>(scopes);
      Deque<Boolean> outerBreakables = new ArrayDeque<>(breakables);
      ReturnType outerReturn = returnType;
      scopes.clear(); // the body names none of the method's variables
      breakables.clear();
      returnType = ReturnType.VOID;
      List<Stmt> body = block(depth + 1, 1 + random.nextInt(3));
      scopes.clear();
      scopes.addAll(outerScopes);
      breakables.addAll(outerBreakables);
      returnType = outerReturn;
      return new LambdaBody(local, body);
    }

    Stmt resourceOf(int depth) {
      Var v = pick(Var::fixed);
      if (v == null) {
        return null;
      }
      return new ResourceOf(v.name(), block(depth + 1, 1 + random.nextInt(3)));
    }

    Stmt returnStatement() {
      if (returnType == null || !features.contains(Feature.RETURN)) {
        return null; // inside a finally block
      }
      if (returnType.returnsValue()
          && features.contains(Feature.RETURN_VALUE)
          && random.nextBoolean()) {
        Var v = pick(x -> true);
        if (v != null) {
          return new Return(v.name());
        }
      }
      return new Return(null);
    }

    Stmt jump() {
      if (breakables.isEmpty()) {
        return null;
      }
      boolean inLoop = breakables.contains(true);
      if (inLoop && random.nextBoolean()) {
        return features.contains(Feature.CONTINUE) ? new Continue() : null;
      }
      return features.contains(Feature.BREAK) ? new Break() : null;
    }

    Stmt exit() {
      if (returnType == null) {
        return null; // inside a finally block
      }
      ExitKind kind = pick(ExitKind.values());
      Feature feature =
          switch (kind) {
            case THROW -> Feature.THROW;
            case SYSTEM_EXIT -> Feature.SYSTEM_EXIT;
            case HALT -> Feature.HALT;
          };
      return features.contains(feature) ? new Exit(kind) : null;
    }

    Factory factory() {
      return pick(Factory.values());
    }

    Var declare(boolean fixed) {
      Var v = new Var("c" + names++, fixed);
      scopes.peek().add(v);
      return v;
    }

    String local() {
      return "r" + names++;
    }

    Var pick(Predicate<Var> filter) {
      List<Var> candidates = new ArrayList<>();
      for (List<Var> scope : scopes) {
        for (Var v : scope) {
          if (filter.test(v)) {
            candidates.add(v);
          }
        }
      }
      return candidates.isEmpty() ? null : candidates.get(random.nextInt(candidates.size()));
    }

    <T> T pick(T[] values) {
      return values.length == 0 ? null : values[random.nextInt(values.length)];
    }
  }

  /** Whether javac considers that {@code statements} can complete normally (JLS 14.22). */
  static boolean canComplete(List<Stmt> statements) {
    for (Stmt statement : statements) {
      if (!canComplete(statement)) {
        return false;
      }
    }
    return true;
  }

  static boolean canComplete(Stmt statement) {
    if (statement instanceof Break
        || statement instanceof Continue
        || statement instanceof Return) {
      return false;
    } else if (statement instanceof Exit e) {
      return e.kind() != ExitKind.THROW; // javac does not know that System.exit never returns
    } else if (statement instanceof If i) {
      return i.orElse() == null || canComplete(i.then()) || canComplete(i.orElse());
    } else if (statement instanceof Loop l) {
      return !l.kind().endless() || breaksOut(l.body());
    } else if (statement instanceof TryFinally t) {
      return canComplete(t.body()) && canComplete(t.fin());
    } else if (statement instanceof Resource r) {
      return canComplete(r.body());
    } else if (statement instanceof ResourceOf r) {
      return canComplete(r.body());
    } else if (statement instanceof Switch s) {
      List<Case> cases = s.cases();
      return cases.isEmpty()
          || cases.stream().noneMatch(c -> c.label() == null)
          || canComplete(cases.get(cases.size() - 1).body())
          || cases.stream().anyMatch(c -> breaksOut(c.body()));
    }
    return true;
  }

  /** Whether {@code statements} hold a break that leaves the enclosing loop or switch. */
  static boolean breaksOut(List<Stmt> statements) {
    for (Stmt statement : statements) {
      if (statement instanceof Break) {
        return true;
      } else if (statement instanceof If i) {
        if (breaksOut(i.then()) || (i.orElse() != null && breaksOut(i.orElse()))) {
          return true;
        }
      } else if (statement instanceof TryFinally t) {
        if (breaksOut(t.body()) || breaksOut(t.fin())) {
          return true;
        }
      } else if (statement instanceof Resource r) {
        if (breaksOut(r.body())) {
          return true;
        }
      } else if (statement instanceof ResourceOf r) {
        if (breaksOut(r.body())) {
          return true;
        }
      }
      // A break inside a nested loop or switch leaves that one.
    }
    return false;
  }
}
