package org.ctx4j.checks;

import com.google.errorprone.CompilationTestHelper;
import com.google.errorprone.scanner.ScannerSupplier;
import org.junit.jupiter.api.Test;

/**
 * Correct code with complex control flow, compiled with every ctx4j check: state machines in loops
 * with switch (arrow and colon forms, {@code yield}), try/catch/finally around several contexts,
 * cancels in {@code finally} under a condition correlated with the creation, contexts handed over
 * to fields, collections, callbacks, other threads and callers, contexts created in one branch and
 * cancelled after the join, retries with per-attempt timeouts, labelled break and continue, nested
 * lambdas and anonymous classes, streams, generic helpers, records, {@code assert}, {@code
 * synchronized}, patterns, and contexts that may be null until checked or defaulted. Every program
 * stays quiet under every check: the path analyses of {@code LostCancel} and {@code NullContext}
 * must follow these shapes without a false positive or a crash.
 */
final class FlowRealisticCodeTest {
  private static final ScannerSupplier EVERY_CHECK =
      ScannerSupplier.fromBugCheckerClasses(EveryCheckTest.checks().toList());

  private static CompilationTestHelper everyCheck() {
    return CompilationTestHelper.newInstance(EVERY_CHECK, FlowRealisticCodeTest.class);
  }

  /** A connection state machine in a loop, switch statements and expressions, yield. */
  @Test
  void stateMachinesAreQuiet() {
    everyCheck().addSourceLines("flow/Machines.java", MACHINES).expectNoDiagnostics().doTest();
  }

  /** Several contexts in try/catch/finally, cancels under correlated conditions. */
  @Test
  void tryFinallyShapesAreQuiet() {
    everyCheck().addSourceLines("flow/Finally.java", FINALLY).expectNoDiagnostics().doTest();
  }

  /** Contexts handed to fields, collections, callbacks, threads, records and callers. */
  @Test
  void handOversAreQuiet() {
    everyCheck().addSourceLines("flow/HandOvers.java", HAND_OVERS).expectNoDiagnostics().doTest();
  }

  /** Retries, labelled loops, branches joined before the cancel, lambdas, streams, generics. */
  @Test
  void loopsBranchesAndLambdasAreQuiet() {
    everyCheck().addSourceLines("flow/Loops.java", LOOPS).expectNoDiagnostics().doTest();
  }

  /** Contexts that may be null until checked, defaulted or chosen by a ternary. */
  @Test
  void nullableContextsAreQuiet() {
    everyCheck().addSourceLines("flow/Nullables.java", NULLABLES).expectNoDiagnostics().doTest();
  }

  /** A second round: more hand-overs, groups, labelled blocks, cleanup in catch. */
  @Test
  void moreLostCancelShapesAreQuiet() {
    everyCheck().addSourceLines("flow/More.java", MORE).expectNoDiagnostics().doTest();
  }

  /** A second round of locals null on some path, each set or checked before use. */
  @Test
  void moreNullShapesAreQuiet() {
    everyCheck().addSourceLines("flow/MoreNulls.java", MORE_NULLS).expectNoDiagnostics().doTest();
  }

  /** A third round: streams of contexts, aliases of other types, grpc, forks. */
  @Test
  void thirdRoundIsQuiet() {
    everyCheck()
        .addSourceLines("flow/Third.java", THIRD)
        .addSourceLines("flow/ThirdNulls.java", THIRD_NULLS)
        .expectNoDiagnostics()
        .doTest();
  }

  /** A fourth round: guards written other ways, exhaustive switches, odd trees. */
  @Test
  void fourthRoundIsQuiet() {
    everyCheck()
        .addSourceLines("flow/Fourth.java", FOURTH)
        .addSourceLines("flow/FourthNulls.java", FOURTH_NULLS)
        .expectNoDiagnostics()
        .doTest();
  }

  /** A fifth round: cancels that skip a context already done, lambdas in fields, hand-overs. */
  @Test
  void fifthRoundIsQuiet() {
    everyCheck().addSourceLines("flow/Fifth.java", FIFTH).expectNoDiagnostics().doTest();
  }

  /** A sixth round: loops that end when the context is done, odd trees, more null guards. */
  @Test
  void sixthRoundIsQuiet() {
    everyCheck().addSourceLines("flow/Sixth.java", SIXTH).expectNoDiagnostics().doTest();
  }

  /** A seventh round: breakable blocks, retries that swap the context, local classes. */
  @Test
  void seventhRoundIsQuiet() {
    everyCheck().addSourceLines("flow/Seventh.java", SEVENTH).expectNoDiagnostics().doTest();
  }

  /** Nullable context fields, set, checked, swapped and cancelled. */
  @Test
  void nullableFieldsAreQuiet() {
    everyCheck().addSourceLines("flow/Fields.java", FIELDS).expectNoDiagnostics().doTest();
  }

  /** Batches rolled over by count and contexts made lazily on first need. */
  @Test
  void batchesAndLazyContextsAreQuiet() {
    everyCheck().addSourceLines("flow/Batches.java", BATCHES).expectNoDiagnostics().doTest();
  }

  /** An invariant stated by Guava's checkState before the use. */
  @Test
  void statedInvariantsAreQuiet() {
    everyCheck().addSourceLines("flow/Stated.java", STATED).expectNoDiagnostics().doTest();
  }

  private static final String MACHINES =
      """
      package flow;

      import java.time.Duration;
      import org.ctx4j.CancellableContext;
      import org.ctx4j.Context;

      final class Machines {
        enum State { IDLE, CONNECTING, STREAMING, DRAINING, DONE }

        interface Link {
          boolean connect(Context ctx);
          boolean read(Context ctx);
        }

        /** One context per phase, cancelled when the phase ends. */
        void run(Context ctx, Link link) {
          State state = State.CONNECTING;
          CancellableContext phase = Context.withTimeout(ctx, Duration.ofSeconds(5));
          try {
            while (state != State.DONE) {
              switch (state) {
                case CONNECTING -> {
                  if (link.connect(phase)) {
                    phase.cancel();
                    phase = Context.withCancel(ctx);
                    state = State.STREAMING;
                  } else {
                    state = State.DONE;
                  }
                }
                case STREAMING -> state = link.read(phase) ? State.STREAMING : State.DRAINING;
                case DRAINING -> {
                  phase.cancel();
                  state = State.DONE;
                }
                default -> throw new IllegalStateException(state.name());
              }
            }
          } finally {
            phase.cancel();
          }
        }

        /** Colon form, fall through, a context per step and a cancel before each break. */
        int colon(Context ctx, Link link, int steps) {
          int done = 0;
          for (int step = 0; step < steps; step++) {
            CancellableContext c = Context.withTimeout(ctx, Duration.ofMillis(100));
            switch (step % 3) {
              case 0:
                link.connect(c);
                // fall through
              case 1:
                if (!link.read(c)) {
                  c.cancel();
                  return done;
                }
                c.cancel();
                done++;
                break;
              default:
                c.cancel();
                continue;
            }
          }
          return done;
        }

        /** A switch expression that yields the timeout of each state. */
        boolean step(Context ctx, Link link, State state) {
          Duration budget =
              switch (state) {
                case IDLE, DONE -> Duration.ZERO;
                case CONNECTING -> {
                  Duration d = Duration.ofSeconds(1);
                  yield d.multipliedBy(2);
                }
                default -> {
                  if (state == State.DRAINING) {
                    yield Duration.ofMillis(10);
                  }
                  yield Duration.ofSeconds(1);
                }
              };
          if (budget.isZero()) {
            return false;
          }
          try (CancellableContext c = Context.withTimeout(ctx, budget)) {
            return link.read(c);
          }
        }

        /** A switch expression whose arms create, use and cancel a context each. */
        boolean arms(Context ctx, Link link, State state) {
          return switch (state) {
            case CONNECTING -> {
              CancellableContext c = Context.withTimeout(ctx, Duration.ofSeconds(1));
              try {
                yield link.connect(c);
              } finally {
                c.cancel();
              }
            }
            case STREAMING -> {
              CancellableContext c = Context.withCancel(ctx);
              boolean ok = link.read(c);
              c.cancel();
              yield ok;
            }
            default -> false;
          };
        }

        /** The context made for the state is cancelled when the machine leaves it. */
        void machineWithEarlyExit(Context ctx, Link link) {
          CancellableContext current = Context.withCancel(ctx);
          State state = State.CONNECTING;
          outer:
          while (true) {
            switch (state) {
              case CONNECTING:
                if (!link.connect(current)) {
                  break outer;
                }
                state = State.STREAMING;
                break;
              case STREAMING:
                if (!link.read(current)) {
                  state = State.DONE;
                }
                break;
              default:
                break outer;
            }
          }
          current.cancel();
        }
      }
      """;

