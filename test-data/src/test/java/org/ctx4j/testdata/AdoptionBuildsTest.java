package org.ctx4j.testdata;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.JarFile;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * What a new user does, as real Maven builds: {@code scripts/install-local} into a private local
 * repository (the documented way to get ctx4j while it is on no public repository), then projects
 * that depend on what it installed: the complete {@code pom.xml} and {@code .mvn/jvm.config} as
 * they stand in docs/setup.md, its {@code apply-fixes} and {@code fix-patch} profiles,
 * docs/setup.md's compiler settings for test sources, and the modular sample {@code
 * test-data/modular}. Logs are under {@code test-data/target/real-builds/logs/}.
 */
final class AdoptionBuildsTest {
  private static final List<String> PUBLISHED =
      List.of(
          "ctx4j-runtime", "ctx4j-checks", "ctx4j-junit", "ctx4j-grpc", "ctx4j-http", "ctx4j-jdbc");
  private static final String V = RealBuild.CTX4J_VERSION;

  private static RealBuild installed;

  /** Runs scripts/install-local once; the builds below then resolve ctx4j from that repository. */
  private static synchronized RealBuild installed() throws Exception {
    if (installed == null) {
      RealBuild build = Harness.build();
      Path repo = build.work().resolve("install-local-repo");
      RealBuild.deleteRecursively(repo.resolve("org/ctx4j"));
      RealBuild.Result result = runInstallLocal(build, repo, true);
      if (!result.succeeded()
          && result.output().stream().anyMatch(l -> l.contains("in offline mode"))) {
        result = runInstallLocal(build, repo, false);
      }
      Harness.assertExit("scripts/install-local", true, result);
      installed = build.withLocalRepository(repo);
    }
    return installed;
  }

  private static RealBuild.Result runInstallLocal(RealBuild build, Path repo, boolean offline)
      throws Exception {
    List<String> command =
        new ArrayList<>(
            List.of(
                build.root().resolve("scripts/install-local").toString(),
                "--repo",
                repo.toString(),
                "--",
                "-s",
                build.settings().toString(),
                "-Dstyle.color=never",
                // The javadoc jars are built (and so checked) by the reactor build that runs this
                // test.
                "-Dmaven.javadoc.skip=true",
                // Its own output directories, so that it never touches the reactor's target/.
                "-Dctx4j.buildDir=${project.basedir}/target-install-local"));
    if (offline) {
      command.addAll(List.of("-o", "-Daether.offline.protocols=file"));
    }
    return build.exec(command, build.root(), RealBuild.currentJavaHome(), "install-local", null);
  }

  @Test
  void installLocalPutsThePublishedModulesWithSourcesAndModuleNamesIntoTheRepository()
      throws Exception {
    RealBuild build = installed();
    Path group = build.work().resolve("install-local-repo/org/ctx4j");
    assertTrue(
        Files.isRegularFile(group.resolve("ctx4j-parent/" + V + "/ctx4j-parent-" + V + ".pom")));
    List<String> moduleNames = new ArrayList<>();
    for (String artifact : PUBLISHED) {
      Path dir = group.resolve(artifact).resolve(V);
      Path jar = dir.resolve(artifact + "-" + V + ".jar");
      assertTrue(Files.isRegularFile(jar), "not installed: " + jar);
      assertTrue(
          Files.isRegularFile(dir.resolve(artifact + "-" + V + "-sources.jar")),
          "no sources jar in " + dir);
      try (JarFile j = new JarFile(jar.toFile())) {
        moduleNames.add(j.getManifest().getMainAttributes().getValue("Automatic-Module-Name"));
      }
    }
    assertEquals(
        List.of(
            "org.ctx4j",
            "org.ctx4j.checks",
            "org.ctx4j.junit",
            "org.ctx4j.grpc",
            "org.ctx4j.http",
            "org.ctx4j.jdbc"),
        moduleNames);
    // Only the published modules: the harness and the benchmarks stay out.
    try (var names = Files.list(group)) {
      assertEquals(
          List.of(
              "ctx4j-checks",
              "ctx4j-grpc",
              "ctx4j-http",
              "ctx4j-jdbc",
              "ctx4j-junit",
              "ctx4j-parent",
              "ctx4j-runtime"),
          names.map(p -> p.getFileName().toString()).sorted().toList());
    }
  }

