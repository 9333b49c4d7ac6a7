package org.ctx4j.vet;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.google.errorprone.apply.DescriptionBasedDiff;
import com.google.errorprone.apply.ImportOrganizer;
import com.google.errorprone.apply.SourceFile;
import com.google.errorprone.fixes.Fix;
import com.google.errorprone.fixes.Replacement;
import com.google.errorprone.fixes.Replacements;
import com.google.errorprone.matchers.Description;
import com.sun.tools.javac.tree.JCTree.JCCompilationUnit;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * Applies the suggested fixes in place, as Error Prone's patch mode ({@code -XepPatchChecks} with
 * {@code -XepPatchLocation:IN_PLACE}) does: the first fix of each finding, imports added and
 * removed the same way. Unlike patch mode, a fix is applied whole or not at all: one that overlaps
 * a fix already taken in the same file is skipped and reported, never half applied.
 */
final class Fixes {
  /**
   * What {@link #apply} did.
   *
   * @param applied the findings whose fix was applied
   * @param skipped the findings whose fix overlapped another and was left out
   * @param files the files rewritten
   */
  record Report(List<Located> applied, List<Located> skipped, List<Path> files) {}

  /** A finding's place: file, line and column javac would print, check. */
  record Located(Path file, int line, int column, String check) {}

  private Fixes() {}

  static Report apply(Map<JCCompilationUnit, List<Description>> described) throws IOException {
    List<Located> applied = new ArrayList<>();
    List<Located> skipped = new ArrayList<>();
    List<Path> files = new ArrayList<>();
    for (Map.Entry<JCCompilationUnit, List<Description>> entry : described.entrySet()) {
      JCCompilationUnit unit = entry.getKey();
      Path file = Path.of(unit.getSourceFile().toUri());
      List<Description> descriptions = new ArrayList<>(entry.getValue());
      descriptions.sort(Comparator.comparingInt(d -> d.position.getStartPosition()));
      List<Fix> taken = new ArrayList<>();
      List<Located> takenHere = new ArrayList<>();
      for (Description description : descriptions) {
        if (description.fixes.isEmpty() || description.fixes.get(0).isEmpty()) {
          continue;
        }
        Fix fix = description.fixes.get(0);
        Located where = locate(unit, file, description);
        if (fits(unit, taken, fix)) {
          taken.add(fix);
          takenHere.add(where);
        } else {
          skipped.add(where);
        }
      }
      if (taken.isEmpty()) {
        continue;
      }
      DescriptionBasedDiff diff =
          DescriptionBasedDiff.create(unit, ImportOrganizer.STATIC_FIRST_ORGANIZER);
      taken.forEach(diff::handleFix);
      SourceFile source = SourceFile.create(unit.getSourceFile());
      String before = source.getSourceText();
      try {
        diff.applyDifferences(source);
      } catch (IllegalArgumentException e) {
        // The rewritten import block overlaps a fix: leave the file as it is.
        skipped.addAll(takenHere);
        continue;
      }
      if (!source.getSourceText().equals(before)) {
        Files.writeString(file, source.getSourceText(), UTF_8);
        files.add(file);
      }
      applied.addAll(takenHere);
    }
    return new Report(applied, skipped, files);
  }

  /** Whether {@code fix} can join {@code taken} without overlapping any of their replacements. */
  private static boolean fits(JCCompilationUnit unit, List<Fix> taken, Fix fix) {
    Replacements all = new Replacements();
    try {
      for (Fix other : taken) {
        addAll(all, unit, other);
      }
      addAll(all, unit, fix);
      return true;
    } catch (IllegalArgumentException overlap) {
      return false;
    }
  }

  private static void addAll(Replacements all, JCCompilationUnit unit, Fix fix) {
    for (Replacement replacement : fix.getReplacements(unit.endPositions)) {
      all.add(replacement, fix.getCoalescePolicy());
    }
  }

  private static Located locate(JCCompilationUnit unit, Path file, Description description) {
    int at = description.position.getPreferredPosition();
    return new Located(
        file,
        (int) unit.getLineMap().getLineNumber(at),
        (int) unit.getLineMap().getColumnNumber(at),
        description.checkName);
  }
}
