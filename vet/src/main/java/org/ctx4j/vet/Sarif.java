package org.ctx4j.vet;

import com.google.errorprone.BugCheckerInfo;
import com.google.errorprone.BugPattern.SeverityLevel;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The findings as a SARIF 2.1.0 log, for code scanning (GitHub's, or any SARIF viewer): one run,
 * the tool's rules (one per check, from its {@code @BugPattern} and its doc page), one result per
 * finding with its exact region, a fingerprint that survives lines moving, and its fixes.
 */
final class Sarif {
  static final String SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json";
  static final String INFORMATION_URI = "https://github.com/ctx4j/ctx4j";

  /** The name of the fingerprint in {@code partialFingerprints}; the suffix is its version. */
  static final String FINGERPRINT = "ctx4jFinding/v1";

  private static final String SOURCE_ROOT = "%SRCROOT%";
  private static final JsonMapper JSON = JsonMapper.builder().build();

  private Sarif() {}

  /**
   * Writes the log to {@code file}: {@code findings} of {@code checks}, paths relative to {@code
   * root} where they are under it.
   */
  static void write(Path file, Collection<BugCheckerInfo> checks, List<Finding> findings, Path root)
      throws IOException {
    ObjectNode log = JSON.createObjectNode();
    log.put("$schema", SCHEMA);
    log.put("version", "2.1.0");
    ObjectNode run = log.putArray("runs").addObject();
    ObjectNode driver = run.putObject("tool").putObject("driver");
    driver.put("name", "ctx4j-vet");
    driver.put("version", Version.VET);
    driver.put("informationUri", INFORMATION_URI);
    ArrayNode rules = driver.putArray("rules");
    Map<String, Integer> ruleIndex = new HashMap<>();
    for (BugCheckerInfo check : checks) {
      ruleIndex.put(check.canonicalName(), ruleIndex.size());
      rule(rules.addObject(), check);
    }
    run.putObject("originalUriBaseIds").putObject(SOURCE_ROOT).put("uri", root.toUri().toString());
    run.put("columnKind", "utf16CodeUnits");
    ArrayNode results = run.putArray("results");
    Map<String, Integer> occurrences = new HashMap<>();
    for (Finding finding : findings) {
      ObjectNode result = results.addObject();
      result.put("ruleId", finding.check());
      Integer index = ruleIndex.get(finding.check());
      if (index != null) {
        result.put("ruleIndex", index.intValue());
      }
      result.put("level", level(finding.severity()));
      result.putObject("message").put("text", finding.message());
      ObjectNode physical = result.putArray("locations").addObject().putObject("physicalLocation");
      artifact(physical.putObject("artifactLocation"), finding.file(), root);
      ObjectNode region = region(physical.putObject("region"), finding.region());
      region.putObject("snippet").put("text", finding.flagged());
      String path = relative(finding.file(), root);
      String normalized = finding.flagged().strip().replaceAll("\\s+", " ");
      String key = finding.check() + '\0' + path + '\0' + normalized;
      int occurrence = occurrences.merge(key, 1, Integer::sum) - 1;
      result.putObject("partialFingerprints").put(FINGERPRINT, sha256(key + '\0' + occurrence));
      if (!finding.fixes().isEmpty()) {
        ArrayNode fixes = result.putArray("fixes");
        for (Finding.SuggestedEdit edit : finding.fixes()) {
          ObjectNode fix = fixes.addObject();
          fix.putObject("description")
              .put(
                  "text",
                  edit.description().isEmpty() ? "Apply the suggested fix" : edit.description());
          ObjectNode change = fix.putArray("artifactChanges").addObject();
          artifact(change.putObject("artifactLocation"), finding.file(), root);
          ArrayNode replacements = change.putArray("replacements");
          for (Finding.Replacement replacement : edit.replacements()) {
            ObjectNode r = replacements.addObject();
            region(r.putObject("deletedRegion"), replacement.region());
            r.putObject("insertedContent").put("text", replacement.text());
          }
        }
      }
    }
    run.putArray("invocations").addObject().put("executionSuccessful", true);
    try (OutputStream out = Files.newOutputStream(file)) {
      JSON.writerWithDefaultPrettyPrinter().writeValue(out, log);
    }
  }

  private static void rule(ObjectNode rule, BugCheckerInfo check) {
    String name = check.canonicalName();
    rule.put("id", name);
    rule.put("name", name);
    rule.putObject("shortDescription").put("text", check.message());
    String page = Checks.docPage(name);
    String first = page == null ? null : firstParagraph(page);
    rule.putObject("fullDescription").put("text", first == null ? check.message() : first);
    if (check.linkUrl() != null && !check.linkUrl().isEmpty()) {
      rule.put("helpUri", check.linkUrl());
    }
    ObjectNode help = rule.putObject("help");
    help.put(
        "text", check.message() + (check.linkUrl() == null ? "" : " (" + check.linkUrl() + ")"));
    if (page != null) {
      help.put("markdown", page);
    }
    rule.putObject("defaultConfiguration").put("level", level(check.defaultSeverity()));
  }

  /** The first paragraph of a doc page that is not a heading: the rule in one sentence. */
  static String firstParagraph(String markdown) {
    StringBuilder paragraph = new StringBuilder();
    for (String line : markdown.lines().toList()) {
      String text = line.strip();
      if (text.isEmpty()) {
        if (paragraph.length() > 0) {
          break;
        }
      } else if (!text.startsWith("#") || paragraph.length() > 0) {
        if (text.startsWith("#")) {
          break;
        }
        paragraph.append(paragraph.length() == 0 ? "" : " ").append(text);
      }
    }
    // Plain text: without the page's bold lead-in and code marks.
    return paragraph.length() == 0
        ? null
        : paragraph.toString().replaceFirst("^\\*\\*[^*]+:\\*\\*\\s*", "").replace("`", "");
  }

  static String level(SeverityLevel severity) {
    return switch (severity) {
      case ERROR -> "error";
      case WARNING -> "warning";
      case SUGGESTION -> "note";
    };
  }

  private static void artifact(ObjectNode location, Path file, Path root) {
    if (file.startsWith(root)) {
      location.put("uri", relative(file, root));
      location.put("uriBaseId", SOURCE_ROOT);
    } else {
      location.put("uri", file.toUri().toString());
    }
  }

  private static String relative(Path file, Path root) {
    if (!file.startsWith(root)) {
      return file.toUri().toString();
    }
    List<String> parts = new ArrayList<>();
    for (Path part : root.relativize(file)) {
      parts.add(part.toString());
    }
    try {
      // A relative URI reference: what a file name may hold and a URI may not is escaped.
      return new URI(null, null, String.join("/", parts), null).getRawPath();
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException(e);
    }
  }

  private static ObjectNode region(ObjectNode node, Finding.Region region) {
    node.put("startLine", region.startLine());
    node.put("startColumn", region.startColumn());
    node.put("endLine", region.endLine());
    node.put("endColumn", region.endColumn());
    node.put("charOffset", region.start());
    node.put("charLength", region.end() - region.start());
    return node;
  }

  private static String sha256(String text) {
    try {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      return HexFormat.of().formatHex(digest.digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
