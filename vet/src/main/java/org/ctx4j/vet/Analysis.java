package org.ctx4j.vet;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.google.errorprone.BaseErrorProneJavaCompiler;
import com.google.errorprone.BugCheckerInfo;
import com.google.errorprone.CodeTransformer;
import com.google.errorprone.ErrorProneOptions;
import com.google.errorprone.SubContext;
import com.google.errorprone.apply.ImportOrganizer;
import com.google.errorprone.apply.ImportStatements;
import com.google.errorprone.fixes.Fix;
import com.google.errorprone.matchers.Description;
import com.google.errorprone.scanner.ErrorProneScannerTransformer;
import com.google.errorprone.scanner.ScannerSupplier;
import com.sun.source.tree.CompilationUnitTree;
import com.sun.source.tree.EmptyStatementTree;
import com.sun.source.tree.ImportTree;
import com.sun.source.tree.LineMap;
import com.sun.source.tree.Tree;
import com.sun.source.util.JavacTask;
import com.sun.source.util.TaskEvent;
import com.sun.source.util.TaskListener;
import com.sun.source.util.TreePath;
import com.sun.tools.javac.api.BasicJavacTask;
import com.sun.tools.javac.api.JavacTrees;
import com.sun.tools.javac.tree.JCTree.JCCompilationUnit;
import com.sun.tools.javac.util.Context;
import com.sun.tools.javac.util.Log;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticListener;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.StandardLocation;
import javax.tools.ToolProvider;

/**
 * One run of the checks: javac in this JVM, with Error Prone's scanner holding only the selected
 * ctx4j checks, through attribution and flow analysis and no further (no bytecode is generated, no
 * class file written). Error Prone's {@code Description}s, fixes included, are collected instead of
 * being printed by javac.
 */
final class Analysis {
  /** Comparator of findings: file, line, column, check. */
  static final Comparator<Finding> ORDER =
      Comparator.comparing((Finding f) -> f.file().toString())
          .thenComparingInt(Finding::line)
          .thenComparingInt(Finding::column)
          .thenComparing(Finding::check);

  /**
   * What to analyse.
   *
   * @param sources the files to check
   * @param classpath what they compile against
   * @param sourcepath where javac may find other sources they refer to (not checked)
   * @param release javac's {@code --release}, or null for javac's default
   * @param checks the checks to run, each at its own severity
   * @param keepForFixes whether to keep what {@link Fixes} needs
   * @param progress where progress goes, or null for none
   */
  record Request(
      List<Path> sources,
      List<Path> classpath,
      List<Path> sourcepath,
      String release,
      Collection<BugCheckerInfo> checks,
      boolean keepForFixes,
      Progress progress) {}

  /**
   * What a run found.
   *
   * @param findings the findings, in {@link #ORDER}
   * @param compilerErrors javac's errors, formatted (none unless the sources do not compile)
   * @param described per compilation unit, what {@link Fixes} applies (empty unless asked for)
   */
  record Outcome(
      List<Finding> findings,
      List<CompilerError> compilerErrors,
      Map<JCCompilationUnit, List<Description>> described) {}

  /** A javac error: where it is (file null when it belongs to no file) and javac's message. */
  record CompilerError(Path file, long line, long column, String message) {}

  private Analysis() {}

