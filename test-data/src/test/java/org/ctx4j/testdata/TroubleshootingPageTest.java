package org.ctx4j.testdata;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * docs/troubleshooting.md quotes what the build prints for each mistake. Each test here makes that
 * mistake in a real Maven build of the setup page's project (docs/setup.md's pom.xml and
 * .mvn/jvm.config, with one thing wrong) and asserts that every line the page quotes appears in the
 * output, so the page cannot go stale. Versions, hashes and {@code ...} in a quote match anything;
 * see {@link #normalise}. Logs are under {@code
 * test-data/target/real-builds/logs/troubleshooting-*}.
 */
final class TroubleshootingPageTest {
  /** Sections that quote nothing a build prints, or that need a machine this test cannot assume. */
  private static final Set<String> NOT_PROVOKED =
      Set.of(
          // Prose only: nothing is printed.
          "No finding at all", "Warnings from Error Prone's own checks");

  private static RealBuild build;
  private static Map<String, List<String>> quotes;

  @BeforeAll
  static void readThePage() throws IOException {
    build = Harness.build();
    quotes =
        quotesBySection(
            Files.readString(
                build.root().resolve("docs/troubleshooting.md"), StandardCharsets.UTF_8));
  }

  @Test
  void everyQuotedSectionIsProvokedHere() {
    Set<String> provoked = new TreeSet<>();
    for (var method : getClass().getDeclaredMethods()) {
      Section section = method.getAnnotation(Section.class);
      if (section != null) {
        provoked.add(section.value());
      }
    }
    Set<String> missing = new TreeSet<>(quotes.keySet());
    missing.removeAll(provoked);
    missing.removeAll(NOT_PROVOKED);
    assertTrue(
        missing.isEmpty(), "sections of docs/troubleshooting.md no test provokes: " + missing);
    Set<String> unknown = new TreeSet<>(provoked);
    unknown.removeAll(quotes.keySet());
    assertTrue(unknown.isEmpty(), "tests for sections the page no longer has: " + unknown);
  }

  @Test
  @Section("Could not find artifact org.ctx4j:...")
  void ctx4jNotInTheLocalRepository() throws Exception {
    Path project = project("missing-artifact");
    // A snapshot no run has asked for before (Maven caches a failed lookup and says so instead),
    // and a user's settings: no repository but Maven Central, which serves no snapshots.
    edit(
        project,
        "<ctx4j.version>0.1.0-SNAPSHOT</ctx4j.version>",
        "<ctx4j.version>0.0." + System.currentTimeMillis() + "-SNAPSHOT</ctx4j.version>");
    Path settings = project.resolve("plain-settings.xml");
    Files.writeString(settings, "<settings/>\n", StandardCharsets.UTF_8);
    RealBuild.Result result =
        build.exec(
            List.of(
                build.mvn(),
                "-B",
                "-ntp",
                "-Dstyle.color=never",
                "-s",
                settings.toString(),
                "-Dmaven.repo.local=" + build.work().resolve("repo"),
                "clean",
                "compile"),
            project,
            RealBuild.currentJavaHome(),
            log("missing-artifact"),
            null);
    assertQuoted("Could not find artifact org.ctx4j:...", 0, result);
  }

  @Test
  @Section("IllegalAccessError ... does not export com.sun.tools.javac.api")
  void noJvmConfig() throws Exception {
    Path project = project("no-jvm-config");
    Files.delete(project.resolve(".mvn/jvm.config"));
    assertQuoted(
        "IllegalAccessError ... does not export com.sun.tools.javac.api",
        0,
        compile(project, "no-jvm-config"));
  }

  @Test
  @Section("UnsupportedClassVersionError ... class file version 65.0")
  void errorProneTooNewForJdk17() throws Exception {
    Path project = project("error-prone-too-new");
    edit(
        project,
        "<errorprone.version>2.42.0</errorprone.version>",
        "<errorprone.version>2.43.0</errorprone.version>");
    assertQuoted(
        "UnsupportedClassVersionError ... class file version 65.0",
        0,
        compile(project, "error-prone-too-new"));
  }

