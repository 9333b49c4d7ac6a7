package org.ctx4j.checks.lostcancel;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A small generated method body for {@link LostCancelGeneratedTest}: its own tiny syntax tree (not
 * javac's), which {@link LostCancelOracle} interprets and {@link #print} turns into Java source.
 * Every creation of a context is a numbered site, printed on a line of its own, so that a finding
 * of the real check (reported on the creating call) maps back to exactly one site.
 */
final class LostCancelProgram {

  /** The five factories; each prints as a call with the parameter {@code p} as the parent. */
  enum Factory {
    CANCEL("Context.withCancel(p)"),
    TIMEOUT("Context.withTimeout(p, Duration.ofSeconds(1))"),
    DEADLINE("Context.withDeadline(p, Instant.now())"),
    TIMEOUT_CAUSE("Context.withTimeoutCause(p, Duration.ofSeconds(1), new RuntimeException())"),
    DEADLINE_CAUSE("Context.withDeadlineCause(p, Instant.now(), new IllegalStateException())");

    final String source;

    Factory(String source) {
      this.source = source;
    }
  }

  /** The three ways to end a context. */
  enum EndKind {
    CANCEL("%s.cancel();"),
    CANCEL_CAUSE("%s.cancel(new RuntimeException());"),
    CLOSE("%s.close();");

    final String format;

    EndKind(String format) {
      this.format = format;
    }
  }

  /**
   * Hand-overs: after one, the context is someone else's to cancel. {@code %1$s} is the variable,
   * {@code %2$s} a fresh name for a local the hand-over declares.
   */
  enum HandKind {
    FIELD("held = %1$s;", false),
    OBJECT_FIELD("heldObject = %1$s;", false),
    ARRAY("HELD_ARRAY[0] = %1$s;", false),
    COLLECTION("HELD_LIST.add(%1$s);", false),
    CANCELLABLE_PARAMETER("takeCancellable(%1$s);", false),
    CLOSEABLE_PARAMETER("takeCloseable(%1$s);", false),
    TYPE_VARIABLE_PARAMETER("takeAny(%1$s);", false),
    CANCEL_REFERENCE("Runnable %2$s = %1$s::cancel;", false),
    CLOSE_REFERENCE("Runnable %2$s = %1$s::close;", false),
    LAMBDA_CANCELS("Runnable %2$s = () -> %1$s.cancel();", true),
    LAMBDA_HANDS_OVER("Runnable %2$s = () -> takeCancellable(%1$s);", true),
    NESTED_LAMBDA_CLOSES(
        "Runnable %2$s = () -> { Runnable %2$sInner = () -> %1$s.close(); %2$sInner.run(); };",
        true),
    ANONYMOUS_CLASS_CANCELS(
        "Runnable %2$s = new Runnable() { @Override public void run() { %1$s.cancel(); } };", true),
    LOCAL_CLASS_CANCELS(
        "class %2$sClass implements Runnable { @Override public void run() { %1$s.cancel(); } }"
            + " Runnable %2$s = new %2$sClass();",
        true);

    final String format;

    /** Whether the variable is captured, so that it must be effectively final. */
    final boolean captures;

    HandKind(String format, boolean captures) {
      this.format = format;
      this.captures = captures;
    }
  }

  /** Uses that are not hand-overs: the callee or the lambda can read the context, not end it. */
  enum UseKind {
    CONTEXT_PARAMETER("useContext(%1$s);", false),
    OBJECT_PARAMETER("useObject(%1$s);", false),
    STRING_VALUE_OF("String.valueOf(%1$s);", false),
    OBJECTS_EQUALS("Objects.equals(%1$s, p);", false),
    READ_ERR("%1$s.err();", false),
    LAMBDA_READS("Runnable %2$s = () -> useContext(%1$s);", true),
    NESTED_LAMBDA_READS(
        "Runnable %2$s = () -> { Runnable %2$sInner = () -> %1$s.err(); %2$sInner.run(); };", true),
    ANONYMOUS_CLASS_READS(
        "Runnable %2$s = new Runnable() { @Override public void run() { useObject(%1$s); } };",
        true);

    final String format;
    final boolean captures;

    UseKind(String format, boolean captures) {
      this.format = format;
      this.captures = captures;
    }
  }

  enum LoopKind {
    WHILE,
    FOR,
    FOR_EACH,
    /** {@code while (true)}: leaves only by a break (or not at all). */
    WHILE_TRUE,
    /** {@code for (;;)}: the same. */
    FOR_EVER;

    /** Whether only a break leaves the loop (its condition is never false). */
    boolean endless() {
      return this == WHILE_TRUE || this == FOR_EVER;
    }
  }

  enum ExitKind {
    THROW("throw new IllegalStateException();"),
    SYSTEM_EXIT("System.exit(1);"),
    HALT("Runtime.getRuntime().halt(1);");

    final String source;

    ExitKind(String source) {
      this.source = source;
    }
  }

  /** A statement of a generated body. */
  sealed interface Stmt
      permits Create,
          Discard,
          Alias,
          End,
          HandOver,
          Use,
          If,
          Loop,
          Break,
          Continue,
          Return,
          Exit,
          TryFinally,
          Resource,
          ResourceOf,
          Switch,
          LambdaBody {}

  /**
   * {@code CancellableContext var = factory;} (or {@code var var = factory;} when {@code inferred})
   * when {@code declare}, else {@code var = factory;}: creation site {@code site}.
   */
  record Create(int site, String var, boolean declare, boolean inferred, Factory factory)
      implements Stmt {}

  /**
   * A context used where it is created, never held in a variable: discarded (nobody can cancel it),
   * or ended or handed over on the spot.
   */
  record Discard(int site, Factory factory, Unheld form) implements Stmt {}

  /** Where a context that is never held in a variable goes; {@code %s} is the factory call. */
  enum Unheld {
    STATEMENT("%s;", true),
    CONTEXT_ARGUMENT("useContext(%s);", true),
    RECEIVER_OF_ERR("%s.err();", true),
    PARENT_OF_VALUE("Context.withValue(%s, \"key\", \"value\");", true),
    CANCELLED_AT_ONCE("%s.cancel();", false),
    CLOSED_AT_ONCE("%s.close();", false),
    CANCELLABLE_ARGUMENT("takeCancellable(%s);", false),
    STORED_IN_FIELD("held = %s;", false),
    ADDED_TO_COLLECTION("HELD_LIST.add(%s);", false);

    final String format;

    /** Whether the rule reports it: the context can never be cancelled. */
    final boolean discarded;

    Unheld(String format, boolean discarded) {
      this.format = format;
      this.discarded = discarded;
    }
  }

  /** {@code CancellableContext var = from;} when {@code declare}, else {@code var = from;}. */
  record Alias(String var, String from, boolean declare) implements Stmt {}

  record End(String var, EndKind kind) implements Stmt {}

  record HandOver(String var, HandKind kind, String local) implements Stmt {}

  record Use(String var, UseKind kind, String local) implements Stmt {}

  /** {@code if (condition) { then } else { orElse }}; {@code orElse} null for no else. */
  record If(String condition, List<Stmt> then, List<Stmt> orElse) implements Stmt {}

  /** A loop; {@code name} is the loop variable of FOR and FOR_EACH, the condition of WHILE. */
  record Loop(LoopKind kind, String name, List<Stmt> body) implements Stmt {}

  /** {@code break;}: leaves the innermost loop or switch. */
  record Break() implements Stmt {}

  record Continue() implements Stmt {}

  /**
   * {@code return var;}; with a null var, {@code return;} in a void method, else {@code return
   * null;}.
   */
  record Return(String var) implements Stmt {}

  record Exit(ExitKind kind) implements Stmt {}

  /** {@code try { body } finally { fin }}; {@code fin} never jumps. */
  record TryFinally(List<Stmt> body, List<Stmt> fin) implements Stmt {}

  /** {@code try (CancellableContext var = factory) { body }}: creation site {@code site}. */
  record Resource(int site, String var, Factory factory, List<Stmt> body) implements Stmt {}

  /** {@code try (var) { body }} on an effectively final variable. */
  record ResourceOf(String var, List<Stmt> body) implements Stmt {}

  /**
   * {@code Runnable local = () -> { body };}: a body of its own, which names no variable of the
   * method and is analysed on its own, like a method.
   */
  record LambdaBody(String local, List<Stmt> body) implements Stmt {}

  /** {@code switch (k) { case ...: ... }}; a case whose body does not jump falls through. */
  record Switch(List<Case> cases) implements Stmt {}

  /** {@code case label:} or, for a null label, {@code default:}. */
  record Case(Integer label, List<Stmt> body) {}

  /** The method's declared return type: {@code void}, or the type of what it may return. */
  enum ReturnType {
    VOID("void"),
    OBJECT("Object"),
    CONTEXT("Context"),
    CANCELLABLE("CancellableContext"),
    /**
     * {@code public static void main(String[] args)}, in a nested class of its own, with the
     * parameters of the other methods as locals: a return from it ends the program.
     */
    MAIN("void");

    final String source;

    ReturnType(String source) {
      this.source = source;
    }

    /** Whether a return statement carries a value. */
    boolean returnsValue() {
      return this != VOID && this != MAIN;
    }
  }

  final long seed;
  final ReturnType returnType;
  final List<Stmt> body;

  LostCancelProgram(long seed, ReturnType returnType, List<Stmt> body) {
    this.seed = seed;
    this.returnType = returnType;
    this.body = List.copyOf(body);
  }

  /** The parameters every generated method declares; conditions read the booleans and k. */
  static final String PARAMETERS =
      "Context p, boolean b0, boolean b1, boolean b2, boolean b3, int k, List<String> items";

  /** A method's source and where each creation site landed. */
  record Printed(List<String> lines, Map<Integer, Integer> siteLines) {}

  /**
   * The method named {@code name} as source lines; site lines are 1-based offsets from {@code
   * firstLine} (the line the method's first line will have in the file).
   */
  Printed print(String name, int firstLine) {
    Printer printer = new Printer(firstLine, returnType);
    if (returnType == ReturnType.MAIN) {
      printer.line(0, "static final class " + name + " {");
      printer.line(1, "public static void main(String[] args) {");
      printer.line(2, "Context p = Context.background();");
      for (int i = 0; i < 4; i++) {
        printer.line(2, "boolean b" + i + " = args.length > " + i + ";");
      }
      printer.line(2, "int k = args.length;");
      printer.line(2, "List<String> items = List.of(args);");
      printer.block(2, body);
      printer.line(1, "}");
      printer.line(0, "}");
    } else {
      printer.line(0, returnType.source + " " + name + "(" + PARAMETERS + ") {");
      printer.block(1, body);
      printer.line(0, "}");
    }
    return new Printed(printer.lines, printer.siteLines);
  }

  /** The whole method, for failure messages. */
  String source() {
    return String.join("\n", print("m", 1).lines());
  }

  private static final class Printer {
    final List<String> lines = new ArrayList<>();
    final Map<Integer, Integer> siteLines = new TreeMap<>();
    final int firstLine;
    ReturnType returnType;

    Printer(int firstLine, ReturnType returnType) {
      this.firstLine = firstLine;
      this.returnType = returnType;
    }

    void line(int depth, String text) {
      lines.add("  ".repeat(depth + 1) + text);
    }

    void site(int site) {
      siteLines.put(site, firstLine + lines.size());
    }

    void block(int depth, List<Stmt> statements) {
      for (Stmt statement : statements) {
        statement(depth, statement);
      }
    }

    void statement(int d, Stmt statement) {
      if (statement instanceof Create c) {
        site(c.site());
        String type = !c.declare() ? "" : c.inferred() ? "var " : "CancellableContext ";
        line(d, type + c.var() + " = " + c.factory().source + ";");
      } else if (statement instanceof Discard c) {
        site(c.site());
        line(d, String.format(c.form().format, c.factory().source));
      } else if (statement instanceof Alias a) {
        line(d, (a.declare() ? "CancellableContext " : "") + a.var() + " = " + a.from() + ";");
      } else if (statement instanceof End e) {
        line(d, String.format(e.kind().format, e.var()));
      } else if (statement instanceof HandOver h) {
        line(d, String.format(h.kind().format, h.var(), h.local()));
      } else if (statement instanceof Use u) {
        line(d, String.format(u.kind().format, u.var(), u.local()));
      } else if (statement instanceof If i) {
        line(d, "if (" + i.condition() + ") {");
        block(d + 1, i.then());
        if (i.orElse() != null) {
          line(d, "} else {");
          block(d + 1, i.orElse());
        }
        line(d, "}");
      } else if (statement instanceof Loop l) {
        line(d, loopHeader(l));
        block(d + 1, l.body());
        line(d, "}");
      } else if (statement instanceof Break) {
        line(d, "break;");
      } else if (statement instanceof Continue) {
        line(d, "continue;");
      } else if (statement instanceof Return r) {
        String value = r.var() != null ? " " + r.var() : returnType.returnsValue() ? " null" : "";
        line(d, "return" + value + ";");
      } else if (statement instanceof Exit e) {
        line(d, e.kind().source);
      } else if (statement instanceof TryFinally t) {
        line(d, "try {");
        block(d + 1, t.body());
        line(d, "} finally {");
        block(d + 1, t.fin());
        line(d, "}");
      } else if (statement instanceof Resource r) {
        site(r.site());
        line(d, "try (CancellableContext " + r.var() + " = " + r.factory().source + ") {");
        block(d + 1, r.body());
        line(d, "}");
      } else if (statement instanceof ResourceOf r) {
        line(d, "try (" + r.var() + ") {");
        block(d + 1, r.body());
        line(d, "}");
      } else if (statement instanceof LambdaBody l) {
        line(d, "Runnable " + l.local() + " = () -> {");
        ReturnType outer = returnType;
        returnType = ReturnType.VOID; // a return in the lambda returns from the lambda
        block(d + 1, l.body());
        returnType = outer;
        line(d, "};");
      } else if (statement instanceof Switch s) {
        line(d, "switch (k) {");
        for (Case c : s.cases()) {
          line(d + 1, c.label() == null ? "default:" : "case " + c.label() + ":");
          block(d + 2, c.body());
        }
        line(d, "}");
      } else {
        throw new IllegalArgumentException("unknown statement " + statement);
      }
    }

    static String loopHeader(Loop l) {
      String n = l.name();
      switch (l.kind()) {
        case WHILE:
          return "while (" + n + ") {";
        case FOR:
          return "for (int " + n + " = 0; " + n + " < k; " + n + "++) {";
        case FOR_EACH:
          return "for (String " + n + " : items) {";
        case WHILE_TRUE:
          return "while (true) {";
        case FOR_EVER:
          return "for (;;) {";
        default:
          throw new IllegalArgumentException("unknown loop " + l.kind());
      }
    }
  }
}
