package org.ctx4j.vet;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/** What {@code --sarif} writes: valid SARIF 2.1.0, exact regions, stable fingerprints, fixes. */
@Timeout(value = 10, unit = TimeUnit.MINUTES) // javac and Maven on a loaded machine
final class SarifTest {
  private static final Path VIOLATIONS = VetRun.root().resolve("test-data/violations");
  private static final JsonMapper JSON = JsonMapper.builder().build();

  @TempDir Path work;

  private static Schema schema() throws IOException {
    try (InputStream in = SarifTest.class.getResourceAsStream("/sarif-schema-2.1.0.json")) {
      return SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_4).getSchema(in);
    }
  }

  private JsonNode sarifOf(Path sources, String name) throws IOException {
    Path file = work.resolve(name);
    VetRun run = VetRun.inProcess("--sarif", file.toString(), sources.toString());
    assertTrue(run.status() == Vet.FINDINGS || run.status() == Vet.CLEAN, run::toString);
    return JSON.readTree(Files.readString(file, UTF_8));
  }

  @Test
  void validatesAgainstTheOfficialSchema() throws IOException {
    JsonNode log = sarifOf(VIOLATIONS.resolve("src/main/java"), "violations.sarif");
    Schema schema = schema();
    List<Error> errors = schema.validate(log);
    assertEquals(List.of(), errors);
    JsonNode clean = sarifOf(VetRun.root().resolve("test-data/clean/src/main/java"), "clean.sarif");
    assertEquals(List.of(), schema.validate(clean));
    assertEquals(0, clean.get("runs").get(0).get("results").size());

    // The schema does reject what is not SARIF.
    ObjectNode broken = (ObjectNode) log.deepCopy();
    broken.put("version", "2.0.0");
    ((ObjectNode) broken.get("runs").get(0).get("results").get(0)).put("level", "fatal");
    assertEquals(2, schema.validate(broken).size(), () -> schema.validate(broken).toString());
  }

  @Test
  void rulesResultsRegionsAndFixes() throws IOException {
    JsonNode run =
        sarifOf(VIOLATIONS.resolve("src/main/java"), "violations.sarif").get("runs").get(0);
    JsonNode driver = run.get("tool").get("driver");
    assertEquals("ctx4j-vet", driver.get("name").asString());
    assertEquals(Sarif.INFORMATION_URI, driver.get("informationUri").asString());
    assertFalse(driver.get("version").asString().isEmpty());
    List<String> ruleIds = new ArrayList<>();
    for (JsonNode rule : driver.get("rules")) {
      String id = rule.get("id").asString();
      ruleIds.add(id);
      assertEquals(
          "https://github.com/ctx4j/ctx4j/blob/main/docs/checks/" + id + ".md",
          rule.get("helpUri").asString());
      assertFalse(rule.get("shortDescription").get("text").asString().isEmpty());
      assertFalse(rule.get("fullDescription").get("text").asString().isEmpty());
      assertTrue(rule.get("help").has("markdown"), id + " has no doc page in the jar");
    }
    assertEquals(List.copyOf(Checks.all().keySet()), ruleIds);

    JsonNode results = run.get("results");
    assertEquals(VetRun.golden(VIOLATIONS.resolve("expected-findings.txt")).size(), results.size());
    int withFixes = 0;
    for (JsonNode result : results) {
      assertEquals(ruleIds.get(result.get("ruleIndex").asInt()), result.get("ruleId").asString());
      JsonNode location = result.get("locations").get(0).get("physicalLocation");
      JsonNode region = location.get("region");
      Path file =
          VIOLATIONS
              .resolve("src/main/java")
              .resolve(
                  location
                      .get("artifactLocation")
                      .get("uri")
                      .asString()
                      .replaceFirst("^.*/src/main/java/", ""));
      String text = Files.readString(file, UTF_8);
      int offset = region.get("charOffset").asInt();
      int length = region.get("charLength").asInt();
      assertTrue(length > 0, result::toString);
      // The region's text is the snippet, and its lines and columns agree with its offsets.
      assertEquals(
          text.substring(offset, offset + length), region.get("snippet").get("text").asString());
      assertEquals(
          lineColumn(text, offset),
          List.of(region.get("startLine").asInt(), region.get("startColumn").asInt()));
      assertEquals(
          lineColumn(text, offset + length),
          List.of(region.get("endLine").asInt(), region.get("endColumn").asInt()));
      if (result.has("fixes")) {
        withFixes++;
        for (JsonNode replacement :
            result.get("fixes").get(0).get("artifactChanges").get(0).get("replacements")) {
          JsonNode deleted = replacement.get("deletedRegion");
          assertEquals(
              lineColumn(text, deleted.get("charOffset").asInt()),
              List.of(deleted.get("startLine").asInt(), deleted.get("startColumn").asInt()));
          assertTrue(replacement.get("insertedContent").has("text"));
        }
      }
    }
    // Every finding that --fix fixes carries its fix: all of violations' findings but those that
    // the patch sample keeps (see VetTest).
    assertEquals(
        VetRun.golden(VIOLATIONS.resolve("expected-findings.txt")).size()
            - VetRun.golden(VetRun.root().resolve("test-data/patch/expected-findings.txt")).size(),
        withFixes);
  }

  @Test
  void fingerprintsSurviveLinesMoving(@TempDir Path copy) throws IOException {
    VetTest.copyTree(VIOLATIONS.resolve("src"), copy.resolve("src"));
    Set<String> before = fingerprints(sarifOf(copy.resolve("src/main/java"), "before.sarif"));
    for (String name : List.of("OrderService.java", "InventoryClient.java")) {
      Path file = copy.resolve("src/main/java/com/example/orders").resolve(name);
      String text = Files.readString(file, UTF_8);
      Files.writeString(file, text.replaceFirst("\npublic ", "\n// moved\n\n\npublic "), UTF_8);
    }
    Set<String> after = fingerprints(sarifOf(copy.resolve("src/main/java"), "after.sarif"));
    assertEquals(before, after);
    assertEquals(VetRun.golden(VIOLATIONS.resolve("expected-findings.txt")).size(), before.size());

    Path file = copy.resolve("src/main/java/com/example/orders/OrderService.java");
    Files.writeString(file, Files.readString(file, UTF_8).replace("rootContext", "rootCtx"), UTF_8);
    assertNotEquals(before, fingerprints(sarifOf(copy.resolve("src/main/java"), "changed.sarif")));
  }

  private static Set<String> fingerprints(JsonNode log) {
    Set<String> all = new HashSet<>();
    for (JsonNode result : log.get("runs").get(0).get("results")) {
      all.add(result.get("partialFingerprints").get(Sarif.FINGERPRINT).asString());
    }
    return all;
  }

  /** The 1-based line and column (UTF-16 units) of {@code offset} in {@code text}. */
  private static List<Integer> lineColumn(String text, int offset) {
    int line = 1;
    int lineStart = 0;
    for (int i = 0; i < offset; i++) {
      if (text.charAt(i) == '\n') {
        line++;
        lineStart = i + 1;
      }
    }
    return List.of(line, offset - lineStart + 1);
  }
}