  private static final String FINALLY =
      """
      package flow;

      import java.io.IOException;
      import java.time.Duration;
      import org.ctx4j.CancellableContext;
      import org.ctx4j.Context;
      import org.ctx4j.TaskGroup;

      final class Finally {
        interface Store {
          String read(Context ctx, String key) throws IOException;
          void write(Context ctx, String key, String value) throws IOException;
        }

        /** Two contexts, the second created inside the try, both cancelled in finally. */
        String copy(Context ctx, Store from, Store to, String key) throws IOException {
          CancellableContext readCtx = Context.withTimeout(ctx, Duration.ofSeconds(1));
          CancellableContext writeCtx = null;
          try {
            String v = from.read(readCtx, key);
            writeCtx = Context.withTimeout(ctx, Duration.ofSeconds(2));
            to.write(writeCtx, key, v);
            return v;
          } finally {
            if (writeCtx != null) {
              writeCtx.cancel();
            }
            readCtx.cancel();
          }
        }

        /** Created only when bounded, cancelled in finally under the same test. */
        String bounded(Context ctx, Store store, String key, boolean bounded) throws IOException {
          CancellableContext timeout = bounded ? Context.withTimeout(ctx, Duration.ofSeconds(1)) : null;
          Context scope = timeout != null ? timeout : ctx;
          try {
            return store.read(scope, key);
          } finally {
            if (bounded) {
              timeout.cancel();
            }
          }
        }

        /** Created under a flag, cancelled in finally under the same flag. */
        String flagged(Context ctx, Store store, String key, boolean bounded) throws IOException {
          Context scope = ctx;
          CancellableContext timeout = null;
          if (bounded) {
            timeout = Context.withTimeout(ctx, Duration.ofSeconds(1));
            scope = timeout;
          }
          try {
            return store.read(scope, key);
          } finally {
            if (bounded) {
              timeout.cancel();
            }
          }
        }

        /** Catch that cancels with a cause and rethrows, finally that closes. */
        void withCause(Context ctx, Store store) throws IOException {
          CancellableContext c = Context.withCancel(ctx);
          try {
            store.write(c, "k", "v");
          } catch (IOException e) {
            c.cancel(e);
            throw e;
          } finally {
            c.close();
          }
        }

        /** A catch that swallows, after a cancel in the try; finally cancels again. */
        boolean swallow(Context ctx, Store store) {
          CancellableContext c = Context.withTimeout(ctx, Duration.ofSeconds(1));
          try {
            store.write(c, "k", "v");
            c.cancel();
            return true;
          } catch (IOException | RuntimeException e) {
            return false;
          } finally {
            c.cancel();
          }
        }

        /** Nested try-with-resources with a group and a context, an exception after the cancel. */
        void nested(Context ctx, Store store) throws IOException {
          try (TaskGroup g = TaskGroup.withContext(ctx);
              CancellableContext c = Context.withTimeout(g.context(), Duration.ofSeconds(1))) {
            g.go(gctx -> store.write(gctx, "a", "b"));
            store.write(c, "c", "d");
          }
          CancellableContext after = Context.withCancel(ctx);
          String v = store.read(after, "x");
          after.cancel();
          if (v == null) {
            throw new IOException("missing");
          }
        }

        /** synchronized and assert around a cancel. */
        synchronized void locked(Context ctx, Store store, Object lock) throws IOException {
          CancellableContext c = Context.withCancel(ctx);
          synchronized (lock) {
            try {
              assert c.err() == null : "fresh context";
              store.write(c, "k", "v");
            } finally {
              c.cancel();
            }
          }
          assert c.err() != null;
        }

        /** A finally that cancels every context of an array made in the try. */
        void inner(Context ctx, Store store) throws IOException {
          CancellableContext outer = Context.withCancel(ctx);
          try {
            CancellableContext inner = Context.withTimeout(outer, Duration.ofSeconds(1));
            try {
              store.write(inner, "k", "v");
            } finally {
              inner.cancel();
            }
          } catch (IOException e) {
            outer.cancel(e);
            throw e;
          } finally {
            outer.cancel();
          }
        }
      }
      """;

  private static final String HAND_OVERS =
      """
      package flow;

      import java.time.Duration;
      import java.util.ArrayList;
      import java.util.List;
      import java.util.Map;
      import java.util.concurrent.CompletableFuture;
      import java.util.concurrent.ConcurrentHashMap;
      import java.util.concurrent.ExecutorService;
      import java.util.function.Consumer;
      import org.ctx4j.CancelFunc;
      import org.ctx4j.CancellableContext;
      import org.ctx4j.Context;
      import org.jspecify.annotations.Nullable;

      final class HandOvers {
        private final Map<String, CancelFunc> inFlight = new ConcurrentHashMap<>();
        private final List<AutoCloseable> closers = new ArrayList<>();

        @SuppressWarnings("ContextInField")
        record Job(String id, CancellableContext ctx) implements AutoCloseable {
          @Override
          public void close() {
            ctx.cancel();
          }
        }

        /** A record holding the context is handed to the caller. */
        Job start(Context ctx, String id) {
          var c = Context.withTimeout(ctx, Duration.ofMinutes(1));
          return new Job(id, c);
        }

        /** The record is used in try-with-resources. */
        void runJob(Context ctx, String id) {
          try (Job job = start(ctx, id)) {
            work(job.ctx(), id);
          }
        }

        /** The cancel handle goes into a map; the work ends it when done. */
        void submit(Context ctx, ExecutorService pool, String id) {
          CancellableContext c = Context.withCancel(ctx);
          inFlight.put(id, c::cancel);
          pool.execute(
              () -> {
                try {
                  work(c, id);
                } finally {
                  inFlight.remove(id);
                  c.cancel();
                }
              });
        }

        /** Another thread cancels it when done. */
        Thread background(Context ctx, String id) {
          CancellableContext c = Context.withTimeout(ctx, Duration.ofSeconds(30));
          Thread t =
              new Thread(
                  new Runnable() {
                    @Override
                    public void run() {
                      try {
                        work(c, id);
                      } finally {
                        c.cancel();
                      }
                    }
                  });
          t.start();
          return t;
        }

        /** The future cancels it when complete. */
        CompletableFuture<String> async(Context ctx, String id) {
          CancellableContext c = Context.withTimeout(ctx, Duration.ofSeconds(3));
          return CompletableFuture.supplyAsync(() -> load(c, id)).whenComplete((v, e) -> c.cancel());
        }

        /** A callback takes the context and owns it. */
        void withCallback(Context ctx, Consumer<CancellableContext> owner) {
          CancellableContext c = Context.withCancel(ctx);
          if (owner == null) {
            c.cancel();
            return;
          }
          owner.accept(c);
        }

        /** A list of closers collects the context; it is closed with the others later. */
        void register(Context ctx) {
          CancellableContext c = Context.withCancel(ctx);
          closers.add(c);
        }

        /** A generic helper returning a CancellableContext, used with var and cancelled. */
        static <C extends CancellableContext> C remember(C ctx, List<? super C> all) {
          all.add(ctx);
          return ctx;
        }

        void generic(Context ctx, List<CancellableContext> all) {
          var c = remember(Context.withCancel(ctx), all);
          work(c, "x");
        }

        /** Returned from one branch, cancelled on the other. */
        @Nullable CancellableContext maybeKeep(Context ctx, boolean keep) {
          CancellableContext c = Context.withTimeout(ctx, Duration.ofSeconds(1));
          if (keep) {
            return c;
          }
          work(c, "x");
          c.cancel();
          return null;
        }

        /** Returned through a ternary with the parent: a caller that gets a derived one owns it. */
        Context scoped(Context ctx, boolean bounded) {
          return bounded ? Context.withTimeout(ctx, Duration.ofSeconds(1)) : ctx;
        }

        static void work(Context ctx, String id) {}

        static String load(Context ctx, String id) {
          return id;
        }
      }
      """;

