package org.ctx4j.checks.support;

import static com.google.common.truth.Truth.assertThat;
import static com.google.errorprone.BugPattern.SeverityLevel.WARNING;

import com.google.errorprone.BugPattern;
import com.google.errorprone.CompilationTestHelper;
import com.google.errorprone.VisitorState;
import com.google.errorprone.bugpatterns.BugChecker;
import com.google.errorprone.bugpatterns.BugChecker.CompilationUnitTreeMatcher;
import com.google.errorprone.matchers.Description;
import com.google.errorprone.scanner.ScannerSupplier;
import com.sun.source.tree.CompilationUnitTree;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;
import java.util.Set;
import org.ctx4j.checks.fields.ContextInField;
import org.ctx4j.checks.nullcontext.NullContext;
import org.junit.jupiter.api.Test;

/**
 * {@link ContextFileScan}: Error Prone shows the checks only files and classes; the one walk per
 * file calls every enabled check at the trees it matches, once, with Error Prone's suppression and
 * severity rules.
 */
class ContextFileScanTest {
  private static final ScannerSupplier TWO_CHECKS =
      ScannerSupplier.fromBugCheckerClasses(ContextInField.class, NullContext.class);

  private CompilationTestHelper helper() {
    return CompilationTestHelper.newInstance(TWO_CHECKS, getClass())
        .addSourceLines(
            "Service.java",
            """
            package demo;

            import org.ctx4j.Context;

            class Service {
              static String fetch(Context ctx, int id) {
                return ctx.toString() + id;
              }
            }
            """);
  }

  /** Error Prone's per-tree interfaces would put every check back on every tree of every file. */
  @Test
  void everyCheckMatchesOnlyFilesAndClassesThroughErrorProne() {
    Set<Class<?>> allowed =
        Set.of(BugChecker.CompilationUnitTreeMatcher.class, BugChecker.ClassTreeMatcher.class);
    List<String> checks = new ArrayList<>();
    for (BugChecker check : ServiceLoader.load(BugChecker.class, getClass().getClassLoader())) {
      if (!check.getClass().getName().startsWith("org.ctx4j.checks.")) {
        continue;
      }
      checks.add(check.canonicalName());
      for (Class<?> c = check.getClass(); c != null; c = c.getSuperclass()) {
        for (Class<?> matcher : c.getInterfaces()) {
          if (matcher.getEnclosingClass() == BugChecker.class) {
            assertThat(allowed).contains(matcher);
          }
        }
      }
    }
    assertThat(checks).hasSize(10);
  }

  @Test
  void eachFindingIsReportedOnceInEveryTopLevelClassAndNestedClass() {
    helper()
        .addSourceLines(
            "Two.java",
            """
            package demo;

            import org.ctx4j.Context;

            class First {
              // BUG: Diagnostic contains: ContextInField
              private Context ctx;

              void run() {
                // BUG: Diagnostic contains: NullContext
                Service.fetch(null, 1);
              }

              class Inner {
                // BUG: Diagnostic contains: ContextInField
                Context inner;

                Runnable task() {
                  // BUG: Diagnostic contains: NullContext
                  return () -> Service.fetch(null, 2);
                }
              }
            }

            class Second {
              // BUG: Diagnostic contains: ContextInField
              static Context shared;

              Object anonymous() {
                return new Object() {
                  @Override
                  public String toString() {
                    // BUG: Diagnostic contains: NullContext
                    return Service.fetch(null, 3);
                  }
                };
              }
            }
            """)
        .doTest();
  }

  /**
   * The walk skips types, imports and annotations: every place a call or a field can be is kept.
   */
  @Test
  void everyPlaceACallOrAFieldCanBeIsWalked() {
    helper()
        .addSourceLines(
            "Places.java",
            """
            package demo;

            import java.util.List;
            import java.util.function.Supplier;
            import org.ctx4j.Context;

            class Places {
              // BUG: Diagnostic contains: NullContext
              static final String FIELD = Service.fetch(null, 0);

              static {
                // BUG: Diagnostic contains: NullContext
                Service.fetch(null, 1);
              }

              {
                // BUG: Diagnostic contains: NullContext
                Service.fetch(null, 2);
              }

              // BUG: Diagnostic contains: NullContext
              final Supplier<String> lambda = () -> Service.fetch(null, 3);

              enum Kind {
                A {
                  @Override
                  String name(int n) {
                    // BUG: Diagnostic contains: NullContext
                    return Service.fetch(null, n);
                  }
                };

                abstract String name(int n);
              }

              record Pair(String a, String b) {
                Pair {
                  // BUG: Diagnostic contains: NullContext
                  a = a + Service.fetch(null, 4);
                }
              }

              Object shapes(Object o, int k) {
                // BUG: Diagnostic contains: NullContext
                Object cast = (Object) Service.fetch(null, 5);
                // BUG: Diagnostic contains: NullContext
                String[] array = {Service.fetch(null, 6)};
                // BUG: Diagnostic contains: NullContext
                int chained = Service.fetch(null, 7).length();
                // BUG: Diagnostic contains: NullContext
                Supplier<String> qualifier = Service.fetch(null, 8)::trim;
                String switched =
                    switch (k) {
                      // BUG: Diagnostic contains: NullContext
                      case 1 -> Service.fetch(null, 9);
                      default -> "";
                    };
                if (o instanceof String s) {
                  // BUG: Diagnostic contains: NullContext
                  return s + Service.fetch(null, 10);
                }
                class Local {
                  // BUG: Diagnostic contains: ContextInField
                  Context held;
                }
                return new Object() {
                  // BUG: Diagnostic contains: ContextInField
                  Context inAnonymous;

                  @Override
                  public String toString() {
                    // BUG: Diagnostic contains: NullContext
                    return List.of(Service.fetch(null, 11)).toString();
                  }
                };
              }
            }
            """)
        .doTest();
  }