  @Test
  @Section("ContextInField is not a valid checker name")
  void checksNotOnTheProcessorPath() throws Exception {
    Path project = project("no-checks-on-processor-path");
    Path pom = project.resolve("pom.xml");
    String text = Files.readString(pom, StandardCharsets.UTF_8);
    String without =
        text.replaceFirst(
            "\\s*<path>\\s*<groupId>org.ctx4j</groupId>\\s*<artifactId>ctx4j-checks</artifactId>"
                + "\\s*<version>[^<]*</version>\\s*</path>",
            "");
    assertFalse(without.equals(text), "no ctx4j-checks <path> in the setup page's pom.xml");
    Files.writeString(pom, without, StandardCharsets.UTF_8);
    assertQuoted(
        "ContextInField is not a valid checker name",
        0,
        compile(project, "no-checks-on-processor-path"));
  }

  @Test
  @Section("The default compilation policy (by-todo) is not supported by Error Prone")
  void noCompilePolicy() throws Exception {
    Path project = project("no-compile-policy");
    edit(project, "<arg>-XDcompilePolicy=simple</arg>", "");
    assertQuoted(
        "The default compilation policy (by-todo) is not supported by Error Prone",
        0,
        compile(project, "no-compile-policy"));
  }

  @Test
  @Section("The default --should-stop=ifError policy (INIT) is not supported by Error Prone")
  void noShouldStop() throws Exception {
    Path project = project("no-should-stop");
    edit(project, "<arg>--should-stop=ifError=FLOW</arg>", "");
    assertQuoted(
        "The default --should-stop=ifError policy (INIT) is not supported by Error Prone",
        0,
        compile(project, "no-should-stop"));
  }

  @Test
  @Section("invalid flag: -Xep:ContextInField:ERROR")
  void xpluginSplitOverSeveralArgs() throws Exception {
    Path project = project("split-xplugin");
    edit(
        project,
        "<arg>-Xplugin:ErrorProne ${errorprone.flags}</arg>",
        "<arg>-Xplugin:ErrorProne</arg>\n<arg>-Xep:ContextInField:ERROR</arg>");
    assertQuoted("invalid flag: -Xep:ContextInField:ERROR", 0, compile(project, "split-xplugin"));
  }

  @Test
  @Section("Only \"Compilation failure\" with a forked compiler")
  void forkedCompilerWithSpacesInJFlags() throws Exception {
    Path project = project("forked-spaces");
    List<String> jvmFlags =
        Files.readAllLines(project.resolve(".mvn/jvm.config"), StandardCharsets.UTF_8);
    Files.delete(project.resolve(".mvn/jvm.config"));
    StringBuilder flags = new StringBuilder("<fork>true</fork>\n<compilerArgs>\n");
    for (String line : jvmFlags) {
      if (!line.isBlank()) {
        flags.append("<arg>-J").append(line.strip()).append("</arg>\n");
      }
    }
    edit(project, "<compilerArgs>\n", flags.toString());
    RealBuild.Result result = compile(project, "forked-spaces");
    assertQuoted("Only \"Compilation failure\" with a forked compiler", 0, result);
  }

  @Test
  @Section("Nothing to compile - all classes are up to date")
  void flagsChangedWithoutClean() throws Exception {
    Path project = project("up-to-date");
    RealBuild.Result first =
        build.run(
            project, RealBuild.currentJavaHome(), List.of("compile"), log("up-to-date-1"), null);
    Harness.assertExit("a first compile", true, first);
    edit(project, "-Xep:ContextParameterName:WARN", "-Xep:ContextParameterName:ERROR");
    assertQuoted(
        "Nothing to compile - all classes are up to date",
        0,
        build.run(
            project, RealBuild.currentJavaHome(), List.of("compile"), log("up-to-date-2"), null));
  }

