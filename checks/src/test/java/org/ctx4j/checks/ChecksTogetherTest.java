package org.ctx4j.checks;

import com.google.common.collect.ImmutableList;
import com.google.errorprone.BugPattern;
import com.google.errorprone.CompilationTestHelper;
import com.google.errorprone.VisitorState;
import com.google.errorprone.bugpatterns.BugChecker;
import com.google.errorprone.bugpatterns.BugChecker.CompilationUnitTreeMatcher;
import com.google.errorprone.matchers.Description;
import com.google.errorprone.scanner.ScannerSupplier;
import com.sun.source.tree.CompilationUnitTree;
import java.util.List;
import org.ctx4j.checks.support.CheckSupport;
import org.junit.jupiter.api.Test;

/**
 * Every ctx4j check the service loader finds runs together, as users run them: an idiomatic program
 * is clean, each mistake is reported once by its own check, and a compilation without ctx4j is left
 * alone.
 */
final class ChecksTogetherTest {
  private static final ScannerSupplier CHECKS =
      ScannerSupplier.fromBugCheckerClasses(EveryCheckTest.checks().toList());

  private CompilationTestHelper helper() {
    return CompilationTestHelper.newInstance(CHECKS, getClass());
  }

  @Test
  void withoutCtx4jOnTheClasspathNothingIsReported() {
    // Same shapes as the mistakes below, but "Context" is the project's own type and the
    // compilation cannot see org.ctx4j at all: every check must return at once, and never throw.
    helper()
        .withClasspath(ImmutableList.class)
        .addSourceLines(
            "Context.java",
            """
            package com.example;

            public interface Context {
              Object value(Object key);

              static Context withValue(Context parent, Object key, Object value) {
                return parent;
              }
            }
            """)
        .addSourceLines(
            "Service.java",
            """
            package com.example;

            import java.util.List;

            class Service {
              private Context ctx;
              private List<Context> all;

              String fetch(String id, Context ctx) {
                return id;
              }

              Context parent() {
                return null;
              }

              Object run() {
                fetch("x", null);
                Context.withValue(ctx, "user", 1);
                return ctx.value("user");
              }
            }
            """)
        .expectNoDiagnostics()
        .doTest();
  }

  @Test
  void idiomaticCodeIsClean() {
    helper()
        .addSourceLines(
            "UserService.java",
            """
            package demo;

            import java.time.Duration;
            import java.util.List;
            import java.util.Optional;
            import java.util.function.Function;
            import org.ctx4j.CancellableContext;
            import org.ctx4j.Context;

            final class UserService {
              private enum Key {
                USER
              }

              private static final Object TRACE = new Object();

              private final Function<Context, String> loader;

              UserService(Function<Context, String> loader) {
                this.loader = loader;
              }

              static Context withUser(Context ctx, String user) {
                return Context.withValue(Context.withValue(ctx, Key.USER, user), TRACE, 1L);
              }

              static Optional<String> user(Context ctx) {
                return ctx.value(Key.USER) instanceof String s ? Optional.of(s) : Optional.empty();
              }

              String load(Context parent, String id) throws Exception {
                try (CancellableContext ctx = Context.withTimeout(parent, Duration.ofSeconds(2))) {
                  return fetch(ctx, id, List.of());
                }
              }

              private String fetch(Context ctx, String id, List<String> tags) {
                return ctx.err() == null ? loader.apply(ctx) + id + tags : "";
              }

              Context root() {
                return Context.todo();
              }
            }
            """)
        .expectNoDiagnostics()
        .doTest();
  }

  @Test
  void eachMistakeIsReportedByItsOwnCheck() {
    helper()
        .addSourceLines(
            "Mistakes.java",
            """
            package demo;

            import org.ctx4j.Context;

            final class Mistakes {
              // BUG: Diagnostic contains: [ContextInField]
              private Context saved;

              // BUG: Diagnostic contains: [ContextNotFirstParameter]
              String fetch(String id, Context ctx) {
                // BUG: Diagnostic contains: [ContextKeyNotPrivate]
                return id + ctx.value("user");
              }

              String run() {
                // BUG: Diagnostic contains: [NullContext]
                return fetch("x", null);
              }
            }
            """)
        .doTest();
  }

  /** Reports what the shared fast path decides for each compilation unit. */
  @BugPattern(summary = "test probe", severity = BugPattern.SeverityLevel.WARNING)
  public static final class FastPathProbe extends BugChecker implements CompilationUnitTreeMatcher {
    @Override
    public Description matchCompilationUnit(CompilationUnitTree tree, VisitorState state) {
      return buildDescription(tree)
          .setMessage(CheckSupport.ctx4jAbsent(state) ? "ctx4j absent" : "ctx4j present")
          .build();
    }
  }

  /**
   * The fast path asks javac whether this compilation has seen {@code org.ctx4j.Context}: true as
   * soon as any code refers to it, directly or through a class file's signatures; false for a
   * compilation unit that does not involve ctx4j, even with ctx4j on the classpath.
   */
  @Test
  void fastPathAnswersPerCompilation() {
    probe(ImmutableList.of(), "import org.ctx4j.Context;", "Context ctx;", "present");
    probe(ImmutableList.of(), "", "String s;", "absent");
    probe(
        ImmutableList.of(),
        "",
        "Object o = org.ctx4j.checks.ClassFileService.current();",
        "present");
    probe(ImmutableList.of(ImmutableList.class), "", "String s;", "absent");
  }

  private void probe(List<Class<?>> classpath, String imports, String member, String expected) {
    CompilationTestHelper helper =
        CompilationTestHelper.newInstance(FastPathProbe.class, getClass());
    if (!classpath.isEmpty()) {
      helper = helper.withClasspath(classpath.toArray(new Class<?>[0]));
    }
    helper
        .addSourceLines(
            "Probe.java",
            "// BUG: Diagnostic contains: ctx4j " + expected,
            "package demo;",
            imports,
            "class Probe {",
            "  " + member,
            "}")
        .doTest();
  }

  @Test
  void codeThatReachesCtx4jOnlyThroughClassFilesIsChecked() {
    helper()
        .addSourceLines(
            "Caller.java",
            """
            package demo;

            import org.ctx4j.checks.ClassFileService;

            class Caller {
              // BUG: Diagnostic contains: [ContextInField]
              private ClassFileService.RequestContext saved;

              String run() {
                // BUG: Diagnostic contains: [NullContext]
                return ClassFileService.fetch(null, 1);
              }
            }
            """)
        .doTest();
  }
}