  static Outcome run(Request request) throws IOException {
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    if (javac == null) {
      throw new UsageException(
          "ctx4j-vet needs a JDK (it runs javac); this Java is a runtime only");
    }
    List<CompilerError> errors = new ArrayList<>();
    DiagnosticListener<JavaFileObject> diagnostics =
        d -> {
          if (d.getKind() == Diagnostic.Kind.ERROR) {
            errors.add(
                new CompilerError(
                    d.getSource() == null ? null : Path.of(d.getSource().toUri()),
                    d.getLineNumber(),
                    d.getColumnNumber(),
                    d.getMessage(Locale.ROOT)));
          }
        };
    try (StandardJavaFileManager files =
        javac.getStandardFileManager(diagnostics, Locale.ROOT, UTF_8)) {
      files.setLocationFromPaths(StandardLocation.CLASS_PATH, request.classpath());
      // Never the class path (javac's default): sources there are not ours to compile.
      files.setLocationFromPaths(StandardLocation.SOURCE_PATH, request.sourcepath());
      List<String> options = new ArrayList<>();
      options.add("-XDcompilePolicy=simple");
      options.add("--should-stop=ifError=FLOW");
      options.add("-proc:none");
      options.add("-implicit:none");
      options.add("-nowarn");
      options.add("-Xlint:none");
      options.add("-encoding");
      options.add("UTF-8");
      if (Runtime.version().feature() == 21) {
        // What newer Error Prone releases need on JDK 21 exactly (later JDKs do it anyway).
        options.add("-XDaddTypeAnnotationsToSymbol=true");
      }
      if (request.release() != null) {
        options.add("--release");
        options.add(request.release());
      }
      JavacTask task;
      try {
        task =
            (JavacTask)
                javac.getTask(
                    null,
                    files,
                    diagnostics,
                    options,
                    null,
                    files.getJavaFileObjectsFromPaths(request.sources()));
      } catch (IllegalArgumentException e) {
        throw new UsageException(e.getMessage());
      }
      Context context = ((BasicJavacTask) task).getContext();
      BaseErrorProneJavaCompiler.setupMessageBundle(context);
      Collector collector = new Collector(context, request);
      task.addTaskListener(collector);
      task.analyze();
      if (request.progress() != null) {
        request.progress().done();
      }
      List<Finding> findings = new ArrayList<>(collector.findings);
      findings.sort(ORDER);
      return new Outcome(findings, errors, collector.described);
    }
  }

  /**
   * Runs the scanner over each compilation unit once all its classes are through flow analysis, the
   * way Error Prone's own analyzer does, and keeps what it describes.
   */
  private static final class Collector implements TaskListener {
    private final Context context;
    private final CodeTransformer transformer;
    private final boolean keepForFixes;
    private final Progress progress;
    private final int total;
    private final Set<Tree> seen = new HashSet<>();
    private final List<Finding> findings = new ArrayList<>();
    private final Map<JCCompilationUnit, List<Description>> described = new LinkedHashMap<>();
    private final com.sun.tools.javac.main.JavaCompiler compiler;
    private final Set<CompilationUnitTree> attributing = new HashSet<>();
    private int parsed;
    private int done;

    Collector(Context javacContext, Request request) {
      ErrorProneOptions options = ErrorProneOptions.processArgs(List.<String>of());
      List<Class<? extends com.google.errorprone.bugpatterns.BugChecker>> classes =
          new ArrayList<>();
      for (BugCheckerInfo info : request.checks()) {
        classes.add(info.checkerClass());
      }
      this.transformer =
          ErrorProneScannerTransformer.create(
              ScannerSupplier.fromBugCheckerClasses(classes).applyOverrides(options).get());
      Context errorProneContext = new SubContext(javacContext);
      errorProneContext.put(ErrorProneOptions.class, options);
      this.context = errorProneContext;
      this.compiler = com.sun.tools.javac.main.JavaCompiler.instance(javacContext);
      this.keepForFixes = request.keepForFixes();
      this.progress = request.progress();
      this.total = request.sources().size();
    }

    @Override
    public void started(TaskEvent event) {
      // javac attributes every class, then runs flow analysis on each (and then the checks).
      if (progress != null
          && event.getKind() == TaskEvent.Kind.ANALYZE
          && attributing.add(event.getCompilationUnit())) {
        progress.update("attributing", attributing.size(), total);
      }
    }

