package org.ctx4j.testdata;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.google.errorprone.BugCheckerInfo;
import com.google.errorprone.BugPattern;
import com.google.errorprone.bugpatterns.BugChecker;
import java.io.IOException;
import java.io.StringWriter;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * Compiles every {@code ```java} block of {@code docs/**}{@code /*.md} (each a complete compilation
 * unit) against ctx4j-runtime (and ctx4j-junit with JUnit Jupiter's API), with javac and {@code
 * -Xplugin:ErrorProne} in this JVM, every ctx4j check at ERROR and Error Prone's own checks off.
 * The marker on the line before a block (blank lines between are allowed) says what it must
 * produce:
 *
 * <ul>
 *   <li>{@code <!-- flagged: Name -->}: at least one finding of check {@code Name}, and no javac
 *       error that is not a ctx4j finding;
 *   <li>{@code <!-- fixed: Name -->}: no finding of {@code Name}, and no javac error that is not a
 *       ctx4j finding;
 *   <li>no marker: it compiles with no error at all (so no ctx4j finding either).
 * </ul>
 *
 * Several names may be listed, separated by commas. A failure names the file and the line of the
 * block's opening fence.
 */
final class DocsCodeBlocksTest {
  private static final Pattern MARKER =
      Pattern.compile("^<!--\\s*(flagged|fixed)\\s*:\\s*([\\w\\s,]+?)\\s*-->$");
  private static final Pattern FINDING = Pattern.compile("^\\[(\\w+)\\]");
  private static final Pattern PUBLIC_TYPE =
      Pattern.compile(
          "(?m)^public\\s+(?:(?:final|abstract|sealed|non-sealed|strictfp)\\s+)*(?:class|interface|enum|record|@interface)\\s+(\\w+)");
  private static final Pattern ANY_TYPE =
      Pattern.compile("(?m)^(?:\\w+\\s+)*(?:class|interface|enum|record)\\s+(\\w+)");

  /** A {@code ```java} block: where it is, its marker, its text. */
  record Block(Path file, int line, String kind, Set<String> checks, String source) {
    String where(Path root) {
      return root.relativize(file).toString().replace('\\', '/') + ":" + line;
    }
  }

  @TempDir Path output;

  @TestFactory
  Stream<DynamicTest> everyJavaBlockOfDocsCompilesAsItsMarkerSays() throws IOException {
    Path root = Path.of(System.getProperty("ctx4j.root", "..")).toAbsolutePath().normalize();
    Path docs = root.resolve("docs");
    assertTrue(Files.isDirectory(docs), "no docs/ directory under " + root);
    List<Block> blocks = new ArrayList<>();
    try (Stream<Path> files = Files.walk(docs)) {
      for (Path md : files.filter(p -> p.toString().endsWith(".md")).sorted().toList()) {
        blocks.addAll(blocks(md));
      }
    }
    Set<String> registered = registeredChecks();
    return blocks.stream()
        .map(b -> DynamicTest.dynamicTest(b.where(root), () -> check(root, b, registered)));
  }

  /** The parser itself, on a small page: markers, blank lines, other languages, unclosed fences. */
  @Test
  void findsBlocksAndTheirMarkers(@TempDir Path dir) throws IOException {
    Path md = dir.resolve("page.md");
    Files.writeString(
        md,
        String.join(
            "\n",
            "# Title",
            "<!-- flagged: LostCancel -->",
            "",
            "```java",
            "class A {}",
            "```",
            "```xml",
            "<a/>",
            "```",
            "<!-- fixed: LostCancel, NullContext -->",
            "```java",
            "class B {}",
            "```",
            "text",
            "```java",
            "public final class C {}",
            "```",
            ""));
    List<Block> found = blocks(md);
    assertTrue(found.size() == 3, found.toString());
    assertTrue(
        found.get(0).kind().equals("flagged")
            && found.get(0).checks().equals(Set.of("LostCancel"))
            && found.get(0).line() == 4);
    assertTrue(
        found.get(1).kind().equals("fixed")
            && found.get(1).checks().equals(Set.of("LostCancel", "NullContext")));
    assertTrue(
        found.get(2).kind().equals("plain")
            && found.get(2).checks().isEmpty()
            && found.get(2).line() == 15);
    assertTrue(fileName(found.get(2).source()).equals("C.java"));
    assertTrue(fileName(found.get(0).source()).equals("A.java"));
  }

  static List<Block> blocks(Path md) throws IOException {
    List<String> lines = Files.readAllLines(md, StandardCharsets.UTF_8);
    List<Block> blocks = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      String fence = lines.get(i).strip();
      if (!fence.startsWith("```")) {
        continue;
      }
      String lang = fence.substring(3).strip();
      int end = i + 1;
      while (end < lines.size() && !lines.get(end).strip().equals("```")) {
        end++;
      }
      if (end == lines.size()) {
        fail(md + ":" + (i + 1) + ": code block is never closed");
      }
      if (lang.equals("java")) {
        String kind = "plain";
        Set<String> checks = new TreeSet<>();
        int back = i - 1;
        while (back >= 0 && lines.get(back).isBlank()) {
          back--;
        }
        if (back >= 0) {
          Matcher m = MARKER.matcher(lines.get(back).strip());
          if (m.matches()) {
            kind = m.group(1);
            for (String name : m.group(2).split(",")) {
              if (!name.isBlank()) {
                checks.add(name.strip());
              }
            }
          }
        }
        String source = String.join("\n", lines.subList(i + 1, end)) + "\n";
        blocks.add(new Block(md, i + 1, kind, checks, source));
      }
      i = end;
    }
    return blocks;
  }

  private void check(Path root, Block block, Set<String> registered) throws IOException {
    String where =
        block.where(root)
            + " ("
            + block.kind()
            + (block.checks().isEmpty() ? "" : ": " + String.join(", ", block.checks()))
            + ")";
    for (String name : block.checks()) {
      assertTrue(
          registered.contains(name),
          where + ": no check named " + name + " is registered; registered: " + registered);
    }
    DiagnosticCollector<JavaFileObject> diagnostics = compile(block, registered);
    List<String> findings = new ArrayList<>();
    List<String> errors = new ArrayList<>();
    StringBuilder all = new StringBuilder();
    for (Diagnostic<? extends JavaFileObject> d : diagnostics.getDiagnostics()) {
      String message = d.getMessage(Locale.ROOT);
      all.append("\n  ")
          .append(d.getKind())
          .append(" at line ")
          .append(block.line() + d.getLineNumber())
          .append(": ")
          .append(message.lines().findFirst().orElse(""));
      Matcher m = FINDING.matcher(message);
      if (m.find() && registered.contains(m.group(1))) {
        findings.add(m.group(1));
      } else if (d.getKind() == Diagnostic.Kind.ERROR) {
        errors.add(message);
      }
    }
    String report = where + ": javac said:" + (all.length() == 0 ? " nothing" : all.toString());
    assertTrue(errors.isEmpty(), () -> report + "\n  => the block does not compile");
    switch (block.kind()) {
      case "flagged" -> {
        for (String name : block.checks()) {
          assertTrue(
              findings.contains(name), () -> report + "\n  => expected a " + name + " finding");
        }
      }
      case "fixed" -> {
        for (String name : block.checks()) {
          assertFalse(
              findings.contains(name), () -> report + "\n  => expected no " + name + " finding");
        }
      }
      default ->
          assertTrue(
              findings.isEmpty(),
              () ->
                  report
                      + "\n  => an unmarked block must have no finding; mark it <!-- flagged: Name -->");
    }
  }

  private DiagnosticCollector<JavaFileObject> compile(Block block, Set<String> registered)
      throws IOException {
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
    Path out = Files.createTempDirectory(output, "classes");
    StringBuilder plugin =
        new StringBuilder(
            "-Xplugin:ErrorProne -XepDisableAllChecks -XepOpt:Ctx4j:FailOnInternalError=true");
    for (String name : registered) {
      plugin.append(" -Xep:").append(name).append(":ERROR");
    }
    List<String> options =
        List.of(
            "--release",
            "17",
            "-d",
            out.toString(),
            // A block sees blockClassPath() and the JDK. Error Prone and ctx4j-checks are on the
            // test class path, which javac searches for -Xplugin and checks as a processor path.
            "-classpath",
            blockClassPath(),
            "-processorpath",
            System.getProperty("java.class.path"),
            "-XDcompilePolicy=simple",
            "--should-stop=ifError=FLOW",
            plugin.toString());
    JavaFileObject source =
        new SimpleJavaFileObject(
            URI.create("string:///" + fileName(block.source())), JavaFileObject.Kind.SOURCE) {
          @Override
          public CharSequence getCharContent(boolean ignoreEncodingErrors) {
            return block.source();
          }
        };
    StringWriter javacOut = new StringWriter();
    javac.getTask(javacOut, null, diagnostics, options, null, List.of(source)).call();
    return diagnostics;
  }

  /**
   * What a block compiles against: ctx4j-runtime, and for the pages on testing, ctx4j-junit and
   * JUnit Jupiter's API (with the annotations its classes carry); grpc-api for the pages that show
   * grpc's {@code io.grpc.Context}.
   */
  private static String blockClassPath() {
    return Stream.of(
            runtimeLocation(),
            location("org.ctx4j.junit.ContextExtension"),
            location("org.junit.jupiter.api.Test"),
            location("org.junit.jupiter.params.ParameterizedTest"),
            location("org.junit.platform.commons.annotation.Testable"),
            location("org.apiguardian.api.API"),
            location("org.opentest4j.AssertionFailedError"),
            location("io.grpc.Context"))
        .distinct()
        .collect(Collectors.joining(java.io.File.pathSeparator));
  }

  private static String location(String className) {
    try {
      Class<?> c = Class.forName(className, false, DocsCodeBlocksTest.class.getClassLoader());
      return Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
    } catch (ClassNotFoundException | java.net.URISyntaxException e) {
      throw new IllegalStateException(className + " is not on the test class path", e);
    }
  }

  private static String runtimeLocation() {
    try {
      return Path.of(
              org.ctx4j.Context.class.getProtectionDomain().getCodeSource().getLocation().toURI())
          .toString();
    } catch (java.net.URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The file name javac wants for a compilation unit: its public type, else its first type. */
  static String fileName(String source) {
    Matcher m = PUBLIC_TYPE.matcher(source);
    if (m.find()) {
      return m.group(1) + ".java";
    }
    m = ANY_TYPE.matcher(source);
    return m.find() ? m.group(1) + ".java" : "Block.java";
  }

  /** The names of the ctx4j checks on the class path (those in package org.ctx4j.checks). */
  static Set<String> registeredChecks() {
    return ServiceLoader.load(BugChecker.class, DocsCodeBlocksTest.class.getClassLoader()).stream()
        .map(ServiceLoader.Provider::type)
        .filter(t -> t.getName().startsWith("org.ctx4j.checks."))
        .filter(t -> t.isAnnotationPresent(BugPattern.class))
        .map(t -> BugCheckerInfo.create(t).canonicalName())
        .collect(Collectors.toCollection(TreeSet::new));
  }
}
