package org.ctx4j.checks.support;

import static com.google.common.truth.Truth.assertThat;
import static com.google.errorprone.BugPattern.SeverityLevel.WARNING;

import com.google.errorprone.BugPattern;
import com.google.errorprone.CompilationTestHelper;
import com.google.errorprone.VisitorState;
import com.google.errorprone.bugpatterns.BugChecker;
import com.google.errorprone.bugpatterns.BugChecker.CompilationUnitTreeMatcher;
import com.google.errorprone.matchers.Description;
import com.sun.source.tree.CompilationUnitTree;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;

/**
 * {@link ContextFreeFiles}: a file is skipped only when no tree of it can involve a context; every
 * way a context enters a file without its type being written makes it not context-free.
 */
class ContextFreeFilesTest {
  /** Reports, on each file's first type, what the gate says of the file. */
  @BugPattern(summary = "Reports what ContextFreeFiles says of each file", severity = WARNING)
  public static final class GateProbe extends BugChecker implements CompilationUnitTreeMatcher {
    private static final long serialVersionUID = 1L;

    @Override
    public Description matchCompilationUnit(CompilationUnitTree tree, VisitorState state) {
      if (tree.getTypeDecls().isEmpty()) {
        return Description.NO_MATCH;
      }
      boolean free = ContextFreeFiles.isContextFree(tree, state);
      return buildDescription(tree.getTypeDecls().get(0))
          .setMessage(free ? "context-free" : "mentions a context")
          .build();
    }
  }

  private final CompilationTestHelper helper =
      CompilationTestHelper.newInstance(GateProbe.class, getClass());

  /** A service declared in a file of its own: its signatures are all the other files see. */
  private CompilationTestHelper withService() {
    return helper.addSourceLines(
        "Service.java",
        "import java.util.List;",
        "import java.util.Map;",
        "import java.util.function.Supplier;",
        "import org.ctx4j.Context;",
        "// BUG: Diagnostic contains: mentions a context",
        "public class Service {",
        "  public static String fetch(Context ctx, String id) { return id; }",
        "  public static Context current() { return Context.background(); }",
        "  public static Map<String, List<Supplier<Context>>> suppliers() { return Map.of(); }",
        "  public static void run(Supplier<Context> s) {}",
        "  public Service(Context ctx) {}",
        "}");
  }

  @Test
  void aFileWithoutContextsIsContextFree() {
    withService()
        .addSourceLines(
            "Plain.java",
            "import java.util.ArrayList;",
            "import java.util.List;",
            "// BUG: Diagnostic contains: context-free",
            "class Plain<T extends Comparable<T>> {",
            "  private final List<T> items = new ArrayList<>();",
            "  int count(String... names) { return names.length + items.size(); }",
            "  Runnable task() { return () -> System.out.println(items); }",
            "}")
        .doTest();
  }

  @Test
  void aCastIsAMention() {
    helper
        .addSourceLines(
            "Cast.java",
            "// BUG: Diagnostic contains: mentions a context",
            "class Cast {",
            "  Object get(Object o) { return (org.ctx4j.Context) o; }",
            "}")
        .doTest();
  }

  @Test
  void anArrayCreationIsAMention() {
    helper
        .addSourceLines(
            "Arrays.java",
            "// BUG: Diagnostic contains: mentions a context",
            "class Arrays {",
            "  Object make() { return new org.ctx4j.Context[2]; }",
            "}")
        .doTest();
  }

  @Test
  void anInstanceofIsAMention() {
    helper
        .addSourceLines(
            "Test.java",
            "// BUG: Diagnostic contains: mentions a context",
            "class Test {",
            "  boolean is(Object o) { return o instanceof org.ctx4j.Context; }",
            "}")
        .doTest();
  }

  @Test
  void aThrowsClauseIsAMention() {
    helper
        .addSourceLines(
            "Throws.java",
            "// BUG: Diagnostic contains: mentions a context",
            "class Throws {",
            "  void run() throws org.ctx4j.CanceledException {}",
            "}")
        .doTest();
  }

  @Test
  void aClassLiteralIsAMention() {
    helper
        .addSourceLines(
            "Literal.java",
            "// BUG: Diagnostic contains: mentions a context",
            "class Literal {",
            "  Object type() { return org.ctx4j.Context.class; }",
            "}")
        .doTest();
  }