  /**
   * docs/setup.md's pom.xml and .mvn/jvm.config, copied from the page, build a project with a JUnit
   * test that uses ContextExtension (and blocks, which test code may): the build passes and prints
   * no warning at all; a leaked context added to the code then fails it with the LostCancel
   * finding.
   */
  @Test
  void theSetupPageProjectBuildsWithoutAWarningAndFailsOnAFinding() throws Exception {
    RealBuild build = installed();
    Path project = setupPageProject(build, "setup-page-project");
    write(
        project,
        "src/main/java/com/example/Users.java",
        """
        package com.example;

        import java.time.Duration;
        import org.ctx4j.CancellableContext;
        import org.ctx4j.Context;

        public final class Users {
          private Users() {}

          public static String find(Context ctx, String id) {
            try (CancellableContext lookup = Context.withTimeout(ctx, Duration.ofSeconds(1))) {
              return lookup.err() == null ? "user " + id : "none";
            }
          }
        }
        """);
    write(
        project,
        "src/test/java/com/example/UsersTest.java",
        """
        package com.example;

        import static org.junit.jupiter.api.Assertions.assertEquals;

        import org.ctx4j.Context;
        import org.ctx4j.junit.ContextExtension;
        import org.junit.jupiter.api.Test;
        import org.junit.jupiter.api.Timeout;
        import org.junit.jupiter.api.extension.ExtendWith;

        @ExtendWith(ContextExtension.class)
        class UsersTest {
          @Test
          @Timeout(10)
          void findsAUser(Context ctx) {
            assertEquals("user 7", Users.find(ctx, "7"));
          }

          // A context is in scope: main code would get a BlockingCallIgnoresContext here, test
          // code (the setup page's default-testCompile execution) does not.
          @Test
          @Timeout(10)
          void findsAUserAfterAPause(Context ctx) throws InterruptedException {
            Thread.sleep(1);
            assertEquals("user 7", Users.find(ctx, "7"));
          }
        }
        """);

    RealBuild.Result result =
        build.run(
            project, RealBuild.currentJavaHome(), List.of("verify"), "setup-page-project", null);
    Harness.assertCompiled("setup-page project", result);
    Harness.assertExit("setup-page project", true, result);
    assertTrue(
        result.output().stream().anyMatch(l -> l.contains("Tests run: 2, Failures: 0, Errors: 0")),
        "the JUnit test did not run; log: " + result.log());
    List<String> warnings =
        result.output().stream()
            .filter(l -> l.startsWith("[WARNING]") || l.startsWith("WARNING:"))
            .toList();
    assertTrue(
        warnings.isEmpty(),
        "the setup-page project printed warnings:\n"
            + String.join("\n", warnings)
            + "\nlog: "
            + result.log());

    write(
        project,
        "src/main/java/com/example/Leaky.java",
        """
        package com.example;

        import java.time.Duration;
        import org.ctx4j.CancellableContext;
        import org.ctx4j.Context;

        public final class Leaky {
          private Leaky() {}

          public static boolean live(Context ctx) {
            CancellableContext c = Context.withTimeout(ctx, Duration.ofSeconds(1));
            return c.err() == null;
          }
        }
        """);
    RealBuild.Result leaky =
        build.run(
            project,
            RealBuild.currentJavaHome(),
            List.of("compile"),
            "setup-page-project-leaky",
            null);
    Harness.assertExit("setup-page project with a leak", false, leaky);
    assertEquals(
        List.of(new Finding("src/main/java/com/example/Leaky.java", 11, "LostCancel")),
        leaky.findings(),
        "log: " + leaky.log());
  }