  private static final String LOOPS =
      """
      package flow;

      import java.io.IOException;
      import java.time.Duration;
      import java.util.List;
      import java.util.Map;
      import java.util.function.Function;
      import java.util.stream.Collectors;
      import org.ctx4j.CancellableContext;
      import org.ctx4j.Context;

      final class Loops {
        interface Client {
          String call(Context ctx, String req) throws IOException;
        }

        /** do/while retry, a timeout per attempt. */
        String retry(Context ctx, Client client, String req, int max) throws IOException {
          int attempt = 0;
          IOException last = null;
          do {
            CancellableContext c = Context.withTimeout(ctx, Duration.ofSeconds(1L << attempt));
            try {
              return client.call(c, req);
            } catch (IOException e) {
              last = e;
            } finally {
              c.cancel();
            }
            attempt++;
          } while (attempt < max && ctx.err() == null);
          throw last != null ? last : new IOException("no attempt");
        }

        /** do/while retry without finally: cancel on each arm. */
        String retryPlain(Context ctx, Client client, String req) throws IOException {
          int attempt = 0;
          do {
            CancellableContext c = Context.withTimeout(ctx, Duration.ofSeconds(1));
            try {
              String r = client.call(c, req);
              c.cancel();
              return r;
            } catch (IOException e) {
              c.cancel();
              if (++attempt >= 3) {
                throw e;
              }
            }
          } while (true);
        }

        /** Labelled continue and break over a grid. */
        int grid(Context ctx, Client client, List<List<String>> rows) throws IOException {
          int found = 0;
          rows:
          for (List<String> row : rows) {
            CancellableContext rowCtx = Context.withTimeout(ctx, Duration.ofSeconds(5));
            try {
              for (String cell : row) {
                if (cell.isEmpty()) {
                  continue rows;
                }
                if (cell.equals("stop")) {
                  break rows;
                }
                client.call(rowCtx, cell);
                found++;
              }
            } finally {
              rowCtx.cancel();
            }
          }
          return found;
        }

        /** Created in one branch or the other, cancelled after the join. */
        String branches(Context ctx, Client client, String req, boolean fast) throws IOException {
          CancellableContext c;
          if (fast) {
            c = Context.withTimeout(ctx, Duration.ofMillis(100));
          } else {
            c = Context.withCancel(ctx);
          }
          try {
            return client.call(c, req);
          } finally {
            c.cancel();
          }
        }

        /** Created in a switch with several arms, cancelled after. */
        String switched(Context ctx, Client client, String req, int mode) throws IOException {
          CancellableContext c =
              switch (mode) {
                case 0 -> Context.withCancel(ctx);
                case 1 -> Context.withTimeout(ctx, Duration.ofSeconds(1));
                default -> {
                  if (mode < 0) {
                    throw new IllegalArgumentException("mode");
                  }
                  yield Context.withTimeout(ctx, Duration.ofSeconds(mode));
                }
              };
          String r = client.call(c, req);
          c.cancel();
          return r;
        }

        /** Nested lambdas and an anonymous class each make and end their own context. */
        Function<String, String> nested(Context ctx, Client client) {
          return req -> {
            Function<String, String> inner =
                new Function<>() {
                  @Override
                  public String apply(String r) {
                    try (CancellableContext c = Context.withTimeout(ctx, Duration.ofSeconds(1))) {
                      return client.call(c, r);
                    } catch (IOException e) {
                      return "";
                    }
                  }
                };
            CancellableContext outer = Context.withCancel(ctx);
            try {
              return inner.apply(req) + outer.err();
            } finally {
              outer.cancel();
            }
          };
        }

        /** A stream pipeline with a context per element. */
        Map<String, Integer> lengths(Context ctx, List<String> keys) {
          return keys.stream()
              .filter(k -> !k.isEmpty())
              .collect(
                  Collectors.toMap(
                      k -> k,
                      k -> {
                        CancellableContext c = Context.withTimeout(ctx, Duration.ofSeconds(1));
                        try {
                          return size(c, k);
                        } finally {
                          c.cancel();
                        }
                      }));
        }

        /** A while loop waiting on the context, an instanceof pattern deciding what to cancel. */
        void pattern(Context ctx, Object handle) {
          Context scope = handle instanceof Context given ? given : ctx;
          CancellableContext c = Context.withCancel(scope);
          if (handle instanceof String s && s.isEmpty()) {
            c.cancel();
            return;
          }
          while (c.err() == null && size(c, "x") < 0) {
            Thread.onSpinWait();
          }
          c.cancel();
        }

        /** Cancelled, then an exception thrown. */
        void throwAfter(Context ctx, Client client) throws IOException {
          CancellableContext c = Context.withCancel(ctx);
          String r = client.call(c, "x");
          c.cancel();
          if (r.isEmpty()) {
            throw new IOException("empty");
          }
        }

        /** A context per element with break out of a for-each and a cancel after the loop. */
        String firstOk(Context ctx, Client client, List<String> reqs) throws IOException {
          CancellableContext c = Context.withCancel(ctx);
          String found = null;
          for (String req : reqs) {
            String r = client.call(c, req);
            if (r != null) {
              found = r;
              break;
            }
          }
          c.cancel();
          return found;
        }

        static int size(Context ctx, String k) {
          return k.length();
        }
      }
      """;

  private static final String NULLABLES =
      """
      package flow;

      import java.time.Duration;
      import java.util.Objects;
      import java.util.Optional;
      import org.ctx4j.CancellableContext;
      import org.ctx4j.Context;
      import org.jspecify.annotations.Nullable;

      final class Nullables {
        private static final Object KEY = new Object();
        private @Nullable CancelHolder holder;

        static final class CancelHolder {
          final Runnable cancel;

          CancelHolder(Runnable cancel) {
            this.cancel = cancel;
          }
        }

        /** A parameter that may be null, defaulted before use. */
        String defaulted(@Nullable Context ctx, String id) {
          Context c = Objects.requireNonNullElse(ctx, Context.background());
          return load(c, id);
        }

        String optional(@Nullable Context ctx, String id) {
          Context c = Optional.ofNullable(ctx).orElseGet(Context::background);
          return load(c, id);
        }

        String optionalOr(@Nullable Context ctx, String id) {
          Context c = Optional.ofNullable(ctx).orElse(Context.todo());
          return load(c, id);
        }

        String elseGet(@Nullable Context ctx, String id) {
          Context c = Objects.requireNonNullElseGet(ctx, Context::todo);
          return load(c, id);
        }

        /** A local null until a branch sets it; used only under the same test. */
        String latched(Context parent, String id, boolean retry) {
          Context ctx = null;
          if (retry) {
            ctx = parent;
          }
          if (ctx == null) {
            return "";
          }
          return load(ctx, id);
        }

        /** Null on the first iteration, checked before use. */
        String chained(Context ctx, String[] ids) {
          Context prev = null;
          String out = "";
          for (String id : ids) {
            Context scope = prev != null ? prev : ctx;
            out += load(scope, id);
            prev = Context.withValue(scope, KEY, id);
          }
          return out;
        }

        /** A ternary choosing between a derived context and the parent. */
        String ternary(Context parent, String id, boolean bounded) {
          CancellableContext timeout = bounded ? Context.withTimeout(parent, Duration.ofSeconds(1)) : null;
          Context ctx = timeout != null ? timeout : parent;
          try {
            return load(ctx, id);
          } finally {
            if (timeout != null) {
              timeout.cancel();
            }
          }
        }

        /** Set in every arm of a switch, or the method returns. */
        String chosen(Context parent, String id, int mode) {
          Context ctx = null;
          switch (mode) {
            case 0:
              ctx = parent;
              break;
            case 1:
              ctx = Context.withValue(parent, KEY, id);
              break;
            default:
              return "";
          }
          return load(ctx, id);
        }

        /** Set in a try, used only when the try completed. */
        String tried(Context parent, String id) {
          Context ctx = null;
          try {
            ctx = Context.withValue(parent, KEY, id);
          } catch (RuntimeException e) {
            return "";
          }
          return load(ctx, id);
        }

        /** A nullable field read once and checked before use. */
        void cancelHeld() {
          CancelHolder h = holder;
          if (h != null) {
            h.cancel.run();
          }
        }

        /** Null in a loop until found, the loop leaves only when found. */
        String found(Context parent, String[] ids) {
          Context ctx = null;
          while (ctx == null) {
            for (String id : ids) {
              if (!id.isEmpty()) {
                ctx = Context.withValue(parent, KEY, id);
                break;
              }
            }
            if (ctx == null) {
              ctx = parent;
            }
          }
          return load(ctx, "x");
        }

        /** A do/while that sets the context before its first use. */
        String doWhile(Context parent, int n) {
          Context ctx = null;
          int i = 0;
          do {
            ctx = Context.withValue(ctx == null ? parent : ctx, KEY, i);
            i++;
          } while (i < n);
          return load(ctx, "x");
        }

        /** An assert and a requireNonNull before use. */
        String asserted(Context parent, String id, boolean retry) {
          Context ctx = null;
          if (retry) {
            ctx = parent;
          }
          Objects.requireNonNull(ctx, "ctx");
          return load(ctx, id);
        }

        /** A synchronized block sets it, an instanceof pattern reads it. */
        String locked(Context parent, Object lock, Object value) {
          Context ctx = null;
          synchronized (lock) {
            ctx = parent;
          }
          if (value instanceof Context given) {
            ctx = given;
          }
          return load(ctx, "x");
        }

        /** A lambda defaults its own nullable parameter. */
        java.util.function.BiFunction<Context, String, String> lambda() {
          return (ctx, id) -> load(ctx == null ? Context.background() : ctx, id);
        }

        static String load(Context ctx, String id) {
          return id;
        }
      }
      """;

