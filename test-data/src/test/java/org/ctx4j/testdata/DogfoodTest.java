package org.ctx4j.testdata;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * ctx4j compiles its own code that uses contexts with its own checks: the root pom's {@code
 * ctx4j-dogfood} profile turns every check on at ERROR ({@code ctx4j.dogfood.flags}) in each module
 * that holds a file named {@code .ctx4j-dogfood}. This keeps the list complete as checks are added,
 * and the marker in every module whose main code uses the runtime.
 */
final class DogfoodTest {
  private static final Path ROOT =
      Path.of(System.getProperty("ctx4j.root", "..")).toAbsolutePath().normalize();

  /** The modules that are not users of the runtime: the runtime, the checks, the samples. */
  private static final Set<String> NOT_USERS = Set.of("context-runtime", "checks", "test-data");

  @Test
  void theDogfoodFlagsTurnOnEveryCheckAtError() throws IOException {
    String pom = Files.readString(ROOT.resolve("pom.xml"));
    Matcher property =
        Pattern.compile("<ctx4j\\.dogfood\\.flags>([^<]*)</ctx4j\\.dogfood\\.flags>").matcher(pom);
    assertTrue(property.find(), "the root pom sets no ctx4j.dogfood.flags in its profile");
    Set<String> flagged = new TreeSet<>();
    Matcher flag = Pattern.compile("-Xep:(\\w+):(\\w+)").matcher(property.group(1));
    while (flag.find()) {
      assertEquals("ERROR", flag.group(2), "-Xep:" + flag.group(1) + " in ctx4j.dogfood.flags");
      flagged.add(flag.group(1));
    }
    assertEquals(
        checks(),
        flagged,
        "ctx4j.dogfood.flags in the root pom must name each check of ctx4j-checks, as"
            + " -Xep:<Name>:ERROR");
  }

  @Test
  void everyModuleThatUsesTheRuntimeIsCompiledWithTheChecks() throws IOException {
    String pom = Files.readString(ROOT.resolve("pom.xml"));
    Matcher module = Pattern.compile("<module>([^<]+)</module>").matcher(pom);
    List<String> missing = new ArrayList<>();
    while (module.find()) {
      String name = module.group(1);
      Path dir = ROOT.resolve(name);
      if (!NOT_USERS.contains(name)
          && usesTheRuntime(dir.resolve("src/main/java"))
          && !Files.exists(dir.resolve(".ctx4j-dogfood"))) {
        missing.add(name);
      }
    }
    assertEquals(
        List.of(),
        missing,
        "these modules use org.ctx4j but hold no .ctx4j-dogfood file (add an empty one, then fix"
            + " what the checks find)");
  }

  private static Set<String> checks() throws IOException {
    Set<String> names = new TreeSet<>();
    try (Stream<Path> files = Files.walk(ROOT.resolve("checks/src/main/java"))) {
      files
          .filter(p -> p.toString().endsWith(".java"))
          .filter(p -> read(p).contains("@BugPattern("))
          .forEach(p -> names.add(p.getFileName().toString().replace(".java", "")));
    }
    assertTrue(names.contains("LostCancel"), "no checks found under checks/: " + names);
    return names;
  }

  private static boolean usesTheRuntime(Path sources) throws IOException {
    if (!Files.isDirectory(sources)) {
      return false;
    }
    try (Stream<Path> files = Files.walk(sources)) {
      return files
          .filter(p -> p.toString().endsWith(".java"))
          .anyMatch(p -> read(p).contains("import org.ctx4j."));
    }
  }

  private static String read(Path p) {
    try {
      return Files.readString(p);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
