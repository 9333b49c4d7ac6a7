package org.ctx4j.checks.lostcancel;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * No false positive on real grpc code: grpc's own sources (the {@code -sources} jars of grpc-api,
 * grpc-core and grpc-stub, test dependencies of this module) that use {@code io.grpc.Context} are
 * compiled by javac with Error Prone and only {@link LostCancel}, as a grpc user's build would, and
 * the check reports nothing on them. grpc keeps cancellable contexts in fields and cancels them
 * elsewhere, restores attached contexts in {@code finally} blocks (of nested {@code try}s too), and
 * hands the previous context over through fields and returns: every one of those shapes is in this
 * compilation.
 *
 * <p>Only grpc's sources are compiled: no grpc jar is on the classpath (the sources are one release
 * behind the jars this module tests against, which may differ in their internals), and neither is
 * the ctx4j runtime, so the check also works where grpc is used without ctx4j. A canary file with
 * one known leak is compiled with them: it proves the check ran on this compilation.
 */
final class LostCancelGrpcSourcesTest {
  private static final Pattern USES_CONTEXT = Pattern.compile("\\bContext\\b");
  private static final Pattern SOURCES_JAR =
      Pattern.compile(".*[/\\\\]io[/\\\\]grpc[/\\\\]grpc-(api|core|stub)[/\\\\].*-sources\\.jar");

  @TempDir Path dir;

  @Test
  void grpcsOwnSourcesHaveNoFinding() {
    List<String> findings =
        assertTimeoutPreemptively(Duration.ofMinutes(5), this::compileGrpcWithLostCancel);
    assertEquals(
        List.of(
            "LostCancelCanary.java:7: [LostCancel] The context this attach() replaced is not"
                + " restored on every path"),
        findings);
  }

  /** The LostCancel findings, as "file:line: message start"; fails on any other error. */
  private List<String> compileGrpcWithLostCancel() throws IOException {
    List<String> classPath =
        List.of(System.getProperty("java.class.path").split(File.pathSeparator));
    List<String> jars = classPath.stream().filter(p -> SOURCES_JAR.matcher(p).matches()).toList();
    assertEquals(3, jars.size(), "grpc-api, grpc-core and grpc-stub sources jars: " + jars);
    Path sources = Files.createDirectories(dir.resolve("src"));
    List<Path> compiled = new ArrayList<>();
    for (String jar : jars) {
      unpack(Path.of(jar), sources, compiled);
    }
    assertTrue(compiled.size() > 15, "too few grpc sources use io.grpc.Context: " + compiled);
    Path canary = Files.createDirectories(dir.resolve("canary")).resolve("LostCancelCanary.java");
    Files.writeString(
        canary,
        """
        import io.grpc.Context;

        final class LostCancelCanary {
          void leak(Runnable work) {
            Context ctx = Context.current().withValue(Context.key("k"), "v");
            work.run();
            Context previous = ctx.attach();
            work.run();
          }
        }
        """,
        UTF_8);
    compiled.add(canary);

    String grpcFree =
        classPath.stream()
            .filter(p -> !p.matches(".*[/\\\\]io[/\\\\]grpc[/\\\\].*"))
            .filter(p -> !p.contains("context-runtime") && !p.contains("ctx4j-runtime"))
            .collect(Collectors.joining(File.pathSeparator));
    List<String> options =
        List.of(
            "-d",
            Files.createDirectories(dir.resolve("classes")).toString(),
            "-sourcepath",
            sources.toString(),
            "-implicit:none",
            "-proc:none",
            "-nowarn",
            "-encoding",
            "UTF-8",
            "-classpath",
            grpcFree,
            "-processorpath",
            System.getProperty("java.class.path"),
            "-XDcompilePolicy=simple",
            "--should-stop=ifError=FLOW",
            "-Xplugin:ErrorProne -XepDisableAllChecks -Xep:LostCancel:ERROR"
                + " -XepOpt:Ctx4j:FailOnInternalError=true");
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
    try (StandardJavaFileManager files = javac.getStandardFileManager(null, Locale.ROOT, UTF_8)) {
      StringWriter output = new StringWriter();
      javac
          .getTask(
              output,
              files,
              diagnostics,
              options,
              null,
              files.getJavaFileObjectsFromPaths(compiled))
          .call();
    }
    List<String> findings = new ArrayList<>();
    List<String> errors = new ArrayList<>();
    for (Diagnostic<? extends JavaFileObject> d : diagnostics.getDiagnostics()) {
      if (d.getKind() != Diagnostic.Kind.ERROR) {
        continue;
      }
      String message = d.getMessage(Locale.ROOT);
      String file =
          d.getSource() == null ? "?" : Path.of(d.getSource().toUri()).getFileName().toString();
      String where = file + ":" + d.getLineNumber() + ": ";
      if (message.startsWith("[LostCancel]")) {
        int end = message.indexOf(':');
        findings.add(where + message.substring(0, end < 0 ? message.length() : end));
      } else {
        errors.add(where + message);
      }
    }
    assertEquals(List.of(), errors, "grpc's sources must compile: otherwise nothing was checked");
    return findings;
  }

  /** Unpacks the sources of {@code jar} under {@code into}; adds those that name Context. */
  private static void unpack(Path jar, Path into, List<Path> usingContext) throws IOException {
    try (ZipFile zip = new ZipFile(jar.toFile())) {
      Enumeration<? extends ZipEntry> entries = zip.entries();
      while (entries.hasMoreElements()) {
        ZipEntry entry = entries.nextElement();
        if (entry.isDirectory() || !entry.getName().endsWith(".java")) {
          continue;
        }
        Path target = into.resolve(entry.getName()).normalize();
        if (!target.startsWith(into)) {
          throw new IOException("entry outside the target directory: " + entry.getName());
        }
        Files.createDirectories(target.getParent());
        String text;
        try (InputStream in = zip.getInputStream(entry)) {
          text = new String(in.readAllBytes(), UTF_8);
        }
        Files.writeString(target, text, UTF_8);
        if (USES_CONTEXT.matcher(text).find()) {
          usingContext.add(target);
        }
      }
    }
  }
}