  private static final String MORE =
      """
      package flow;

      import java.io.IOException;
      import java.time.Duration;
      import java.util.Iterator;
      import java.util.List;
      import java.util.Map;
      import java.util.concurrent.ExecutionException;
      import java.util.concurrent.ExecutorService;
      import org.ctx4j.CancelFunc;
      import org.ctx4j.CancellableContext;
      import org.ctx4j.Context;
      import org.ctx4j.TaskGroup;

      final class More {
        interface Db {
          void exec(Context ctx, String sql) throws IOException;
        }

        /** Created only when asked, cancelled when not null. */
        void optionalTimeout(Context ctx, Db db, boolean bounded) throws IOException {
          CancellableContext c = bounded ? Context.withTimeout(ctx, Duration.ofSeconds(1)) : null;
          try {
            db.exec(c != null ? c : ctx, "select 1");
          } finally {
            if (c != null) {
              c.cancel();
            }
          }
        }

        /** A rollback under its own context in the catch, then the exception rethrown. */
        void transaction(Context ctx, Db db) throws IOException {
          CancellableContext tx = Context.withTimeout(ctx, Duration.ofSeconds(10));
          try {
            db.exec(tx, "begin");
            db.exec(tx, "update");
            db.exec(tx, "commit");
          } catch (IOException e) {
            try (CancellableContext cleanup =
                Context.withTimeout(Context.withoutCancel(ctx), Duration.ofSeconds(1))) {
              db.exec(cleanup, "rollback");
            } catch (IOException suppressed) {
              e.addSuppressed(suppressed);
            }
            throw e;
          } finally {
            tx.cancel();
          }
        }

        /** Java 9 try-with-resources on an existing variable. */
        void existing(Context ctx, Db db) throws IOException {
          CancellableContext c = Context.withCancel(ctx);
          try (c) {
            db.exec(c, "x");
          }
        }

        /** A cancel handle kept in a local and called on every path. */
        void handle(Context ctx, Db db) throws IOException {
          CancellableContext c = Context.withCancel(ctx);
          CancelFunc cancel = c::cancel;
          try {
            db.exec(c, "x");
          } finally {
            cancel.cancel();
          }
        }

        /** Handed to a map passed in; a worker per job cancels on completion. */
        void jobs(Context ctx, ExecutorService pool, Map<String, CancelFunc> running, List<String> ids) {
          for (String id : ids) {
            CancellableContext c = Context.withCancel(ctx);
            running.put(id, c::cancel);
            pool.submit(
                () -> {
                  try {
                    return id.length();
                  } finally {
                    running.remove(id);
                    c.cancel();
                  }
                });
          }
        }

        /** Cancel every context of a list in a loop. */
        void cancelAll(List<CancellableContext> all) {
          for (Iterator<CancellableContext> it = all.iterator(); it.hasNext(); ) {
            CancellableContext c = it.next();
            it.remove();
            c.cancel();
          }
        }

        /** A group awaited in try, closed in finally; a second group in a loop. */
        void groups(Context ctx, Db db, List<String> sqls) throws IOException, InterruptedException {
          TaskGroup g = TaskGroup.withLimit(ctx, 4);
          try {
            for (String sql : sqls) {
              g.go(gctx -> db.exec(gctx, sql));
            }
            g.await();
          } catch (ExecutionException e) {
            throw new IOException(e.getCause());
          } finally {
            g.close();
          }
          for (int round = 0; round < 2; round++) {
            try (TaskGroup each = TaskGroup.withContext(ctx)) {
              each.go(gctx -> db.exec(gctx, "vacuum"));
              each.await();
            } catch (ExecutionException e) {
              continue;
            }
          }
        }

        /** A labelled block leaves early; the context is cancelled after it. */
        boolean labelled(Context ctx, Db db, List<String> sqls) {
          CancellableContext c = Context.withTimeout(ctx, Duration.ofSeconds(1));
          boolean ok = true;
          run:
          {
            for (String sql : sqls) {
              try {
                db.exec(c, sql);
              } catch (IOException e) {
                ok = false;
                break run;
              }
            }
            ok = c.err() == null;
          }
          c.cancel();
          return ok;
        }

        /** A colon switch creates in one case, the cancel after the switch; default throws. */
        void colonCreate(Context ctx, Db db, String kind) throws IOException {
          CancellableContext c;
          switch (kind) {
            case "fast":
              c = Context.withTimeout(ctx, Duration.ofMillis(50));
              break;
            case "slow":
            case "batch":
              c = Context.withTimeout(ctx, Duration.ofSeconds(30));
              break;
            default:
              throw new IllegalArgumentException(kind);
          }
          try {
            db.exec(c, kind);
          } finally {
            c.cancel();
          }
        }

        /** Cancelled in the catch and after the try, without finally. */
        boolean noFinally(Context ctx, Db db) {
          CancellableContext c = Context.withCancel(ctx);
          try {
            db.exec(c, "x");
          } catch (IOException e) {
            c.cancel(e);
            return false;
          }
          c.cancel();
          return true;
        }

        /** A return from inside synchronized, the cancel in finally. */
        int syncReturn(Context ctx, Db db, Object lock) throws IOException {
          CancellableContext c = Context.withCancel(ctx);
          try {
            synchronized (lock) {
              db.exec(c, "x");
              return 1;
            }
          } finally {
            c.cancel();
          }
        }

        /** A pattern cancels what the ternary derived. */
        void ternaryScope(Context ctx, Db db, boolean bounded) throws IOException {
          Context scope = bounded ? Context.withTimeout(ctx, Duration.ofSeconds(1)) : ctx;
          try {
            db.exec(scope, "x");
          } finally {
            if (scope instanceof CancellableContext owned && scope != ctx) {
              owned.cancel();
            }
          }
        }

        /** A retry loop whose context is reset to null after each cancel. */
        void retryNull(Context ctx, Db db) throws IOException {
          CancellableContext attempt = null;
          int tries = 0;
          try {
            while (true) {
              attempt = Context.withTimeout(ctx, Duration.ofSeconds(1));
              try {
                db.exec(attempt, "x");
                return;
              } catch (IOException e) {
                if (++tries == 3) {
                  throw e;
                }
              } finally {
                attempt.cancel();
                attempt = null;
              }
            }
          } finally {
            if (attempt != null) {
              attempt.cancel();
            }
          }
        }

        /** An assert after the cancel, an exception from a helper after it. */
        void assertAfter(Context ctx, Db db) throws IOException {
          CancellableContext c = Context.withCancel(ctx);
          db.exec(c, "x");
          c.cancel();
          assert c.err() != null : "cancelled";
          check(c);
        }

        static void check(Context ctx) throws IOException {
          if (ctx.err() == null) {
            throw new IOException("not cancelled");
          }
        }
      }
      """;