  /**
   * The setup page's apply-fixes profile on a copy of violations/: the sources are rewritten, and
   * what the checks still report afterwards is exactly patch/expected-findings.txt.
   */
  @Test
  void theSetupPageApplyFixesProfileRewritesTheSources() throws Exception {
    RealBuild build = installed();
    Path project = setupPageProject(build, "setup-page-apply-fixes");
    RealBuild.copyRecursively(Harness.sample("violations").resolve("src"), project.resolve("src"));

    RealBuild.Result fix =
        build.run(
            project,
            RealBuild.currentJavaHome(),
            List.of("clean", "compile", "-Papply-fixes"),
            "setup-page-apply-fixes-1",
            null);
    Harness.assertCompiled("setup-page apply-fixes", fix);
    Harness.assertExit("setup-page apply-fixes", true, fix);
    assertFalse(
        RealBuild.changedFiles(Harness.sample("violations").resolve("src"), project.resolve("src"))
            .isEmpty(),
        "apply-fixes changed no file; log: " + fix.log());

    RealBuild.Result after =
        build.run(
            project,
            RealBuild.currentJavaHome(),
            List.of("clean", "compile"),
            "setup-page-apply-fixes-2",
            null);
    Harness.assertCompiled("setup-page project after apply-fixes", after);
    Harness.assertNoCompilerErrors("setup-page project after apply-fixes", after);
    Harness.assertFindings(
        "setup-page project after apply-fixes",
        Harness.sample("patch").resolve("expected-findings.txt"),
        after);
  }

  /**
   * The setup page's fix-patch profile writes a patch instead; {@code git apply -p0} (run at the
   * project's root, as the page says) applies it, and the result is what apply-fixes gives.
   */
  @Test
  void theSetupPageFixPatchProfileWritesAPatchThatGitApplies() throws Exception {
    RealBuild build = installed();
    Path project = setupPageProject(build, "setup-page-fix-patch");
    RealBuild.copyRecursively(Harness.sample("violations").resolve("src"), project.resolve("src"));

    RealBuild.Result patch =
        build.run(
            project,
            RealBuild.currentJavaHome(),
            List.of("clean", "compile", "-Pfix-patch"),
            "setup-page-fix-patch-1",
            null);
    Harness.assertExit("setup-page fix-patch", true, patch);
    Path file = project.resolve("error-prone.patch");
    assertTrue(
        Files.isRegularFile(file), "no error-prone.patch in " + project + "; log: " + patch.log());
    assertTrue(
        RealBuild.changedFiles(Harness.sample("violations").resolve("src"), project.resolve("src"))
            .isEmpty(),
        "fix-patch must not change the sources");

    // As in a user's repository whose root is the project (this copy lies inside ctx4j's own
    // checkout, which git must not take for the repository).
    RealBuild.Result apply =
        build.exec(
            List.of(
                "env",
                "GIT_CEILING_DIRECTORIES=" + project.getParent(),
                "git",
                "apply",
                "-p0",
                "--verbose",
                "error-prone.patch"),
            project,
            RealBuild.currentJavaHome(),
            "setup-page-fix-patch-2-git-apply",
            null);
    Harness.assertExit("git apply error-prone.patch", true, apply);
    Files.delete(file);
    RealBuild.Result after =
        build.run(
            project,
            RealBuild.currentJavaHome(),
            List.of("clean", "compile"),
            "setup-page-fix-patch-3",
            null);
    Harness.assertNoCompilerErrors("setup-page project after git apply", after);
    Harness.assertFindings(
        "setup-page project after git apply",
        Harness.sample("patch").resolve("expected-findings.txt"),
        after);
  }

