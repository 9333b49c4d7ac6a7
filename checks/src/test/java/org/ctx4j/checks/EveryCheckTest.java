package org.ctx4j.checks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.errorprone.BugCheckerInfo;
import com.google.errorprone.BugPattern;
import com.google.errorprone.bugpatterns.BugChecker;
import java.io.IOException;
import java.io.StringWriter;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.ServiceLoader;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * What every ctx4j check promises users, for each check the service loader finds (the way Error
 * Prone finds them): its default severity is the one its doc page states, and a finding shows at
 * that level; {@code @SuppressWarnings("Name")} silences it; {@code -Xep:Name:OFF} turns it off.
 * The code that triggers each check is the first {@code <!-- flagged: Name -->} example of its page
 * in {@code docs/checks/}, compiled by javac with {@code -Xplugin:ErrorProne} as a user's build
 * compiles it.
 */
final class EveryCheckTest {
  private static final Pattern SEVERITY_LINE =
      Pattern.compile("(?m)^Default severity: \\*\\*(\\w+)\\*\\*\\.");
  private static final Pattern TYPE_DECLARATION =
      Pattern.compile(
          "(?m)^(?:(?:public|final|abstract|sealed|non-sealed)\\s+)*(?:class|interface|enum|record)\\s+(\\w+)");

  @TempDir Path output;

  /** The ctx4j checks registered for the service loader (auto-service writes the list). */
  static Stream<Class<? extends BugChecker>> checks() {
    return ServiceLoader.load(BugChecker.class, EveryCheckTest.class.getClassLoader()).stream()
        .map(ServiceLoader.Provider::type)
        .filter(t -> t.getPackageName().startsWith("org.ctx4j.checks."))
        .sorted((a, b) -> a.getName().compareTo(b.getName()));
  }

  @Test
  void theServiceLoaderFindsTheChecks() {
    List<String> names = checks().map(EveryCheckTest::nameOf).toList();
    assertTrue(names.size() >= 9, "too few checks registered: " + names);
    assertTrue(
        names.contains("BlockingCallIgnoresContext") && names.contains("LostCancel"),
        names.toString());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("checks")
  void defaultSeverityIsTheOneItsPageStatesAndFindingsShowAtIt(Class<? extends BugChecker> check)
      throws Exception {
    BugPattern pattern = check.getAnnotation(BugPattern.class);
    String name = nameOf(check);
    assertEquals(check.getSimpleName(), name, "the check's class and name differ");
    assertEquals(pattern.severity(), check.getConstructor().newInstance().defaultSeverity());
    String page = page(name);
    Matcher stated = SEVERITY_LINE.matcher(page);
    assertTrue(stated.find(), "docs/checks/" + name + ".md has no 'Default severity: **X**.' line");
    assertEquals(pattern.severity().name(), stated.group(1), "docs/checks/" + name + ".md");
    assertEquals(
        "https://github.com/ctx4j/ctx4j/blob/main/docs/checks/" + name + ".md", pattern.link());

    List<Diagnostic<? extends JavaFileObject>> findings =
        findings(name, flagged(name, page), "-Xep:" + name);
    assertFalse(findings.isEmpty(), name + " reports nothing on its page's flagged example");
    Diagnostic.Kind expected =
        switch (pattern.severity()) {
          case ERROR -> Diagnostic.Kind.ERROR;
          case WARNING -> Diagnostic.Kind.WARNING;
          case SUGGESTION -> Diagnostic.Kind.NOTE;
        };
    for (Diagnostic<? extends JavaFileObject> finding : findings) {
      assertEquals(expected, finding.getKind(), finding.getMessage(Locale.ROOT));
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("checks")
  void suppressWarningsWithTheNameSilencesIt(Class<? extends BugChecker> check) throws Exception {
    String name = nameOf(check);
    String source = flagged(name, page(name));
    assertFalse(findings(name, source, "-Xep:" + name + ":ERROR").isEmpty());
    String suppressed =
        TYPE_DECLARATION.matcher(source).replaceAll("@SuppressWarnings(\"" + name + "\")\n$0");
    assertEquals(List.of(), messages(findings(name, suppressed, "-Xep:" + name + ":ERROR")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("checks")
  void offTurnsItOff(Class<? extends BugChecker> check) throws Exception {
    String name = nameOf(check);
    String source = flagged(name, page(name));
    assertEquals(List.of(), messages(findings(name, source, "-Xep:" + name + ":OFF")));
  }

  private static String page(String name) throws IOException {
    Path page =
        Path.of(System.getProperty("ctx4j.root", "..")).resolve("docs/checks/" + name + ".md");
    assertTrue(Files.isRegularFile(page), "no doc page " + page.toAbsolutePath().normalize());
    return Files.readString(page, StandardCharsets.UTF_8);
  }

  /** The first ```java block after a {@code <!-- flagged: ... Name ... -->} marker. */
  private static String flagged(String name, String page) {
    Matcher marker =
        Pattern.compile(
                "<!--\\s*flagged\\s*:[^>]*\\b" + name + "\\b[^>]*-->\\s*```java\\n(.*?)```",
                Pattern.DOTALL)
            .matcher(page);
    assertTrue(
        marker.find(), "docs/checks/" + name + ".md has no <!-- flagged: " + name + " --> example");
    return marker.group(1);
  }

  /** Compiles {@code source} with only {@code check} enabled by {@code flag}; its findings. */
  private List<Diagnostic<? extends JavaFileObject>> findings(
      String check, String source, String flag) throws IOException {
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
    Matcher type = TYPE_DECLARATION.matcher(source);
    assertTrue(type.find(), "no type declaration in\n" + source);
    JavaFileObject file =
        new SimpleJavaFileObject(
            URI.create("string:///" + type.group(1) + ".java"), JavaFileObject.Kind.SOURCE) {
          @Override
          public CharSequence getCharContent(boolean ignoreEncodingErrors) {
            return source;
          }
        };
    List<String> options =
        List.of(
            "-d",
            Files.createTempDirectory(output, "classes").toString(),
            "-classpath",
            runtimeLocation(),
            "-processorpath",
            System.getProperty("java.class.path"),
            "-XDcompilePolicy=simple",
            "--should-stop=ifError=FLOW",
            "-Xplugin:ErrorProne -XepDisableAllChecks -XepOpt:Ctx4j:FailOnInternalError=true "
                + flag);
    javac.getTask(new StringWriter(), null, diagnostics, options, null, List.of(file)).call();
    List<Diagnostic<? extends JavaFileObject>> findings = new ArrayList<>();
    for (Diagnostic<? extends JavaFileObject> d : diagnostics.getDiagnostics()) {
      String message = d.getMessage(Locale.ROOT);
      if (message.startsWith("[" + check + "]")) {
        findings.add(d);
      } else {
        assertFalse(d.getKind() == Diagnostic.Kind.ERROR, "javac: " + message);
      }
    }
    return findings;
  }

  private static List<String> messages(List<Diagnostic<? extends JavaFileObject>> findings) {
    return findings.stream()
        .map(d -> d.getLineNumber() + ": " + d.getMessage(Locale.ROOT))
        .toList();
  }

  private static String runtimeLocation() {
    try {
      Path location =
          Path.of(
              org.ctx4j.Context.class.getProtectionDomain().getCodeSource().getLocation().toURI());
      assertNotNull(location);
      return location.toString();
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * The name users write in {@code -Xep:} and {@code @SuppressWarnings}, as Error Prone reads it.
   */
  private static String nameOf(Class<? extends BugChecker> check) {
    return BugCheckerInfo.create(check).canonicalName();
  }
}