  @Test
  @Section("Applying the fixes: warnings instead of errors, a missing finding, odd positions")
  void patchFlagsAppendedToTheNormalOnes() throws Exception {
    Path project = project("patch-with-normal-flags");
    leaky(project);
    edit(
        project,
        "-Xep:ContextParameterName:WARN</errorprone.flags>",
        "-Xep:ContextParameterName:WARN -XepPatchChecks:LostCancel -XepPatchLocation:IN_PLACE"
            + "</errorprone.flags>");
    RealBuild.Result result = compile(project, "patch-with-normal-flags");
    Harness.assertExit("patch flags after the normal ones", true, result);
    assertQuoted(
        "Applying the fixes: warnings instead of errors, a missing finding, odd positions",
        0,
        result);
  }

  @Test
  @Section("A patch that patch -p0 cannot apply")
  void patchLocationOutsideTheProject() throws Exception {
    Path project = project("my-service");
    leaky(project);
    Path patches = project.getParent().resolve("patches");
    Files.createDirectories(patches);
    edit(
        project,
        "-Xep:ContextParameterName:WARN</errorprone.flags>",
        "-XepPatchChecks:LostCancel -XepPatchLocation:" + patches + "</errorprone.flags>");
    RealBuild.Result result = compile(project, "patch-outside");
    assertQuoted("A patch that patch -p0 cannot apply", 0, result);
    assertQuotedIn(
        "A patch that patch -p0 cannot apply",
        1,
        Files.readAllLines(patches.resolve("error-prone.patch"), StandardCharsets.UTF_8),
        result);
  }

  @Test
  @Section("A finding in test code")
  void aContextInATestFixtureField() throws Exception {
    Path project = project("finding-in-test-code");
    write(
        project,
        "src/test/java/com/example/LookupTest.java",
        """
        package com.example;

        import org.ctx4j.CancellableContext;
        import org.ctx4j.Context;

        class LookupTest {
          private final CancellableContext ctx = Context.withCancel(Context.background());

          void end() {
            ctx.cancel();
          }
        }
        """);
    assertQuoted(
        "A finding in test code",
        0,
        build.run(
            project,
            RealBuild.currentJavaHome(),
            List.of("test-compile"),
            log("finding-in-test-code"),
            null));
  }

  @Test
  @Section("File encoding has not been set")
  void noSourceEncoding() throws Exception {
    Path project = project("no-encoding");
    edit(project, "<project.build.sourceEncoding>UTF-8</project.build.sourceEncoding>", "");
    write(project, "src/main/resources/app.properties", "name=app\n");
    assertQuoted("File encoding has not been set", 0, compile(project, "no-encoding"));
  }

