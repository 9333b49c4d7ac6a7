package org.ctx4j.checks.lostcancel;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.errorprone.BugCheckerRefactoringTestHelper;
import com.google.errorprone.CompilationTestHelper;
import com.google.errorprone.ErrorProneJavaCompiler;
import com.google.errorprone.scanner.ScannerSupplier;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import org.ctx4j.checks.support.FixRoundTrip;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Tests of {@link LostCancelFix}: the try-with-resources block spans the statements that use the
 * context, a cancel it makes redundant goes, and no fix is offered where it would change meaning.
 * Exact text where indentation matters ({@link #patched}), the refactoring helper elsewhere.
 */
final class LostCancelFixTest {
  private final CompilationTestHelper helper =
      CompilationTestHelper.newInstance(LostCancel.class, getClass());

  private final FixRoundTrip refactoring = FixRoundTrip.newInstance(LostCancel.class, getClass());

  @Test
  void noReplacementOutsideABlock() {
    refactoring
        .addInputLines(
            "Test.java",
            """
            import org.ctx4j.CancellableContext;
            import org.ctx4j.Context;

            class Test {
              void forHeader(Context p, int n) {
                for (CancellableContext ctx = Context.withCancel(p); n > 0; n--) {
                  ctx.done();
                }
              }

              void caseLabel(Context p, int k) {
                switch (k) {
                  case 0:
                    CancellableContext ctx = Context.withCancel(p);
                    ctx.done();
                    break;
                  default:
                }
              }
            }
            """)
        .expectUnchanged()
        .doTest();
  }

  /**
   * Review: closing the context at the end of the block would cancel work meant to outlive it (a
   * future it was handed to, a stream): still a finding, but no try-with-resources fix.
   */
  @Test
  void noReplacementWhenTheWorkOutlivesTheBlock() {
    refactoring
        .addInputLines(
            "Test.java",
            """
            import java.util.concurrent.CompletableFuture;
            import java.util.stream.Stream;
            import org.ctx4j.CancellableContext;
            import org.ctx4j.Context;

            class Test {
              CompletableFuture<String> returnsAFuture(Context p) {
                CancellableContext ctx = Context.withCancel(p);
                return fetchAsync(ctx);
              }

              void startsAFuture(Context p) {
                CancellableContext ctx = Context.withCancel(p);
                CompletableFuture<String> f = fetchAsync(ctx);
                f.thenAccept(System.out::println);
              }

              void startsAFutureWithAChild(Context p) {
                CancellableContext ctx = Context.withCancel(p);
                fetchAsync(Context.withValue(ctx, Key.TRACE, "t")).thenAccept(System.out::println);
              }

              private enum Key {
                TRACE
              }

              long streams(Context p) {
                CancellableContext ctx = Context.withCancel(p);
                Stream<String> lines = lines(ctx);
                return lines.count();
              }

              CompletableFuture<String> fetchAsync(Context ctx) {
                return CompletableFuture.completedFuture("");
              }

              Stream<String> lines(Context ctx) {
                return Stream.of("");
              }
            }
            """)
        .expectUnchanged()
        .doTest();
    helper
        .addSourceLines(
            "Test.java",
            """
            import java.util.concurrent.CompletableFuture;
            import org.ctx4j.CancellableContext;
            import org.ctx4j.Context;

            class Test {
              CompletableFuture<String> returnsAFuture(Context p) {
                // BUG: Diagnostic contains: it leaks when the method returns at line 9
                CancellableContext ctx = Context.withCancel(p);
                return fetchAsync(ctx);
              }

              CompletableFuture<String> fetchAsync(Context ctx) {
                return CompletableFuture.completedFuture("");
              }
            }
            """)
        .doTest();
  }

  /**
   * Review: retyping {@code Context c} as {@code CancellableContext} for the resource would make
   * {@code use(c)} ambiguous (or pick another overload): no fix then.
   */
  @Test
  void noReplacementWhenRetypingCouldChangeAnOverload() {
    refactoring
        .addInputLines(
            "Test.java",
            """
            import org.ctx4j.Context;

            class Test {
              void run(Context p) {
                Context ctx = Context.withCancel(p);
                use(ctx);
              }

              void use(Context ctx) {}

              void use(AutoCloseable resource) {}
            }
            """)
        .expectUnchanged()
        .doTest();
  }

  /**
   * Review: two leaks in one block get two fixes that close after the same statement; applied
   * together (as -XepPatchChecks applies them) they must still give two braces.
   */
  @Test
  void replacementOfTwoLeaksInOneBlock() {
    refactoring
        .addInputLines(
            "Test.java",
            """
            import org.ctx4j.CancellableContext;
            import org.ctx4j.Context;

            class Test {
              void run(Context p) {
                CancellableContext parent = Context.withCancel(p);
                CancellableContext child = Context.withCancel(parent);
                read(child);
              }

              void read(Context ctx) {}
            }
            """)
        .addOutputLines(
            "Test.java",
            """
            import org.ctx4j.CancellableContext;
            import org.ctx4j.Context;

            class Test {
              void run(Context p) {
                try (CancellableContext parent = Context.withCancel(p)) {
                  try (CancellableContext child = Context.withCancel(parent)) {
                    read(child);
                  }
                }
              }

              void read(Context ctx) {}
            }
            """)
        .doTest(BugCheckerRefactoringTestHelper.TestMode.TEXT_MATCH);
  }

  /**
   * Review: {@code CancellableContext a = ..., b = ...;} declares two variables in one statement; a
   * resource declares one, so wrapping either would not compile.
   */
  @Test
  void noReplacementForSeveralDeclarators() {
    refactoring
        .addInputLines(
            "Test.java",
            """
            import org.ctx4j.CancellableContext;
            import org.ctx4j.Context;

            class Test {
              void both(Context p) {
                CancellableContext a = Context.withCancel(p), b = Context.withCancel(p);
                read(a);
                read(b);
              }

              void second(Context p) {
                CancellableContext a = Context.withCancel(p), b = Context.withCancel(p);
                a.cancel();
                read(b);
              }

              void read(Context ctx) {}
            }
            """)
        .expectUnchanged()
        .doTest();
  }

  @Test
  void theDeclarationBecomesATryWithResourcesAndTheRedundantCancelGoes() {
    refactoring
        .addInputLines(
            "Test.java",
            """
            import org.ctx4j.CancellableContext;
            import org.ctx4j.Context;

            class Test {
              String fetch(Context p, boolean b) {
                CancellableContext ctx = Context.withCancel(p);
                if (b) {
                  return "early";
                }
                String s = read(ctx);
                ctx.cancel();
                return s;
              }

              String read(Context ctx) {
                return "";
              }
            }
            """)
        .addOutputLines(
            "Test.java",
            """
            import org.ctx4j.CancellableContext;
            import org.ctx4j.Context;

            class Test {
              String fetch(Context p, boolean b) {
                try (CancellableContext ctx = Context.withCancel(p)) {
                  if (b) {
                    return "early";
                  }
                  String s = read(ctx);
                  return s;
                }
              }

              String read(Context ctx) {
                return "";
              }
            }
            """)
        .doTest(BugCheckerRefactoringTestHelper.TestMode.TEXT_MATCH);
  }

  /**
   * Review: the wrapped statements move one level in, by the file's own unit (here four spaces),
   * comments and nested blocks included; blank lines stay empty, and the lines of a text block stay
   * as they are (they are the string's value).
   */
  @Test
  void replacementReindentsByTheFilesUnit(@TempDir Path dir) throws IOException {
    assertEquals(
        """
        import org.ctx4j.CancellableContext;
        import org.ctx4j.Context;

        class Test {
            String fetch(Context p, boolean b) {
                try (CancellableContext ctx = Context.withCancel(p)) {
                    // a comment
                    if (b) {
                        return "early";
                    }

                    String query = \"\"\"
                    select *
                      from t
                    \"\"\";
                    return read(ctx, query);
                }
            }

            String read(Context ctx, String q) {
                return q;
            }
        }
        """,
        patched(
            dir,
            """
            import org.ctx4j.CancellableContext;
            import org.ctx4j.Context;

            class Test {
                String fetch(Context p, boolean b) {
                    CancellableContext ctx = Context.withCancel(p);
                    // a comment
                    if (b) {
                        return "early";
                    }

                    String query = \"\"\"
                        select *
                          from t
                        \"\"\";
                    return read(ctx, query);
                }

                String read(Context ctx, String q) {
                    return q;
                }
            }
            """));
  }

  /** Review: three fixes in one block, applied together, nest with their braces in order. */
  @Test
  void replacementOfThreeLeaksIsWellIndented(@TempDir Path dir) throws IOException {
    assertEquals(
        """
        import org.ctx4j.CancellableContext;
        import org.ctx4j.Context;

        class Test {
          void run(Context p) {
            try (CancellableContext parent = Context.withCancel(p)) {
              try (CancellableContext child = Context.withCancel(parent)) {
                try (CancellableContext grandchild = Context.withCancel(child)) {
                  if (p != null) {
                    read(grandchild);
                  }
                }
              }
              read(parent);
            }
          }

          void read(Context ctx) {}
        }
        """,
        patched(
            dir,
            """
            import org.ctx4j.CancellableContext;
            import org.ctx4j.Context;

            class Test {
              void run(Context p) {
                CancellableContext parent = Context.withCancel(p);
                CancellableContext child = Context.withCancel(parent);
                CancellableContext grandchild = Context.withCancel(child);
                if (p != null) {
                  read(grandchild);
                }
                read(parent);
              }

              void read(Context ctx) {}
            }
            """));
  }

  /** Review: an earlier leak of the block that gets no fix adds no level of nesting. */
  @Test
  void replacementAfterAnUnfixedLeak(@TempDir Path dir) throws IOException {
    assertEquals(
        """
        import org.ctx4j.CancellableContext;
        import org.ctx4j.Context;

        class Test {
          void run(Context p) {
            Context a = Context.withCancel(p);
            use(a);
            try (CancellableContext b = Context.withCancel(p)) {
              read(b);
            }
          }

          void use(Context ctx) {}

          void use(AutoCloseable resource) {}

          void read(Context ctx) {}
        }
        """,
        patched(
            dir,
            """
            import org.ctx4j.CancellableContext;
            import org.ctx4j.Context;

            class Test {
              void run(Context p) {
                Context a = Context.withCancel(p);
                use(a);
                CancellableContext b = Context.withCancel(p);
                read(b);
              }

              void use(Context ctx) {}

              void use(AutoCloseable resource) {}

              void read(Context ctx) {}
            }
            """));
  }

  @Test
  void replacementChangesPlainContextType() {
    refactoring
        .addInputLines(
            "Test.java",
            """
            import org.ctx4j.Context;

            class Test {
              void run(Context p) {
                Context ctx = Context.withCancel(p);
                read(ctx);
              }

              void read(Context ctx) {}
            }
            """)
        .addOutputLines(
            "Test.java",
            """
            import org.ctx4j.CancellableContext;
            import org.ctx4j.Context;

            class Test {
              void run(Context p) {
                try (CancellableContext ctx = Context.withCancel(p)) {
                  read(ctx);
                }
              }

              void read(Context ctx) {}
            }
            """)
        .doTest(BugCheckerRefactoringTestHelper.TestMode.TEXT_MATCH);
  }

  @Test
  void noReplacementWhenTheContextEscapes() {
    // Returned on one path: closing it at the end of the block would cancel the caller's context.
    refactoring
        .addInputLines(
            "Test.java",
            """
            import org.ctx4j.CancellableContext;
            import org.ctx4j.Context;

            class Test {
              CancellableContext maybeKeep(Context p, boolean keep) {
                CancellableContext ctx = Context.withCancel(p);
                if (keep) {
                  return ctx;
                }
                read(ctx);
                return null;
              }

              void reassigned(Context p) {
                CancellableContext ctx = Context.withCancel(p);
                read(ctx);
                ctx = Context.withCancel(p);
                ctx.cancel();
              }

              void read(Context ctx) {}
            }
            """)
        .expectUnchanged()
        .doTest();
  }

  /**
   * The source after Error Prone patches it in place with this check's fixes, byte for byte (the
   * refactoring helper's text match formats both sides first, so it cannot test indentation).
   */
  private static String patched(Path dir, String source) throws IOException {
    Path file = dir.resolve("Test.java");
    Files.writeString(file, source, UTF_8);
    JavaCompiler compiler =
        new ErrorProneJavaCompiler(ScannerSupplier.fromBugCheckerClasses(LostCancel.class));
    DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
    try (StandardJavaFileManager files =
        compiler.getStandardFileManager(diagnostics, null, UTF_8)) {
      List<String> options =
          List.of(
              "-d",
              dir.toString(),
              "-cp",
              System.getProperty("java.class.path"),
              "-proc:none",
              "-XepPatchChecks:LostCancel",
              "-XepPatchLocation:IN_PLACE");
      // The patch mode reports "Refactoring changes were successfully applied" on the task's
      // writer: captured here, so a passing test prints nothing.
      StringWriter output = new StringWriter();
      compiler
          .getTask(output, files, diagnostics, options, null, files.getJavaFileObjects(file))
          .call();
    }
    return Files.readString(file, UTF_8);
  }

  @Test
  void theBlockEndsAfterTheLastUseAndTheRestStaysOutside() {
    refactoring
        .addInputLines(
            "Test.java",
            """
            import java.time.Duration;
            import org.ctx4j.CancellableContext;
            import org.ctx4j.Context;

            class Test {
              int handle(Context ctx, boolean cached) {
                CancellableContext lookup = Context.withTimeout(ctx, Duration.ofMillis(500));
                if (cached) {
                  return 0;
                }
                int found = find(lookup);
                log("found " + found);
                audit(ctx);
                return found;
              }

              int find(Context ctx) {
                return 1;
              }

              void log(String line) {}

              void audit(Context ctx) {}
            }
            """)
        .addOutputLines(
            "Test.java",
            """
            import java.time.Duration;
            import org.ctx4j.CancellableContext;
            import org.ctx4j.Context;

            class Test {
              int handle(Context ctx, boolean cached) {
                try (CancellableContext lookup = Context.withTimeout(ctx, Duration.ofMillis(500))) {
                  if (cached) {
                    return 0;
                  }
                  int found = find(lookup);
                  log("found " + found);
                  audit(ctx);
                  return found;
                }
              }

              int find(Context ctx) {
                return 1;
              }

              void log(String line) {}

              void audit(Context ctx) {}
            }
            """)
        .doTest(BugCheckerRefactoringTestHelper.TestMode.TEXT_MATCH);
  }

  @Test
  void aLocalDeclaredInsideTheBlockKeepsItOpenUntilItsLastUse(@TempDir Path dir)
      throws IOException {
    assertEquals(
        """
        import org.ctx4j.CancellableContext;
        import org.ctx4j.Context;

        class Test {
          void run(Context p, boolean stop) {
            try (CancellableContext c = Context.withCancel(p)) {
              if (stop) {
                return;
              }
              Context child = Context.withValue(c, "k", "v");
              read(p);
              read(child);
            }
            read(p);
          }

          void read(Context ctx) {}
        }
        """,
        patched(
            dir,
            """
            import org.ctx4j.CancellableContext;
            import org.ctx4j.Context;

            class Test {
              void run(Context p, boolean stop) {
                CancellableContext c = Context.withCancel(p);
                if (stop) {
                  return;
                }
                Context child = Context.withValue(c, "k", "v");
                read(p);
                read(child);
                read(p);
              }

              void read(Context ctx) {}
            }
            """));
  }

  @Test
  void aFinalCancelGoesAndTheStatementsAfterItStayOutside(@TempDir Path dir) throws IOException {
    assertEquals(
        """
        import org.ctx4j.CancellableContext;
        import org.ctx4j.Context;

        class Test {
          void run(Context p, boolean stop) {
            try (CancellableContext c = Context.withCancel(p)) {
              if (stop) {
                return;
              }
              read(c);
            }
            log("done");
          }

          void read(Context ctx) {}

          void log(String line) {}
        }
        """,
        patched(
            dir,
            """
            import org.ctx4j.CancellableContext;
            import org.ctx4j.Context;

            class Test {
              void run(Context p, boolean stop) {
                CancellableContext c = Context.withCancel(p);
                if (stop) {
                  return;
                }
                read(c);
                c.cancel();
                log("done");
              }

              void read(Context ctx) {}

              void log(String line) {}
            }
            """));
  }

  @Test
  void aCancelThatSomethingAfterItMayObserveStays(@TempDir Path dir) throws IOException {
    // `child` is made from `c`: cancelling `c` before `read(child)` is part of what the code does.
    // `c.close()` with a cause-free close, and `c.cancel(cause)` (it records a cause) stay too.
    assertEquals(
        """
        import org.ctx4j.CancellableContext;
        import org.ctx4j.Context;

        class Test {
          void run(Context p, boolean stop) {
            try (CancellableContext c = Context.withCancel(p)) {
              if (stop) {
                return;
              }
              Context child = Context.withValue(c, "k", "v");
              c.cancel();
              read(child);
              c.cancel(new IllegalStateException("done"));
            }
          }

          void read(Context ctx) {}
        }
        """,
        patched(
            dir,
            """
            import org.ctx4j.CancellableContext;
            import org.ctx4j.Context;

            class Test {
              void run(Context p, boolean stop) {
                CancellableContext c = Context.withCancel(p);
                if (stop) {
                  return;
                }
                Context child = Context.withValue(c, "k", "v");
                c.cancel();
                read(child);
                c.cancel(new IllegalStateException("done"));
              }

              void read(Context ctx) {}
            }
            """));
  }

  @Test
  void aCancelInTheMiddleGoesWhenNothingAfterItNeedsTheContext(@TempDir Path dir)
      throws IOException {
    assertEquals(
        """
        import org.ctx4j.CancellableContext;
        import org.ctx4j.Context;

        class Test {
          int run(Context p, boolean stop) {
            try (CancellableContext c = Context.withCancel(p)) {
              if (stop) {
                return -1;
              }
              int n = count(c);
              return n + 1;
            }
          }

          int count(Context ctx) {
            return 0;
          }
        }
        """,
        patched(
            dir,
            """
            import org.ctx4j.CancellableContext;
            import org.ctx4j.Context;

            class Test {
              int run(Context p, boolean stop) {
                CancellableContext c = Context.withCancel(p);
                if (stop) {
                  return -1;
                }
                int n = count(c);
                c.close();
                return n + 1;
              }

              int count(Context ctx) {
                return 0;
              }
            }
            """));
  }

  @Test
  void noReplacementWhenTheContextIsCopied() {
    refactoring
        .addInputLines(
            "Test.java",
            """
            import org.ctx4j.CancellableContext;
            import org.ctx4j.Context;

            class Test {
              CancellableContext run(Context p, boolean b) {
                CancellableContext c = Context.withCancel(p);
                CancellableContext copy = c;
                if (b) {
                  return null;
                }
                return copy;
              }
            }
            """)
        .expectUnchanged()
        .doTest();
  }

  @Test
  void didYouMeanShowsTheNewTryLine() {
    helper
        .addSourceLines(
            "Test.java",
            """
            import java.time.Duration;
            import org.ctx4j.CancellableContext;
            import org.ctx4j.Context;

            class Test {
              void publish(Context ctx, String batch) {
                send(ctx, batch);
                // BUG: Diagnostic contains: Did you mean 'try (CancellableContext c = Context.withTimeout(ctx, Duration.ofSeconds(5))) {'
                CancellableContext c = Context.withTimeout(ctx, Duration.ofSeconds(5));
                if (batch.isEmpty()) {
                  return;
                }
                send(c, batch);
                c.cancel();
              }

              void send(Context ctx, String batch) {}
            }
            """)
        .doTest();
  }

  @Test
  void aCancelInBothBranchesOfAnIfGoes(@TempDir Path dir) throws IOException {
    assertEquals(
        """
        import org.ctx4j.CancellableContext;
        import org.ctx4j.Context;

        class Test {
          void run(Context p, boolean stop, boolean fast) {
            try (CancellableContext c = Context.withCancel(p)) {
              if (stop) {
                return;
              }
              if (fast) {
                read(c);
              } else {
              }
            }
          }

          void read(Context ctx) {}
        }
        """,
        patched(
            dir,
            """
            import org.ctx4j.CancellableContext;
            import org.ctx4j.Context;

            class Test {
              void run(Context p, boolean stop, boolean fast) {
                CancellableContext c = Context.withCancel(p);
                if (stop) {
                  return;
                }
                if (fast) {
                  read(c);
                  c.cancel();
                } else {
                  c.cancel();
                }
              }

              void read(Context ctx) {}
            }
            """));
  }

  @Test
  void aCancelInACatchThatRethrowsGoes(@TempDir Path dir) throws IOException {
    assertEquals(
        """
        import org.ctx4j.CancellableContext;
        import org.ctx4j.Context;

        class Test {
          String run(Context p, boolean stop) {
            try (CancellableContext c = Context.withCancel(p)) {
              if (stop) {
                return "";
              }
              try {
                return read(c);
              } catch (RuntimeException e) {
                throw e;
              }
            }
          }

          String read(Context ctx) {
            return "";
          }
        }
        """,
        patched(
            dir,
            """
            import org.ctx4j.CancellableContext;
            import org.ctx4j.Context;

            class Test {
              String run(Context p, boolean stop) {
                CancellableContext c = Context.withCancel(p);
                if (stop) {
                  return "";
                }
                try {
                  return read(c);
                } catch (RuntimeException e) {
                  c.cancel();
                  throw e;
                }
              }

              String read(Context ctx) {
                return "";
              }
            }
            """));
  }

  @Test
  void aCancelInAFinallyGoes(@TempDir Path dir) throws IOException {
    assertEquals(
        """
        import org.ctx4j.CancellableContext;
        import org.ctx4j.Context;

        class Test {
          void run(Context p, boolean stop) {
            try (CancellableContext c = Context.withCancel(p)) {
              if (stop) {
                return;
              }
              try {
                read(c);
              } finally {
              }
            }
          }

          void read(Context ctx) {}
        }
        """,
        patched(
            dir,
            """
            import org.ctx4j.CancellableContext;
            import org.ctx4j.Context;

            class Test {
              void run(Context p, boolean stop) {
                CancellableContext c = Context.withCancel(p);
                if (stop) {
                  return;
                }
                try {
                  read(c);
                } finally {
                  c.cancel();
                }
              }

              void read(Context ctx) {}
            }
            """));
  }

  @Test
  void nestedCancelsThatSomethingMayObserveStay(@TempDir Path dir) throws IOException {
    // In a loop the next iteration reads the cancelled context; in a try, its catch may; before
    // read(c), the read sees it cancelled; without braces, deleting the line would break the if.
    assertEquals(
        """
        import org.ctx4j.CancellableContext;
        import org.ctx4j.Context;

        class Test {
          void run(Context p, boolean stop, int n) {
            try (CancellableContext c = Context.withCancel(p)) {
              if (stop) {
                return;
              }
              for (int i = 0; i < n; i++) {
                read(c);
                c.cancel();
              }
              try {
                read(c);
                c.cancel();
              } catch (RuntimeException e) {
                read(c);
              }
              if (n > 3) {
                c.cancel();
              }
              read(c);
              if (n > 5) c.close();
            }
          }

          void read(Context ctx) {}
        }
        """,
        patched(
            dir,
            """
            import org.ctx4j.CancellableContext;
            import org.ctx4j.Context;

            class Test {
              void run(Context p, boolean stop, int n) {
                CancellableContext c = Context.withCancel(p);
                if (stop) {
                  return;
                }
                for (int i = 0; i < n; i++) {
                  read(c);
                  c.cancel();
                }
                try {
                  read(c);
                  c.cancel();
                } catch (RuntimeException e) {
                  read(c);
                }
                if (n > 3) {
                  c.cancel();
                }
                read(c);
                if (n > 5) c.close();
              }

              void read(Context ctx) {}
            }
            """));
  }

  @Test
  void aDiscardedContextBecomesAnEmptyTryWithAFreeName(@TempDir Path dir) throws IOException {
    assertEquals(
        """
        import java.time.Duration;
        import java.time.Instant;
        import org.ctx4j.CancellableContext;
        import org.ctx4j.Context;

        class Test {
          private Object cancelCtx;

          void run(Context ctx, String timeoutCtx) {
            try (CancellableContext timeoutCtx2 = Context.withTimeout(ctx, Duration.ofSeconds(1))) {}
            try (CancellableContext deadlineCtx = Context.withDeadline(ctx, Instant.MAX)) {}
            try (CancellableContext cancelCtx2 = Context.withCancel(ctx)) {}
            java.util.function.Consumer<String> f =
                deadlineCtx -> {
                  try (CancellableContext deadlineCtx2 = Context.withDeadline(ctx, Instant.MAX)) {}
                };
          }
        }
        """,
        patched(
            dir,
            """
            import java.time.Duration;
            import java.time.Instant;
            import org.ctx4j.Context;

            class Test {
              private Object cancelCtx;

              void run(Context ctx, String timeoutCtx) {
                Context.withTimeout(ctx, Duration.ofSeconds(1));
                Context.withDeadline(ctx, Instant.MAX);
                Context.withCancel(ctx);
                java.util.function.Consumer<String> f =
                    deadlineCtx -> {
                      Context.withDeadline(ctx, Instant.MAX);
                    };
              }
            }
            """));
  }

  @Test
  void didYouMeanShowsTheTryForADiscardedContext() {
    helper
        .addSourceLines(
            "Test.java",
            """
            import java.time.Duration;
            import org.ctx4j.Context;

            class Test {
              void run(Context ctx) {
                // BUG: Diagnostic contains: Did you mean 'try (CancellableContext timeoutCtx = Context.withTimeout(ctx, Duration.ofSeconds(1))) {}'
                Context.withTimeout(ctx, Duration.ofSeconds(1));
              }
            }
            """)
        .doTest();
  }
}