  @Test
  void aLocalOfAContextTypeIsAMention() {
    helper
        .addSourceLines(
            "Local.java",
            "// BUG: Diagnostic contains: mentions a context",
            "class Local {",
            "  void run() { org.ctx4j.Context c = null; Object o = c; }",
            "}")
        .doTest();
  }

  @Test
  void aBoundOfAnUnusedTypeParameterIsAMention() {
    helper
        .addSourceLines(
            "Bound.java",
            "// BUG: Diagnostic contains: mentions a context",
            "class Bound {",
            "  <C extends org.ctx4j.Context> void run() {}",
            "}")
        .doTest();
  }

  @Test
  void nullPassedToAContextParameterDeclaredElsewhere() {
    withService()
        .addSourceLines(
            "Caller.java",
            "// BUG: Diagnostic contains: mentions a context",
            "class Caller {",
            "  String get() { return Service.fetch(null, \"a\"); }",
            "}")
        .doTest();
  }

  @Test
  void nullPassedToAConstructorThatTakesAContext() {
    withService()
        .addSourceLines(
            "Maker.java",
            "// BUG: Diagnostic contains: mentions a context",
            "class Maker {",
            "  Object make() { return new Service(null); }",
            "}")
        .doTest();
  }

  @Test
  void aLambdaForASupplierOfContext() {
    withService()
        .addSourceLines(
            "Lambda.java",
            "// BUG: Diagnostic contains: mentions a context",
            "class Lambda {",
            "  void go() { Service.run(() -> null); }",
            "}")
        .doTest();
  }

  @Test
  void aLambdaForAnInterfaceWhoseMethodReturnsAContext() {
    // Maker names a context only in its method; take(Maker) and none() name none.
    helper
        .addSourceLines(
            "Maker.java",
            "// BUG: Diagnostic contains: mentions a context",
            "public interface Maker { org.ctx4j.Context make(); }")
        .addSourceLines(
            "Take.java",
            "// BUG: Diagnostic contains: context-free",
            "public class Take {",
            "  public static void take(Maker maker) {}",
            "  public static <T> T none() { return null; }",
            "}")
        .addSourceLines(
            "Lambda.java",
            "// BUG: Diagnostic contains: mentions a context",
            "class Lambda {",
            "  void go() { Take.take(() -> null); }",
            "}")
        .addSourceLines(
            "Reference.java",
            "// BUG: Diagnostic contains: mentions a context",
            "class Reference {",
            "  void go() { Take.take(Take::none); }",
            "}")
        .doTest();
  }

  @Test
  void aTypeThatOnlyInferenceOrInheritanceGivesAnExpression() {
    // No tree of Uses or Mine has a written context type: the types of their expressions come
    // from CtxHolder's supertype, through a method's return type and through inheritance.
    helper
        .addSourceLines(
            "Holder.java",
            "// BUG: Diagnostic contains: context-free",
            "public class Holder<T> {",
            "  public T value;",
            "  public static <T> Holder<T> of(T t) { return new Holder<>(); }",
            "}")
        .addSourceLines(
            "CtxHolder.java",
            "// BUG: Diagnostic contains: mentions a context",
            "public class CtxHolder extends Holder<org.ctx4j.Context> {}")
        .addSourceLines(
            "Factory.java",
            "// BUG: Diagnostic contains: mentions a context",
            "public class Factory { public static CtxHolder holder() { return null; } }")
        .addSourceLines(
            "Uses.java",
            "// BUG: Diagnostic contains: mentions a context",
            "class Uses {",
            "  Object f() { return Holder.of(Factory.holder()).value.value; }",
            "}")
        .addSourceLines(
            "Mine.java",
            "// BUG: Diagnostic contains: mentions a context",
            "class Mine extends CtxHolder {",
            "  Object f() { return value; }",
            "}")
        .addSourceLines(
            "Strings.java",
            "// BUG: Diagnostic contains: context-free",
            "class Strings {",
            "  int f() { return Holder.of(\"x\").value.length(); }",
            "}")
        .doTest();
  }

  @Test
  void aMethodReferenceToAMethodThatReturnsAContext() {
    withService()
        .addSourceLines(
            "Reference.java",
            "import java.util.function.Supplier;",
            "// BUG: Diagnostic contains: mentions a context",
            "class Reference {",
            "  Supplier<?> s = Service::current;",
            "}")
        .doTest();
  }