  @Test
  void suppressingOneCheckLeavesTheOtherOnTheSameTrees() {
    helper()
        .addSourceLines(
            "Suppressed.java",
            """
            package demo;

            import org.ctx4j.Context;

            class Suppressed {
              @SuppressWarnings("ContextInField")
              private Context quiet;

              // BUG: Diagnostic contains: ContextInField
              private Context loud;

              @SuppressWarnings("NullContext")
              void quietCall() {
                Service.fetch(null, 1);
              }

              void loudCall() {
                // BUG: Diagnostic contains: NullContext
                Service.fetch(null, 1);
                @SuppressWarnings("NullContext")
                String local = Service.fetch(null, 2);
                Runnable r =
                    () -> {
                      @SuppressWarnings({"unused", "NullContext"})
                      String inLambda = Service.fetch(null, 3);
                    };
              }
            }
            """)
        .doTest();
  }

  @Test
  void aFirstClassWhereEveryCheckIsSuppressedStillLeavesTheNextOneChecked() {
    helper()
        .addSourceLines(
            "Two.java",
            """
            package demo;

            import org.ctx4j.Context;

            @SuppressWarnings({"ContextInField", "NullContext"})
            class Quiet {
              private Context ctx;

              void run() {
                Service.fetch(null, 1);
              }
            }

            class Loud {
              // BUG: Diagnostic contains: ContextInField
              private Context ctx;

              void run() {
                // BUG: Diagnostic contains: NullContext
                Service.fetch(null, 1);
              }
            }
            """)
        .doTest();
  }

  @Test
  void aCheckTurnedOffIsNotRunAndTheOthersAre() {
    helper()
        .setArgs("-Xep:NullContext:OFF")
        .addSourceLines(
            "Off.java",
            """
            package demo;

            import org.ctx4j.Context;

            class Off {
              // BUG: Diagnostic contains: ContextInField
              private Context ctx;

              void run() {
                Service.fetch(null, 1);
              }
            }
            """)
        .doTest();
  }

  /** As Error Prone does for its own checks: only warnings are dropped in generated code. */
  @Test
  void warningsInGeneratedCodeAreDroppedWhenAskedAndErrorsAreNot() {
    helper()
        .setArgs("-XepDisableWarningsInGeneratedCode")
        .addSourceLines(
            "Made.java",
            """
            package demo;

            import javax.annotation.processing.Generated;
            import org.ctx4j.Context;

            @Generated("a tool")
            class Made {
              private Context ctx;

              void run() {
                // BUG: Diagnostic contains: NullContext
                Service.fetch(null, 1);
              }
            }
            """)
        .doTest();
  }

  @Test
  void aWarningRaisedToAnErrorIsReportedAsOneInGeneratedCode() {
    helper()
        .setArgs("-XepDisableWarningsInGeneratedCode", "-Xep:ContextInField:ERROR")
        .addSourceLines(
            "Made.java",
            """
            package demo;

            import javax.annotation.processing.Generated;
            import org.ctx4j.Context;

            @Generated("a tool")
            class Made {
              // BUG: Diagnostic contains: ContextInField
              private Context ctx;
            }
            """)
        .doTest();
  }

  /** Collects garbage at each file's root, after the ctx4j checks have enlisted for the file. */
  @BugPattern(summary = "Collects garbage at each file's root", severity = WARNING)
  public static final class CollectsGarbage extends BugChecker
      implements CompilationUnitTreeMatcher {
    private static final long serialVersionUID = 1L;

    @Override
    public Description matchCompilationUnit(CompilationUnitTree tree, VisitorState state) {
      for (int i = 0; i < 3; i++) {
        System.gc();
      }
      return Description.NO_MATCH;
    }
  }

  /**
   * What the checks enlisted for a file is kept by the compilation, not in a cache the GC clears.
   */
  @Test
  void aCollectionBetweenAFilesRootAndItsClassesLosesNoFinding() {
    CompilationTestHelper.newInstance(
            ScannerSupplier.fromBugCheckerClasses(
                ContextInField.class, NullContext.class, CollectsGarbage.class),
            getClass())
        .addSourceLines(
            "Service.java",
            """
            package demo;

            import org.ctx4j.Context;

            class Service {
              // BUG: Diagnostic contains: ContextInField
              static Context shared;

              static String fetch(Context ctx, int id) {
                return ctx.toString() + id;
              }

              void run() {
                // BUG: Diagnostic contains: NullContext
                fetch(null, 1);
              }
            }
            """)
        .doTest();
  }

  @Test
  void filesWithoutContextsBetweenFilesWithThemDoNotLoseFindings() {
    helper()
        .addSourceLines(
            "A.java",
            """
            package demo;

            import org.ctx4j.Context;

            class A {
              // BUG: Diagnostic contains: ContextInField
              private Context ctx;
            }
            """)
        .addSourceLines(
            "Plain.java",
            """
            package demo;

            class Plain {
              private String name;
            }
            """)
        .addSourceLines(
            "B.java",
            """
            package demo;

            class B {
              void run() {
                // BUG: Diagnostic contains: NullContext
                Service.fetch(null, 1);
              }
            }
            """)
        .doTest();
  }
}