  private static final String MORE_NULLS =
      """
      package flow;

      import java.io.IOException;
      import java.util.List;
      import java.util.Objects;
      import org.ctx4j.Context;

      final class MoreNulls {
        private static final Object KEY = new Object();

        interface Parser {
          Context parse(Context ctx, String header) throws IOException;
        }

        /** Set in try or catch. */
        String fallback(Context ctx, Parser parser, String header) {
          Context scope = null;
          try {
            scope = parser.parse(ctx, header);
          } catch (IOException e) {
            scope = ctx;
          }
          return load(scope, header);
        }

        /** Defaulted when null. */
        String defaulted(Context ctx, Parser parser, String header, boolean parse) throws IOException {
          Context scope = null;
          if (parse) {
            scope = parser.parse(ctx, header);
          }
          if (scope == null) {
            scope = ctx;
          }
          return load(scope, header);
        }

        /** Throws when null. */
        String required(Context ctx, Parser parser, String header, boolean parse) throws IOException {
          Context scope = null;
          if (parse) {
            scope = parser.parse(ctx, header);
          }
          if (scope == null) {
            throw new IllegalStateException("no scope");
          }
          return load(scope, header);
        }

        /** Reassigned by requireNonNullElse. */
        String elseDefault(Context ctx, String header, boolean derive) {
          Context scope = null;
          if (derive) {
            scope = Context.withValue(ctx, KEY, header);
          }
          scope = Objects.requireNonNullElse(scope, ctx);
          return load(scope, header);
        }

        /** Inline ternaries on the null test. */
        String inline(Context ctx, String header, boolean derive) {
          Context scope = null;
          if (derive) {
            scope = Context.withValue(ctx, KEY, header);
          }
          String a = load(scope != null ? scope : ctx, header);
          String b = load(scope == null ? Context.todo() : scope, header);
          return a + b;
        }

        /** If / else if / else throw. */
        String chain(Context ctx, String header, int mode) {
          Context scope = null;
          if (mode == 0) {
            scope = ctx;
          } else if (mode == 1) {
            scope = Context.withValue(ctx, KEY, header);
          } else {
            throw new IllegalArgumentException("mode " + mode);
          }
          return load(scope, header);
        }

        /** The first live candidate, or the background. */
        String firstLive(Context ctx, List<Context> candidates) {
          Context chosen = null;
          for (Context c : candidates) {
            if (c.err() == null) {
              chosen = c;
              break;
            }
          }
          if (chosen == null) {
            chosen = ctx;
          }
          return load(chosen, "x");
        }

        /** Set before an unconditional break out of an endless loop. */
        String endless(Context ctx, Parser parser) {
          Context scope = null;
          int attempt = 0;
          while (true) {
            try {
              scope = parser.parse(ctx, "h" + attempt);
              break;
            } catch (IOException e) {
              attempt++;
            }
          }
          return load(scope, "x");
        }

        /** do/while until set. */
        String untilSet(Context ctx, Parser parser, List<String> headers) throws IOException {
          Context scope;
          int i = 0;
          do {
            scope = parser.parse(ctx, headers.get(i++));
          } while (scope == null);
          return load(scope, "x");
        }

        /** A labelled break out of nested loops after the assignment. */
        String nested(Context ctx, List<List<String>> grid) {
          Context scope = null;
          search:
          for (List<String> row : grid) {
            for (String cell : row) {
              if (cell.startsWith("ctx")) {
                scope = Context.withValue(ctx, KEY, cell);
                break search;
              }
            }
          }
          if (scope == null) {
            return "";
          }
          return load(scope, "x");
        }

        /** A switch expression yields null for unknown modes; the null is checked. */
        String switched(Context ctx, String header, int mode) {
          Context scope =
              switch (mode) {
                case 0 -> ctx;
                case 1 -> Context.withValue(ctx, KEY, header);
                default -> null;
              };
          if (scope == null) {
            return "";
          }
          return load(scope, header);
        }

        /** An instanceof pattern negated with an early return. */
        String pattern(Object value) {
          if (!(value instanceof Context scope)) {
            return "";
          }
          return load(scope, "x");
        }

        /** Set inside synchronized when still null. */
        private final Object lock = new Object();

        String lazy(Context ctx, String header) {
          Context scope = null;
          synchronized (lock) {
            if (scope == null) {
              scope = Context.withValue(ctx, KEY, header);
            }
          }
          return load(scope, header);
        }

        /** A guard with && and ||. */
        String guarded(Context ctx, String header, boolean derive) {
          Context scope = null;
          if (derive) {
            scope = Context.withValue(ctx, KEY, header);
          }
          if (scope == null || scope.err() != null) {
            return "";
          }
          return load(scope, header);
        }

        /** A lambda after the variable was set on every path. */
        Runnable later(Context ctx, boolean derive) {
          Context scope;
          if (derive) {
            scope = Context.withValue(ctx, KEY, "v");
          } else {
            scope = ctx;
          }
          Context captured = scope;
          return () -> load(captured, "x");
        }

        /** A null check in a loop condition. */
        String walk(Context ctx, Parser parser) throws IOException {
          Context scope = null;
          String header = "a";
          while (scope == null && header.length() < 5) {
            scope = parser.parse(ctx, header);
            header += "a";
          }
          return scope == null ? "" : load(scope, header);
        }

        static String load(Context ctx, String id) {
          return id;
        }
      }
      """;

  private static final String THIRD =
      """
      package flow;

      import java.io.IOException;
      import java.time.Duration;
      import java.util.ArrayList;
      import java.util.List;
      import java.util.Optional;
      import java.util.concurrent.ExecutionException;
      import org.ctx4j.CancellableContext;
      import org.ctx4j.Context;
      import org.ctx4j.TaskGroup;

      final class Third {
        interface Rpc {
          String call(Context ctx, String req) throws IOException;
        }

        /** A context per request made by a stream, all cancelled in finally. */
        List<String> fanOut(Context ctx, Rpc rpc, List<String> reqs) throws IOException {
          List<CancellableContext> scopes =
              reqs.stream().map(r -> Context.withTimeout(ctx, Duration.ofSeconds(1))).toList();
          try {
            List<String> out = new ArrayList<>();
            for (int i = 0; i < reqs.size(); i++) {
              out.add(rpc.call(scopes.get(i), reqs.get(i)));
            }
            return out;
          } finally {
            scopes.forEach(CancellableContext::cancel);
          }
        }

        /** Kept in an Optional local, cancelled through it. */
        void optional(Context ctx, Rpc rpc, boolean bounded) throws IOException {
          Optional<CancellableContext> timeout =
              bounded ? Optional.of(Context.withTimeout(ctx, Duration.ofSeconds(1))) : Optional.empty();
          try {
            rpc.call(timeout.map(Context.class::cast).orElse(ctx), "x");
          } finally {
            timeout.ifPresent(CancellableContext::cancel);
          }
        }

        /** An alias typed AutoCloseable closes it. */
        void closer(Context ctx, Rpc rpc) throws Exception {
          CancellableContext c = Context.withCancel(ctx);
          AutoCloseable closer = c;
          try {
            rpc.call(c, "x");
          } finally {
            closer.close();
          }
        }

        /** Correlated through an effectively final flag computed from an argument. */
        String computedFlag(Context ctx, Rpc rpc, Duration budget) throws IOException {
          boolean bounded = !budget.isZero();
          Context scope = ctx;
          CancellableContext timeout = null;
          if (bounded) {
            timeout = Context.withTimeout(ctx, budget);
            scope = timeout;
          }
          try {
            return rpc.call(scope, "x");
          } finally {
            if (!bounded) {
              scope = null;
            } else {
              timeout.cancel();
            }
          }
        }

        /** Forked results read after the group is awaited in try-with-resources. */
        int forks(Context ctx, Rpc rpc, List<String> reqs) throws InterruptedException {
          List<TaskGroup.Result<String>> results = new ArrayList<>();
          try (TaskGroup g = TaskGroup.withContext(ctx)) {
            for (String req : reqs) {
              results.add(g.fork(gctx -> rpc.call(gctx, req)));
            }
            g.await();
          } catch (ExecutionException e) {
            return -1;
          }
          int total = 0;
          for (TaskGroup.Result<String> r : results) {
            String v = r.get();
            total += v == null ? 0 : v.length();
          }
          return total;
        }

        /** A switch arm cancels before throwing; another yields after a cancel. */
        int arms(Context ctx, Rpc rpc, int mode) throws IOException {
          CancellableContext c = Context.withCancel(ctx);
          int r =
              switch (mode) {
                case 0 -> {
                  c.cancel();
                  throw new IOException("mode 0");
                }
                case 1 -> {
                  String v = rpc.call(c, "one");
                  c.cancel();
                  yield v.length();
                }
                default -> {
                  c.cancel();
                  yield 0;
                }
              };
          return r;
        }

        /** The while condition reads the context a loop creates each round. */
        void rounds(Context ctx, Rpc rpc) throws IOException {
          CancellableContext round = Context.withTimeout(ctx, Duration.ofSeconds(1));
          while (!rpc.call(round, "poll").isEmpty()) {
            round.cancel();
            round = Context.withTimeout(ctx, Duration.ofSeconds(1));
          }
          round.cancel();
        }

        /** grpc: a cancellable context run, attached and detached, cancelled in finally. */
        void grpc(Rpc rpc) {
          io.grpc.Context.CancellableContext c = io.grpc.Context.current().withCancellation();
          io.grpc.Context previous = c.attach();
          try {
            c.run(() -> {});
          } finally {
            c.detach(previous);
            c.cancel(null);
          }
        }

        /** grpc: created under a flag, cancelled when not null. */
        void grpcMaybe(boolean bounded) {
          io.grpc.Context.CancellableContext c =
              bounded ? io.grpc.Context.current().withCancellation() : null;
          try {
            io.grpc.Context scope = c != null ? c : io.grpc.Context.current();
            scope.run(() -> {});
          } finally {
            if (c != null) {
              c.cancel(null);
            }
          }
        }

        /** Nested lambdas: the inner one owns its context, the outer cancels its own. */
        Runnable nested(Context ctx, Rpc rpc, List<String> reqs) {
          return () -> {
            CancellableContext outer = Context.withCancel(ctx);
            try {
              reqs.forEach(
                  req -> {
                    try (CancellableContext inner = Context.withTimeout(outer, Duration.ofSeconds(1))) {
                      rpc.call(inner, req);
                    } catch (IOException e) {
                      outer.cancel(e);
                    }
                  });
            } finally {
              outer.cancel();
            }
          };
        }
      }
      """;