  @Test
  @Section("module not found: org.ctx4j")
  void aRuntimeJarWithoutAModuleName() throws Exception {
    Path project = project("module-not-found");
    // A ctx4j-runtime as jars were built before they named their module: no manifest entry, so
    // the module name comes from the file name.
    Path jar =
        Path.of(
            org.ctx4j.Context.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    Path old =
        build.work().resolve("repo/org/ctx4j/ctx4j-runtime/0.0.1-OLD/ctx4j-runtime-0.0.1-OLD.jar");
    Files.createDirectories(old.getParent());
    jarWithoutModuleName(jar, old);
    Files.writeString(
        old.resolveSibling("ctx4j-runtime-0.0.1-OLD.pom"),
        """
        <project xmlns="http://maven.apache.org/POM/4.0.0">
          <modelVersion>4.0.0</modelVersion>
          <groupId>org.ctx4j</groupId>
          <artifactId>ctx4j-runtime</artifactId>
          <version>0.0.1-OLD</version>
        </project>
        """,
        StandardCharsets.UTF_8);
    edit(
        project,
        "<artifactId>ctx4j-runtime</artifactId>\n      <version>${ctx4j.version}</version>",
        "<artifactId>ctx4j-runtime</artifactId>\n      <version>0.0.1-OLD</version>");
    write(
        project,
        "src/main/java/module-info.java",
        """
        module com.example.service {
          requires org.ctx4j;
        }
        """);
    assertQuoted("module not found: org.ctx4j", 0, compile(project, "module-not-found"));
  }

  @Test
  @Section("WARNING: sun.misc.Unsafe on JDK 25")
  void maven38OnJdk25() throws Exception {
    Path jdk25 = Path.of("/usr/lib/jvm/temurin-25-jdk-amd64");
    org.junit.jupiter.api.Assumptions.assumeTrue(
        Files.isExecutable(jdk25.resolve("bin/java")), "no JDK 25 at " + jdk25);
    Path project = project("jdk25-unsafe");
    assertQuoted(
        "WARNING: sun.misc.Unsafe on JDK 25",
        0,
        build.run(project, jdk25, List.of("validate"), log("jdk25-unsafe"), null));
  }

  // ---- the builds ----

  /** The setup page's project (without ctx4j-junit, not needed here) with a leaky main class. */
  private static Path project(String name) throws IOException {
    Path project = AdoptionBuildsTest.setupPageProject(build, "troubleshooting/" + name);
    edit(
        project,
        """
            <dependency>
              <groupId>org.ctx4j</groupId>
              <artifactId>ctx4j-junit</artifactId>
              <version>${ctx4j.version}</version>
              <scope>test</scope>
            </dependency>
        """,
        "");
    write(
        project,
        "src/main/java/com/example/Lookup.java",
        """
        package com.example;

        import java.time.Duration;
        import org.ctx4j.CancellableContext;
        import org.ctx4j.Context;

        public final class Lookup {
          private Lookup() {}

          public static boolean live(Context ctx) {
            try (CancellableContext c = Context.withTimeout(ctx, Duration.ofSeconds(1))) {
              return c.err() == null;
            }
          }
        }
        """);
    return project;
  }

  /** Makes the project's Lookup leak its context: a LostCancel finding with a fix. */
  private static void leaky(Path project) throws IOException {
    write(
        project,
        "src/main/java/com/example/Lookup.java",
        """
        package com.example;

        import java.time.Duration;
        import org.ctx4j.CancellableContext;
        import org.ctx4j.Context;

        public final class Lookup {
          private Lookup() {}

          public static boolean live(Context ctx) {
            CancellableContext c = Context.withTimeout(ctx, Duration.ofSeconds(1));
            return c.err() == null;
          }
        }
        """);
  }

  private static RealBuild.Result compile(Path project, String name) throws Exception {
    return build.run(
        project, RealBuild.currentJavaHome(), List.of("clean", "compile"), log(name), null);
  }

  private static String log(String name) {
    return "troubleshooting-" + name;
  }

  private static void edit(Path project, String from, String to) throws IOException {
    Path pom = project.resolve("pom.xml");
    String text = Files.readString(pom, StandardCharsets.UTF_8);
    assertTrue(text.contains(from), "the setup page's pom.xml no longer contains: " + from);
    Files.writeString(pom, text.replace(from, to), StandardCharsets.UTF_8);
  }

  private static void write(Path project, String path, String text) throws IOException {
    Path file = project.resolve(path);
    Files.createDirectories(file.getParent());
    Files.writeString(file, text, StandardCharsets.UTF_8);
  }

  private static void jarWithoutModuleName(Path from, Path to) throws IOException {
    try (var in = new java.util.jar.JarFile(from.toFile());
        var out = new java.util.jar.JarOutputStream(Files.newOutputStream(to))) {
      for (var entries = in.entries(); entries.hasMoreElements(); ) {
        var entry = entries.nextElement();
        if (entry.getName().equals("META-INF/MANIFEST.MF")) {
          continue;
        }
        out.putNextEntry(new java.util.jar.JarEntry(entry.getName()));
        try (var data = in.getInputStream(entry)) {
          data.transferTo(out);
        }
        out.closeEntry();
      }
    }
  }

  // ---- the page ----

  /** Names a test after the page's section (its heading) whose quote the test checks. */
  @java.lang.annotation.Retention(java.lang.annotation.RetentionPolicy.RUNTIME)
  @java.lang.annotation.Target(java.lang.annotation.ElementType.METHOD)
  @interface Section {
    String value();
  }

  /** The {@code text} blocks of each {@code ##} section, in order. */
  static Map<String, List<String>> quotesBySection(String markdown) {
    Map<String, List<String>> quotes = new LinkedHashMap<>();
    Matcher section = Pattern.compile("(?m)^## (.+)$").matcher(markdown);
    List<int[]> bounds = new ArrayList<>();
    List<String> titles = new ArrayList<>();
    while (section.find()) {
      titles.add(section.group(1).strip());
      bounds.add(new int[] {section.end(), 0});
    }
    for (int i = 0; i < bounds.size(); i++) {
      int end =
          i + 1 < bounds.size()
              ? markdown.lastIndexOf("\n## ", bounds.get(i + 1)[0])
              : markdown.length();
      String body = markdown.substring(bounds.get(i)[0], end);
      Matcher block = Pattern.compile("(?ms)^```text\\n(.*?)^```").matcher(body);
      List<String> blocks = new ArrayList<>();
      while (block.find()) {
        blocks.add(block.group(1));
      }
      if (!blocks.isEmpty()) {
        quotes.put(titles.get(i), blocks);
      }
    }
    return quotes;
  }

  private static void assertQuoted(String section, int index, RealBuild.Result result) {
    assertQuotedIn(section, index, result.output(), result);
  }

  /**
   * Every line of the section's {@code index}-th text block, normalised, is found in some line of
   * {@code output}, normalised; a line that is only {@code ...} stands for lines left out.
   */
  private static void assertQuotedIn(
      String section, int index, List<String> output, RealBuild.Result result) {
    List<String> blocks = quotes.get(section);
    assertFalse(blocks == null || blocks.size() <= index, "no quote " + index + " in: " + section);
    List<String> normalisedOutput =
        output.stream().map(TroubleshootingPageTest::normalise).toList();
    List<String> missing = new ArrayList<>();
    for (String line : blocks.get(index).split("\n")) {
      if (line.isBlank() || line.strip().equals("...")) {
        continue;
      }
      Pattern expected = asPattern(normalise(line.strip()));
      if (normalisedOutput.stream().noneMatch(o -> expected.matcher(o).find())) {
        missing.add(line);
      }
    }
    if (!missing.isEmpty()) {
      fail(
          "docs/troubleshooting.md, \""
              + section
              + "\": quoted but not printed by the build:\n  "
              + String.join("\n  ", missing)
              + "\nfull log: "
              + result.log()
              + "\n--- the output ---\n"
              + String.join("\n", output.subList(0, Math.min(output.size(), 120))));
    }
  }

  /**
   * What may differ between a run and the page: versions ({@code 17.0.15}, {@code 3.13.0}, {@code
   * 0.1.0-SNAPSHOT}), object hashes ({@code @0x2af4129d}), tabs.
   */
  static String normalise(String line) {
    return line.replace('\t', ' ')
        .replaceAll("\\b\\d+\\.\\d+\\.\\d+(-[A-Z]+)?\\b", "<version>")
        .replaceAll("@0x[0-9a-f]+", "@0x<hash>")
        .strip();
  }

  /** A quoted line as a pattern: literal text, where {@code ...} matches anything. */
  private static Pattern asPattern(String quoted) {
    StringBuilder regex = new StringBuilder();
    String[] parts = quoted.split("\\.\\.\\.", -1);
    for (int i = 0; i < parts.length; i++) {
      if (i > 0) {
        regex.append(".*");
      }
      regex.append(Pattern.quote(parts[i]));
    }
    return Pattern.compile(regex.toString());
  }

  @Test
  void normalisingMatchesVersionsAndHashesOnly() {
    assertEquals(
        "compiler (<version>) @0x<hash> 65.0", normalise("compiler (17.0.15) @0x2af4129d 65.0"));
    assertTrue(asPattern(normalise("a ... b 2.42.0")).matcher(normalise("x a zz b 2.43.0")).find());
  }
}