    @Override
    public void finished(TaskEvent event) {
      if (progress != null && event.getKind() == TaskEvent.Kind.PARSE) {
        progress.update("parsing", ++parsed, total);
      }
      if (event.getKind() != TaskEvent.Kind.ANALYZE || compiler.errorCount() > 0) {
        return;
      }
      TreePath path =
          event.getTypeElement() == null
              ? null
              : JavacTrees.instance(context).getPath(event.getTypeElement());
      if (path == null) {
        path = new TreePath(event.getCompilationUnit());
      }
      seen.add(path.getLeaf());
      JCCompilationUnit unit = (JCCompilationUnit) path.getCompilationUnit();
      if (path.getLeaf() instanceof CompilationUnitTree) {
        scan(path, unit);
      } else if (allClassesSeen(unit)) {
        scan(new TreePath(unit), unit);
      }
    }

    private boolean allClassesSeen(CompilationUnitTree unit) {
      for (Tree declaration : unit.getTypeDecls()) {
        // javac lists a stray ";" (and imports after it) among the type declarations.
        if (!(declaration instanceof EmptyStatementTree)
            && !(declaration instanceof ImportTree)
            && !seen.contains(declaration)) {
          return false;
        }
      }
      return true;
    }

    private void scan(TreePath path, JCCompilationUnit unit) {
      Log log = Log.instance(context);
      JavaFileObject previous = log.useSource(unit.getSourceFile());
      CharSequence text;
      try {
        text = unit.getSourceFile().getCharContent(true);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      try {
        transformer.apply(path, context, description -> describe(unit, text, description));
      } finally {
        log.useSource(previous);
      }
      if (progress != null) {
        progress.update("checking", ++done, total);
      }
    }

    private void describe(JCCompilationUnit unit, CharSequence text, Description description) {
      LineMap lines = unit.getLineMap();
      int preferred = description.position.getPreferredPosition();
      int start = description.position.getStartPosition();
      int end = Math.max(start, description.position.getEndPosition(unit.endPositions));
      List<Finding.SuggestedEdit> edits = new ArrayList<>();
      for (Fix fix : description.fixes) {
        if (!fix.isEmpty()) {
          edits.add(edit(unit, fix));
        }
      }
      findings.add(
          new Finding(
              Path.of(unit.getSourceFile().toUri()),
              description.checkName,
              description.getRawMessage(),
              description.severity(),
              (int) lines.getLineNumber(preferred),
              (int) lines.getColumnNumber(preferred),
              region(lines, start, end),
              text.subSequence(start, end).toString(),
              List.copyOf(edits)));
      if (keepForFixes) {
        described.computeIfAbsent(unit, u -> new ArrayList<>()).add(description);
      }
    }

    /** A fix as the replacements it makes, the changed import block included. */
    private static Finding.SuggestedEdit edit(JCCompilationUnit unit, Fix fix) {
      List<Finding.Replacement> replacements = new ArrayList<>();
      LineMap lines = unit.getLineMap();
      for (com.google.errorprone.fixes.Replacement r : fix.getReplacements(unit.endPositions)) {
        replacements.add(
            new Finding.Replacement(
                region(lines, r.startPosition(), r.endPosition()), r.replaceWith()));
      }
      if (!fix.getImportsToAdd().isEmpty() || !fix.getImportsToRemove().isEmpty()) {
        // Error Prone's patch mode rewrites the whole import block, in this order.
        ImportStatements imports =
            ImportStatements.create(unit, ImportOrganizer.STATIC_FIRST_ORGANIZER);
        imports.addAll(fix.getImportsToAdd());
        imports.removeAll(fix.getImportsToRemove());
        if (imports.importsHaveChanged()) {
          replacements.add(
              new Finding.Replacement(
                  region(lines, imports.getStartPos(), imports.getEndPos()), imports.toString()));
        }
      }
      replacements.sort(Comparator.comparingInt(r -> r.region().start()));
      return new Finding.SuggestedEdit(fix.getShortDescription(), List.copyOf(replacements));
    }

    private static Finding.Region region(LineMap lines, int start, int end) {
      return new Finding.Region(
          start,
          end,
          (int) lines.getLineNumber(start),
          (int) lines.getColumnNumber(start),
          (int) lines.getLineNumber(end),
          (int) lines.getColumnNumber(end));
    }
  }
}