  private static final String THIRD_NULLS =
      """
      package flow;

      import java.io.IOException;
      import java.io.UncheckedIOException;
      import java.util.Iterator;
      import java.util.List;
      import java.util.Objects;
      import java.util.Optional;
      import org.ctx4j.CancellableContext;
      import org.ctx4j.Context;

      final class ThirdNulls {
        private static final Object KEY = new Object();

        interface Parser {
          Context parse(Context ctx, String header) throws IOException;
        }

        /** Assigned in a try whose finally only logs; a throw skips the use. */
        String tryFinally(Context ctx, Parser parser) throws IOException {
          Context scope = null;
          try {
            scope = parser.parse(ctx, "h");
          } finally {
            System.out.println("parsed");
          }
          return load(scope, "x");
        }

        /** A catch that wraps and rethrows. */
        String wrapped(Context ctx, Parser parser) {
          Context scope = null;
          try {
            scope = parser.parse(ctx, "h");
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
          return load(scope, "x");
        }

        /** An assert states the invariant. */
        String asserted(Context ctx, String header, boolean derive) {
          Context scope = null;
          if (derive) {
            scope = Context.withValue(ctx, KEY, header);
          } else {
            scope = ctx;
          }
          assert scope != null;
          return load(scope, header);
        }

        /** A continue when not found. */
        int perRow(Context ctx, List<List<String>> rows) {
          int n = 0;
          outer:
          for (List<String> row : rows) {
            Context scope = null;
            for (String cell : row) {
              if (!cell.isEmpty()) {
                scope = Context.withValue(ctx, KEY, cell);
              }
            }
            if (scope == null) {
              continue outer;
            }
            n += load(scope, "x").length();
          }
          return n;
        }

        /** Objects.isNull guard, and a requireNonNull inside the argument. */
        String isNull(Context ctx, Parser parser, boolean parse) throws IOException {
          Context scope = null;
          if (parse) {
            scope = parser.parse(ctx, "h");
          }
          if (Objects.isNull(scope)) {
            return load(Objects.requireNonNull(ctx), "none");
          }
          return load(scope, "x");
        }

        /** Reassigned from an Optional when null. */
        String viaOptional(Context ctx, Parser parser, boolean parse) throws IOException {
          Context scope = null;
          if (parse) {
            scope = parser.parse(ctx, "h");
          }
          scope = Optional.ofNullable(scope).orElseGet(Context::todo);
          return load(scope, "x");
        }

        /** The last of an iterator, checked after the loop. */
        String last(Iterator<Context> it) {
          Context scope = null;
          while (it.hasNext()) {
            scope = it.next();
          }
          if (scope != null) {
            return load(scope, "x");
          }
          return "";
        }

        /** A colon switch with fall through into a case that sets it. */
        String fallThrough(Context ctx, int mode) {
          Context scope = null;
          switch (mode) {
            case 0:
            case 1:
              scope = ctx;
              break;
            case 2:
              System.out.println("two");
              // fall through
            case 3:
              scope = Context.withValue(ctx, KEY, mode);
              break;
            default:
              throw new IllegalArgumentException();
          }
          return load(scope, "x");
        }

        /** An instanceof test guards the cancel of a local that may be null. */
        void cancelIfOwned(Context ctx, boolean derive) {
          Context scope = null;
          if (derive) {
            scope = Context.withCancel(ctx);
          }
          try {
            load(scope != null ? scope : ctx, "x");
          } finally {
            if (scope instanceof CancellableContext owned) {
              owned.cancel();
            }
          }
        }

        /** An anonymous class method with its own null path, checked before use. */
        Runnable anonymous(Context ctx, boolean derive) {
          return new Runnable() {
            @Override
            public void run() {
              Context scope = null;
              if (derive) {
                scope = Context.withValue(ctx, KEY, "v");
              }
              if (scope != null) {
                load(scope, "x");
              }
            }
          };
        }

        /** A try-with-resources in which the scope is set, a catch that returns. */
        String inResource(Context ctx, boolean derive) {
          Context scope = null;
          try (CancellableContext c = Context.withCancel(ctx)) {
            scope = derive ? Context.withValue(c, KEY, "v") : ctx;
            load(scope, "in");
          } catch (RuntimeException e) {
            return "";
          }
          return load(scope, "out");
        }

        static String load(Context ctx, String id) {
          return id;
        }
      }
      """;

  private static final String FOURTH =
      """
      package flow;

      import java.io.IOException;
      import java.time.Duration;
      import java.util.ArrayDeque;
      import java.util.Deque;
      import java.util.List;
      import java.util.concurrent.ScheduledExecutorService;
      import java.util.concurrent.TimeUnit;
      import java.util.function.Function;
      import java.util.function.Supplier;
      import org.ctx4j.CancellableContext;
      import org.ctx4j.Context;

      final class Fourth {
        enum Mode { FAST, SLOW, NONE }

        interface Rpc {
          String call(Context ctx, String req) throws IOException;
        }

        /** Every constant of an exhaustive enum switch creates; the cancel after it. */
        String exhaustive(Context ctx, Rpc rpc, Mode mode) throws IOException {
          CancellableContext c = null;
          switch (mode) {
            case FAST:
              c = Context.withTimeout(ctx, Duration.ofMillis(10));
              break;
            case SLOW:
              c = Context.withTimeout(ctx, Duration.ofSeconds(10));
              break;
            case NONE:
              c = Context.withCancel(ctx);
              break;
          }
          try {
            return rpc.call(c != null ? c : ctx, "x");
          } finally {
            if (c != null) {
              c.cancel();
            }
          }
        }

        /** A stack of scopes, pushed per level and popped in finally. */
        void levels(Context ctx, Rpc rpc, List<String> path) throws IOException {
          Deque<CancellableContext> stack = new ArrayDeque<>();
          try {
            Context current = ctx;
            for (String step : path) {
              CancellableContext next = Context.withCancel(current);
              stack.push(next);
              rpc.call(next, step);
              current = next;
            }
          } finally {
            while (!stack.isEmpty()) {
              stack.pop().cancel();
            }
          }
        }

        /** A timer cancels it later. */
        void scheduled(Context ctx, ScheduledExecutorService timer, Rpc rpc) throws IOException {
          CancellableContext c = Context.withCancel(ctx);
          timer.schedule((Runnable) c::cancel, 1, TimeUnit.SECONDS);
          rpc.call(c, "x");
        }

        /** A supplier that makes a context hands it to whoever calls it. */
        Supplier<CancellableContext> factory(Context ctx) {
          return () -> Context.withTimeout(ctx, Duration.ofSeconds(1));
        }

        /** A helper running a function under its own context. */
        static <T> T scoped(Context ctx, Function<? super Context, T> f) {
          try (var c = Context.withCancel(ctx)) {
            return f.apply(c);
          }
        }

        /** A per-attempt timeout, continue from the catch, finally cancels. */
        String attempts(Context ctx, Rpc rpc) throws IOException {
          IOException last = new IOException("no attempt");
          for (int i = 0; i < 3; i++) {
            CancellableContext c = Context.withTimeout(ctx, Duration.ofSeconds(1));
            try {
              return rpc.call(c, "x");
            } catch (IOException e) {
              last = e;
              continue;
            } finally {
              c.cancel();
            }
          }
          throw last;
        }

        /** do/while with continue inside the try. */
        void doContinue(Context ctx, Rpc rpc, List<String> reqs) throws IOException {
          int i = 0;
          do {
            CancellableContext c = Context.withTimeout(ctx, Duration.ofSeconds(1));
            try {
              if (reqs.get(i).isEmpty()) {
                continue;
              }
              rpc.call(c, reqs.get(i));
            } finally {
              c.cancel();
              i++;
            }
          } while (i < reqs.size());
        }

        /** try-with-resources with a yield inside a switch expression. */
        int yieldInTry(Context ctx, Rpc rpc, int mode) throws IOException {
          return switch (mode) {
            case 0 -> {
              try (CancellableContext c = Context.withCancel(ctx)) {
                yield rpc.call(c, "zero").length();
              }
            }
            default -> -1;
          };
        }

        /** A local record and a local enum in a method that creates contexts. */
        int locals(Context ctx, Rpc rpc) throws IOException {
          record Pair(String a, String b) {}
          enum Kind { A, B }
          CancellableContext c = Context.withCancel(ctx);
          try {
            Pair p = new Pair(rpc.call(c, "a"), rpc.call(c, "b"));
            Kind k = p.a().isEmpty() ? Kind.A : Kind.B;
            return k.ordinal();
          } finally {
            c.cancel();
          }
        }

        /** An anonymous class whose instance initializer makes and ends a context. */
        Object initializer(Context ctx, Rpc rpc) {
          return new Object() {
            final String value;

            {
              String v;
              try (CancellableContext c = Context.withCancel(ctx)) {
                v = rpc.call(c, "init");
              } catch (IOException e) {
                v = "";
              }
              value = v;
            }

            @Override
            public String toString() {
              return value;
            }
          };
        }

        /** An array of contexts, one per slot, all cancelled. */
        void slots(Context ctx, Rpc rpc, int n) throws IOException {
          CancellableContext[] slots = new CancellableContext[n];
          for (int i = 0; i < n; i++) {
            slots[i] = Context.withCancel(ctx);
          }
          try {
            for (CancellableContext s : slots) {
              rpc.call(s, "x");
            }
          } finally {
            for (CancellableContext s : slots) {
              s.cancel();
            }
          }
        }
      }
      """;

