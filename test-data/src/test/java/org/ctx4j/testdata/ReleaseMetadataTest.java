package org.ctx4j.testdata;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

/**
 * What Maven Central requires of a published pom (name, description, url, a license, developers,
 * scm), for every module the release deploys: each module names and describes itself, and inherits
 * the rest from the parent pom, which must hold it. A module that sets {@code maven.deploy.skip} is
 * not published and is not checked.
 */
final class ReleaseMetadataTest {
  private static final Path ROOT =
      Path.of(System.getProperty("ctx4j.root", "..")).toAbsolutePath().normalize();

  @Test
  void parentPomCarriesWhatEveryModuleInherits() throws Exception {
    Element parent = pom(ROOT.resolve("pom.xml"));
    for (String field : List.of("name", "description", "url")) {
      assertFalse(text(parent, field).isBlank(), "the parent pom has no <" + field + ">");
    }
    Element license = child(child(parent, "licenses"), "license");
    assertTrue(text(license, "name").contains("Apache"), "the license is not named Apache-2.0");
    assertTrue(text(license, "url").startsWith("https://"), "the license has no url");
    Element developer = child(child(parent, "developers"), "developer");
    assertFalse(text(developer, "name").isBlank(), "no developer has a name");
    Element scm = child(parent, "scm");
    for (String field : List.of("connection", "developerConnection", "url")) {
      assertFalse(text(scm, field).isBlank(), "the parent pom's <scm> has no <" + field + ">");
    }
    assertTrue(Files.isRegularFile(ROOT.resolve("LICENSE")), "no LICENSE file at the root");
  }

  @Test
  void everyPublishedModuleNamesAndDescribesItself() throws Exception {
    List<String> published = publishedModules();
    assertTrue(
        published.contains("context-runtime"), "ctx4j-runtime is not published: " + published);
    assertTrue(published.contains("checks"), "ctx4j-checks is not published: " + published);
    for (String module : published) {
      Element pom = pom(ROOT.resolve(module).resolve("pom.xml"));
      assertTrue(text(pom, "artifactId").startsWith("ctx4j-"), module + ": artifactId");
      assertFalse(text(pom, "name").isBlank(), module + " has no <name>");
      assertTrue(text(pom, "description").length() > 20, module + " has no real <description>");
      assertEquals(
          "ctx4j-parent",
          text(child(pom, "parent"), "artifactId"),
          module + " does not inherit url, license, developers and scm from ctx4j-parent");
      for (String inherited : List.of("url", "licenses", "developers", "scm")) {
        assertTrue(
            child(pom, inherited) == null,
            module + " overrides <" + inherited + ">: keep it in the parent pom only");
      }
    }
  }

  private static List<String> publishedModules() throws Exception {
    Element root = pom(ROOT.resolve("pom.xml"));
    List<String> published = new ArrayList<>();
    for (Node n = child(root, "modules").getFirstChild(); n != null; n = n.getNextSibling()) {
      if (n instanceof Element module && module.getTagName().equals("module")) {
        String name = module.getTextContent().trim();
        Element pom = pom(ROOT.resolve(name).resolve("pom.xml"));
        Element properties = child(pom, "properties");
        boolean skipped =
            properties != null && text(properties, "maven.deploy.skip").equals("true");
        if (!skipped) {
          published.add(name);
        }
      }
    }
    return published;
  }

  private static Element pom(Path file) throws Exception {
    DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
    factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
    Document document = factory.newDocumentBuilder().parse(file.toFile());
    return document.getDocumentElement();
  }

  /** The direct child element named {@code tag}, or null. */
  private static Element child(Element parent, String tag) {
    if (parent == null) {
      return null;
    }
    for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
      if (n instanceof Element e && e.getTagName().equals(tag)) {
        return e;
      }
    }
    return null;
  }

  private static String text(Element parent, String tag) {
    Element e = child(parent, tag);
    return e == null ? "" : e.getTextContent().trim();
  }
}