  @Test
  void aVarThatHoldsAContext() {
    withService()
        .addSourceLines(
            "Var.java",
            "// BUG: Diagnostic contains: mentions a context",
            "class Var {",
            "  void go() {",
            "    var c = Service.current();",
            "    System.out.println(c);",
            "  }",
            "}")
        .doTest();
  }

  @Test
  void aContextDeepInTypeArguments() {
    withService()
        .addSourceLines(
            "Nested.java",
            "// BUG: Diagnostic contains: mentions a context",
            "class Nested {",
            "  int go() { return Service.suppliers().size(); }",
            "}")
        .doTest();
  }

  @Test
  void aClassThatImplementsContextThroughAnother() {
    helper
        .addSourceLines(
            "Base.java",
            "import org.ctx4j.Context;",
            "// BUG: Diagnostic contains: mentions a context",
            "public abstract class Base implements Context {}")
        .addSourceLines(
            "Derived.java",
            "// BUG: Diagnostic contains: mentions a context",
            "abstract class Derived extends Base {}")
        .doTest();
  }

  @Test
  void aMemberOfAGenericClassIsAskedAtEveryUse() {
    // Box.get() and Box.item name no context where they are declared: a file that uses them on a
    // Box<String> stays context-free after files that use them on a Box<Context>, and the other
    // way round.
    helper
        .addSourceLines(
            "Box.java",
            "// BUG: Diagnostic contains: context-free",
            "public class Box<T> {",
            "  public T item;",
            "  public T get() { return item; }",
            "  public static <U> Box<U> of(U u) { return new Box<>(); }",
            "}")
        .addSourceLines(
            "Strings.java",
            "// BUG: Diagnostic contains: context-free",
            "class Strings {",
            "  int length(Box<String> box) { return box.get().length() + box.item.length(); }",
            "}")
        .addSourceLines(
            "Holder.java",
            "// BUG: Diagnostic contains: mentions a context",
            "class Holder {",
            "  Object first(Object boxes) { return ((Holder) boxes).box().get(); }",
            "  Box<org.ctx4j.Context> box() { return null; }",
            "}")
        .addSourceLines(
            "Fields.java",
            "// BUG: Diagnostic contains: mentions a context",
            "class Fields {",
            "  Object item(Holder holder) { return holder.box().item; }",
            "}")
        .addSourceLines(
            "MoreStrings.java",
            "// BUG: Diagnostic contains: context-free",
            "class MoreStrings {",
            "  String first(Box<String> box) { return box.get() + box.item + Box.of(1).get(); }",
            "}")
        .doTest();
  }

  @Test
  void aMentionDeepInStatementsParenthesesAndCalls() {
    withService()
        .addSourceLines(
            "Blocks.java",
            "// BUG: Diagnostic contains: mentions a context",
            "class Blocks {",
            "  void f() { { { System.out.println((Service.fetch(null, \"x\")).length()); } } }",
            "}")
        .addSourceLines(
            "Returns.java",
            "// BUG: Diagnostic contains: mentions a context",
            "class Returns {",
            "  int g() { return ((Service.current())).hashCode(); }",
            "}")
        .addSourceLines(
            "Arguments.java",
            "// BUG: Diagnostic contains: mentions a context",
            "class Arguments {",
            "  int h() { return java.util.Objects.hash(1, \"a\", new Object[] {Service.current()}); }",
            "}")
        .addSourceLines(
            "Quiet.java",
            "// BUG: Diagnostic contains: context-free",
            "class Quiet {",
            "  int f(String s) { { { System.out.println((s.trim()).length()); } } return (s).length(); }",
            "}")
        .doTest();
  }

  @Test
  void grpcContextCounts() {
    helper
        .addSourceLines(
            "Grpc.java",
            "// BUG: Diagnostic contains: mentions a context",
            "class Grpc {",
            "  Object current() { return io.grpc.Context.current(); }",
            "}")
        .doTest();
  }

  @Test
  void everyCheckIsAContextChecker() {
    int checks = 0;
    for (BugChecker check : ServiceLoader.load(BugChecker.class, getClass().getClassLoader())) {
      if (check.getClass().getName().startsWith("org.ctx4j.checks.")) {
        assertThat(check).isInstanceOf(ContextChecker.class);
        checks++;
      }
    }
    assertThat(checks).isAtLeast(10);
  }
}