  private static final String FOURTH_NULLS =
      """
      package flow;

      import static com.google.common.base.Preconditions.checkNotNull;

      import java.io.IOException;
      import java.util.List;
      import org.ctx4j.Context;

      final class FourthNulls {
        private static final Object KEY = new Object();

        enum Mode { A, B }

        /** Every constant of an exhaustive enum switch sets it, colon and arrow form. */
        String exhaustive(Context ctx, Mode mode) {
          Context scope = null;
          switch (mode) {
            case A:
              scope = ctx;
              break;
            case B:
              scope = Context.withValue(ctx, KEY, "b");
              break;
          }
          Context other = null;
          switch (mode) {
            case A -> other = ctx;
            case B -> other = Context.withValue(ctx, KEY, "b");
          }
          return load(scope, "x") + load(other, "y");
        }

        /** Guava's checkNotNull as a statement. */
        String guava(Context ctx, String header, boolean derive) {
          Context scope = null;
          if (derive) {
            scope = Context.withValue(ctx, KEY, header);
          }
          checkNotNull(scope, "scope");
          return load(scope, header);
        }

        /** The null test written with null first, and in a parenthesised conditional. */
        String reversed(Context ctx, String header, boolean derive) {
          Context scope = null;
          if (derive) {
            scope = Context.withValue(ctx, KEY, header);
          }
          if (null != scope) {
            return load(scope, header);
          }
          scope = (scope == null) ? ctx : scope;
          return load(scope, header);
        }

        /** A while loop guarded by the null test walks a chain. */
        int chain(Context ctx, List<String> keys) {
          Context scope = null;
          if (!keys.isEmpty()) {
            scope = Context.withValue(ctx, KEY, keys.get(0));
          }
          int n = 0;
          while (scope != null) {
            n += load(scope, "x").length();
            scope = n > 10 ? null : Context.withValue(ctx, KEY, n);
          }
          return n;
        }

        /** Unbraced guards and else branches. */
        String unbraced(Context ctx, boolean derive) {
          Context scope = null;
          if (derive) scope = Context.withValue(ctx, KEY, "v");
          if (scope == null) scope = ctx;
          if (scope != null) load(scope, "a");
          else load(ctx, "b");
          return load(scope, "c");
        }

        /** Either of two, whichever is set. */
        String either(Context ctx, Context fallback, boolean first, boolean second) {
          Context a = null;
          Context b = null;
          if (first) {
            a = ctx;
          }
          if (second) {
            b = fallback;
          }
          if (a == null && b == null) {
            return "";
          }
          return load(a != null ? a : b, "x");
        }

        /** Set on the first pass of a do/while that checks it. */
        String doCheck(Context ctx, List<String> keys) {
          Context scope = null;
          int i = 0;
          do {
            if (scope == null) {
              scope = ctx;
            }
            load(scope, keys.get(i));
            i++;
          } while (i < keys.size());
          return load(scope, "x");
        }

        /** The null check and the use in a catch. */
        String inCatch(Context ctx, String header, boolean derive) {
          Context scope = null;
          if (derive) {
            scope = Context.withValue(ctx, KEY, header);
          }
          try {
            return parse(header);
          } catch (IOException e) {
            if (scope != null) {
              return load(scope, header);
            }
            return load(ctx, header);
          }
        }

        static String parse(String header) throws IOException {
          return header;
        }

        static String load(Context ctx, String id) {
          return id;
        }
      }
      """;

  private static final String FIFTH =
      """
      package flow;

      import java.io.IOException;
      import java.io.Serializable;
      import java.time.Duration;
      import java.util.Map;
      import java.util.concurrent.ExecutorService;
      import java.util.concurrent.atomic.AtomicReference;
      import java.util.function.Function;
      import org.ctx4j.CancellableContext;
      import org.ctx4j.Context;

      final class Fifth {
        interface Rpc {
          String call(Context ctx, String req) throws IOException;
        }

        @SuppressWarnings("ContextInField")
        record Scope(String name, CancellableContext ctx) implements AutoCloseable {
          @Override
          public void close() {
            ctx.cancel();
          }
        }

        private static final Function<Context, String> PING =
            ctx -> {
              CancellableContext c = Context.withTimeout(ctx, Duration.ofSeconds(1));
              try {
                return String.valueOf(c.err());
              } finally {
                c.cancel();
              }
            };

        private final Rpc rpc;

        Fifth(Rpc rpc) {
          this.rpc = rpc;
        }

        /** A record made straight from the factory is handed to the caller. */
        Scope open(Context ctx, String name) {
          return new Scope(name, Context.withTimeout(ctx, Duration.ofSeconds(1)));
        }

        /** A switch expression returns one of two new contexts. */
        CancellableContext pick(Context ctx, int mode) {
          return switch (mode) {
            case 0 -> Context.withCancel(ctx);
            default -> Context.withTimeout(ctx, Duration.ofSeconds(mode));
          };
        }

        /** A map makes the context on first use and keeps it. */
        CancellableContext session(Context ctx, Map<String, CancellableContext> sessions, String id) {
          return sessions.computeIfAbsent(id, k -> Context.withCancel(ctx));
        }

        /** The previous context swapped out of a reference and cancelled. */
        void swap(Context ctx, AtomicReference<CancellableContext> current) {
          CancellableContext next = Context.withCancel(ctx);
          CancellableContext old = current.getAndSet(next);
          if (old != null) {
            old.cancel();
          }
        }

        /** Closed together with another resource by a varargs helper. */
        void closeAll(Context ctx, AutoCloseable conn) throws IOException {
          CancellableContext c = Context.withCancel(ctx);
          try {
            rpc.call(c, "x");
          } finally {
            closeQuietly(conn, c);
          }
        }

        static void closeQuietly(AutoCloseable... all) {
          for (AutoCloseable a : all) {
            try {
              a.close();
            } catch (Exception e) {
              // ignored
            }
          }
        }

        /** An intersection-bounded helper that keeps what it is given. */
        static <C extends CancellableContext & Serializable> C keep(C ctx, Map<String, ? super C> all) {
          all.put("k", ctx);
          return ctx;
        }

        /** Ownership handed to a worker; the finally cancels only when the hand-over failed. */
        void handOff(Context ctx, ExecutorService pool) {
          CancellableContext c = Context.withCancel(ctx);
          boolean started = false;
          try {
            pool.execute(
                () -> {
                  try {
                    rpc.call(c, "work");
                  } catch (IOException e) {
                    c.cancel(e);
                  } finally {
                    c.cancel();
                  }
                });
            started = true;
          } finally {
            if (!started) {
              c.cancel();
            }
          }
        }

        /** A var over a for-each of new scopes, closed by try-with-resources. */
        void each(Context ctx, Iterable<String> names) throws IOException {
          for (var name : names) {
            try (var scope = open(ctx, name)) {
              rpc.call(scope.ctx(), name);
            }
          }
        }

        /** Cancelled unless the deadline already ended it. */
        void unlessDone(Context ctx) throws IOException {
          CancellableContext c = Context.withTimeout(ctx, Duration.ofMillis(10));
          rpc.call(c, "x");
          if (c.err() == null) {
            c.cancel();
          }
        }

        /** A JSR 305 nullable return. */
        @javax.annotation.CheckForNull
        Context lookup(Map<String, Context> known, String id) {
          if (!known.containsKey(id)) {
            return null;
          }
          return known.get(id);
        }

        /** A lambda in a field initializer is checked like a method: here it cancels. */
        String ping(Context ctx) {
          return PING.apply(ctx);
        }
      }
      """;