  /**
   * docs/setup.md's {@code default-testCompile} example, in place of that pom's own execution: a
   * test fixture that keeps a context in a field, which the main flags reject, compiles.
   */
  @Test
  void setupsTestCompileExecutionGivesTestSourcesTheirOwnSeverities() throws Exception {
    RealBuild build = installed();
    Path project = setupPageProject(build, "setup-test-sources");
    write(
        project,
        "src/test/java/com/example/FixtureTest.java",
        """
        package com.example;

        import org.ctx4j.CancellableContext;
        import org.ctx4j.Context;

        class FixtureTest {
          private final CancellableContext ctx = Context.withCancel(Context.background());

          void end() {
            ctx.cancel();
          }
        }
        """);
    RealBuild.Result before =
        build.run(
            project,
            RealBuild.currentJavaHome(),
            List.of("test-compile"),
            "setup-test-sources-1",
            null);
    Harness.assertExit("a test fixture with a context field, setup-page flags", false, before);
    assertEquals(
        List.of(new Finding("src/test/java/com/example/FixtureTest.java", 7, "ContextInField")),
        before.findings(),
        "log: " + before.log());

    // The page's example replaces the complete pom's own default-testCompile execution.
    String setup = Files.readString(build.root().resolve("docs/setup.md"), StandardCharsets.UTF_8);
    String execution = block(setup, "xml", "<executions>");
    Path pom = project.resolve("pom.xml");
    String text = Files.readString(pom, StandardCharsets.UTF_8);
    int start = text.indexOf("<executions>");
    int end = text.indexOf("</executions>", start);
    assertTrue(start > 0 && end > start, "no <executions> in the setup page's pom");
    Files.writeString(
        pom,
        text.substring(0, start)
            + execution.strip()
            + text.substring(end + "</executions>".length()),
        StandardCharsets.UTF_8);

    RealBuild.Result after =
        build.run(
            project,
            RealBuild.currentJavaHome(),
            List.of("clean", "test-compile"),
            "setup-test-sources-2",
            null);
    Harness.assertCompiled(
        "a test fixture with a context field, setup.md's testCompile flags", after);
    Harness.assertExit(
        "a test fixture with a context field, setup.md's testCompile flags", true, after);
    assertEquals(List.of(), after.findings(), "log: " + after.log());
  }

  /**
   * test-data/modular: {@code requires org.ctx4j;} resolves, no finding, and it runs as a module.
   */
  @Test
  void theModularSampleBuildsAndRunsOnTheModulePath() throws Exception {
    RealBuild build = installed();
    Path project = build.copyProject(Harness.sample("modular"), "modular");
    RealBuild.Result result =
        build.run(project, RealBuild.currentJavaHome(), List.of("compile"), "modular", null);
    Harness.assertCompiled("modular", result);
    Harness.assertFindings(
        "modular", Harness.sample("modular").resolve("expected-findings.txt"), result);
    Harness.assertExit("modular", true, result);

    Path runtime =
        build
            .work()
            .resolve(
                "install-local-repo/org/ctx4j/ctx4j-runtime/" + V + "/ctx4j-runtime-" + V + ".jar");
    RealBuild.Result run =
        build.exec(
            List.of(
                RealBuild.currentJavaHome().resolve("bin/java").toString(),
                "--module-path",
                project.resolve("target/classes") + java.io.File.pathSeparator + runtime,
                "--module",
                "com.example.greeter/com.example.greeter.Greeter"),
            project,
            RealBuild.currentJavaHome(),
            "modular-run",
            null);
    Harness.assertExit("running the modular sample", true, run);
    assertEquals(
        List.of("hello, module from com.example.greeter using org.ctx4j"),
        run.output(),
        "log: " + run.log());
  }

  // ---- the setup page, read as a user copies it ----

  /** A fresh project made of docs/setup.md's pom.xml and .mvn/jvm.config blocks, nothing else. */
  static Path setupPageProject(RealBuild build, String name) throws IOException {
    Path project = build.work().resolve("builds").resolve(name);
    RealBuild.deleteRecursively(project);
    String readme = Files.readString(build.root().resolve("docs/setup.md"), StandardCharsets.UTF_8);
    write(project, "pom.xml", block(readme, "xml", "<?xml"));
    write(project, ".mvn/jvm.config", block(readme, "text", "--add-exports"));
    return project;
  }

  /** The first fenced block of the given language whose text starts with {@code start}. */
  static String block(String markdown, String language, String start) {
    Matcher m = Pattern.compile("(?ms)^```" + language + "\\n(.*?)^```").matcher(markdown);
    while (m.find()) {
      if (m.group(1).startsWith(start)) {
        return m.group(1);
      }
    }
    throw new AssertionError(
        "docs/setup.md has no ```" + language + " block starting with " + start);
  }

  private static void write(Path project, String path, String text) throws IOException {
    Path file = project.resolve(path);
    Files.createDirectories(file.getParent());
    Files.writeString(file, text, StandardCharsets.UTF_8);
  }
}