  private static final String SIXTH =
      """
      package flow;

      import java.io.IOException;
      import java.time.Duration;
      import java.util.List;
      import org.ctx4j.CancellableContext;
      import org.ctx4j.Context;

      final class Sixth {
        private static final Object KEY = new Object();

        interface Poller {
          boolean poll(Context ctx) throws IOException;
        }

        /** Polls until the deadline ends the context or the work is done, which cancels it. */
        void poll(Context ctx, Poller poller) throws IOException {
          CancellableContext c = Context.withTimeout(ctx, Duration.ofSeconds(30));
          while (c.err() == null) {
            if (poller.poll(c)) {
              c.cancel();
            }
          }
        }

        /** A compact record constructor that checks its context under a timeout of its own. */
        record Checked(String name) {
          Checked {
            try (CancellableContext c = Context.withTimeout(Context.todo(), Duration.ofSeconds(1))) {
              if (c.err() != null) {
                throw new IllegalStateException(name);
              }
            }
          }
        }

        /** A lambda handed to this(...) makes and ends its own context. */
        static final class Worker {
          final Runnable task;

          Worker(Context ctx) {
            this(
                () -> {
                  CancellableContext c = Context.withCancel(ctx);
                  try {
                    load(c, "w");
                  } finally {
                    c.cancel();
                  }
                });
          }

          Worker(Runnable task) {
            this.task = task;
          }
        }

        /** An or-guard and an and-guard. */
        String guards(Context ctx, boolean derive, boolean skip) {
          Context scope = null;
          if (derive) {
            scope = Context.withValue(ctx, KEY, "v");
          }
          if (scope == null || skip) {
            return "";
          }
          String a = load(scope, "a");
          Context other = null;
          if (!skip) {
            other = ctx;
          }
          if (other != null && other.err() == null) {
            a += load(other, "b");
          }
          return a;
        }

        /** Cleared after each use, set again at the top of each round. */
        int rounds(Context ctx, List<String> keys) {
          Context current = null;
          int n = 0;
          for (String k : keys) {
            current = Context.withValue(ctx, KEY, k);
            n += load(current, k).length();
            current = null;
          }
          return n;
        }

        /** A for loop whose header declares a null and whose body sets it before the break. */
        String header(Context ctx, List<String> keys) {
          for (Context found = null; ; ) {
            for (String k : keys) {
              if (k.startsWith("x")) {
                found = Context.withValue(ctx, KEY, k);
              }
            }
            if (found != null) {
              return load(found, "x");
            }
            return "";
          }
        }

        /** A switch statement in arrow form whose default returns. */
        String arrow(Context ctx, int mode) {
          Context scope = null;
          switch (mode) {
            case 0 -> scope = ctx;
            case 1 -> scope = Context.withValue(ctx, KEY, 1);
            default -> {
              return "";
            }
          }
          return load(scope, "x");
        }

        static String load(Context ctx, String id) {
          return id;
        }
      }
      """;

  private static final String SEVENTH =
      """
      package flow;

      import java.io.IOException;
      import java.time.Duration;
      import java.util.concurrent.ExecutorService;
      import java.util.concurrent.TimeoutException;
      import org.ctx4j.CancellableContext;
      import org.ctx4j.Context;

      final class Seventh {
        private static final Object KEY = new Object();

        interface Rpc {
          String call(Context ctx, String req) throws IOException, TimeoutException;
        }

        /** A do/while(false) block left early by break; the cancel after it. */
        boolean steps(Context ctx, Rpc rpc) throws IOException, TimeoutException {
          CancellableContext c = Context.withCancel(ctx);
          boolean ok = false;
          do {
            if (rpc.call(c, "one").isEmpty()) {
              break;
            }
            if (rpc.call(c, "two").isEmpty()) {
              break;
            }
            ok = true;
          } while (false);
          c.cancel();
          return ok;
        }

        /** The cancel inside a do/while(false), which runs once. */
        void once(Context ctx, Rpc rpc) throws IOException, TimeoutException {
          CancellableContext c = Context.withCancel(ctx);
          do {
            rpc.call(c, "x");
            c.cancel();
          } while (false);
        }

        /** A null left by a do/while(false) block, checked after it. */
        String breakable(Context ctx, boolean derive) {
          Context scope = null;
          do {
            if (!derive) {
              break;
            }
            scope = Context.withValue(ctx, KEY, "v");
          } while (false);
          return scope == null ? "" : load(scope, "x");
        }

        /** A short attempt, then a longer one in the catch; finally cancels whichever is held. */
        String escalate(Context ctx, Rpc rpc) throws IOException, TimeoutException {
          CancellableContext c = Context.withTimeout(ctx, Duration.ofMillis(100));
          try {
            return rpc.call(c, "x");
          } catch (TimeoutException e) {
            c.cancel();
            c = Context.withTimeout(ctx, Duration.ofSeconds(5));
            return rpc.call(c, "x");
          } finally {
            c.cancel();
          }
        }

        /** A local class owns the context and ends it; an instance goes to the pool. */
        void local(Context ctx, ExecutorService pool, Rpc rpc) {
          CancellableContext c = Context.withCancel(ctx);
          class Job implements Runnable {
            @Override
            public void run() {
              try {
                rpc.call(c, "job");
              } catch (IOException | TimeoutException e) {
                c.cancel(e);
              } finally {
                c.cancel();
              }
            }
          }
          pool.execute(new Job());
        }

        /** A server loop: a context per request, returns from inside the endless loop. */
        int serve(Context ctx, Rpc rpc) throws IOException, TimeoutException {
          int handled = 0;
          for (;;) {
            CancellableContext request = Context.withTimeout(ctx, Duration.ofSeconds(1));
            try {
              if (rpc.call(request, "next").equals("quit")) {
                return handled;
              }
              handled++;
            } finally {
              request.cancel();
            }
          }
        }

        /** A cancel with a cause in a multi-catch that rethrows. */
        String causes(Context ctx, Rpc rpc) throws IOException, TimeoutException {
          CancellableContext c = Context.withCancel(ctx);
          try {
            String r = rpc.call(c, "x");
            c.cancel();
            return r;
          } catch (IOException | TimeoutException e) {
            c.cancel(e);
            throw e;
          }
        }

        /** A default method of an interface derives and ends its own context. */
        interface Client {
          String fetch(Context ctx, String id);

          default String fetchQuickly(Context ctx, String id) {
            try (CancellableContext c = Context.withTimeout(ctx, Duration.ofMillis(50))) {
              return fetch(c, id);
            }
          }
        }

        static String load(Context ctx, String id) {
          return id;
        }
      }
      """;

  private static final String FIELDS =
      """
      package flow;

      import java.time.Duration;
      import java.util.Objects;
      import org.ctx4j.CancellableContext;
      import org.ctx4j.Context;
      import org.jspecify.annotations.Nullable;

      final class Fields {
        @SuppressWarnings("ContextInField")
        private @Nullable CancellableContext current;

        @SuppressWarnings("ContextInField")
        private @Nullable Context base;

        /** Starts a new run, cancelling the previous one. */
        synchronized void restart(Context ctx) {
          CancellableContext previous = current;
          current = Context.withTimeout(ctx, Duration.ofMinutes(1));
          if (previous != null) {
            previous.cancel();
          }
        }

        /** Stops the current run, if any. */
        synchronized void stop() {
          if (current != null) {
            current.cancel();
            current = null;
          }
        }

        /** Reads the field once and works under it when set. */
        String status() {
          CancellableContext c = current;
          if (c == null) {
            return "idle";
          }
          return load(c, "status");
        }

        /** The base context or the background. */
        String withBase(String id) {
          Context ctx = Objects.requireNonNullElse(base, Context.background());
          return load(ctx, id);
        }

        /** Checked through this. */
        String viaThis(String id) {
          if (this.base != null) {
            return load(this.base, id);
          }
          return "";
        }

        static String load(Context ctx, String id) {
          return id;
        }
      }
      """;

  private static final String BATCHES =
      """
      package flow;

      import java.time.Duration;
      import java.util.List;
      import org.ctx4j.CancellableContext;
      import org.ctx4j.Context;

      final class Batches {
        /** A context per batch of ten, the last one cancelled in finally. */
        int send(Context ctx, List<String> items) {
          CancellableContext batch = null;
          int n = 0;
          try {
            for (String item : items) {
              if (batch == null) {
                batch = Context.withTimeout(ctx, Duration.ofSeconds(5));
              }
              n += load(batch, item).length();
              if (n % 10 == 0) {
                batch.cancel();
                batch = null;
              }
            }
          } finally {
            if (batch != null) {
              batch.cancel();
            }
          }
          return n;
        }

        /** Made on first need inside the loop, cancelled after it when made. */
        int lazy(Context ctx, List<String> items) {
          CancellableContext remote = null;
          int n = 0;
          for (String item : items) {
            if (item.startsWith("remote:")) {
              if (remote == null) {
                remote = Context.withCancel(ctx);
              }
              n += load(remote, item).length();
            } else {
              n += item.length();
            }
          }
          if (remote != null) {
            remote.cancel();
          }
          return n;
        }

        /** Rolled over when the deadline ended the previous one. */
        int renew(Context ctx, List<String> items) {
          CancellableContext window = Context.withTimeout(ctx, Duration.ofSeconds(1));
          int n = 0;
          for (String item : items) {
            if (window.err() != null) {
              window = Context.withTimeout(ctx, Duration.ofSeconds(1));
            }
            n += load(window, item).length();
          }
          window.cancel();
          return n;
        }

        static String load(Context ctx, String id) {
          return id;
        }
      }
      """;

  private static final String STATED =
      """
      package flow;

      import static com.google.common.base.Preconditions.checkState;

      import org.ctx4j.Context;

      final class Stated {
        private static final Object KEY = new Object();

        String checked(Context ctx, boolean derive) {
          Context scope = null;
          if (derive) {
            scope = Context.withValue(ctx, KEY, "v");
          }
          checkState(scope != null, "no scope");
          return load(scope, "x");
        }

        static String load(Context ctx, String id) {
          return id;
        }
      }
      """;
}
