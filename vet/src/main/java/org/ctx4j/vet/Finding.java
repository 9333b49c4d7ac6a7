package org.ctx4j.vet;

import com.google.errorprone.BugPattern.SeverityLevel;
import java.nio.file.Path;
import java.util.List;

/**
 * One finding of one check.
 *
 * @param file the source file, absolute
 * @param check the check's name
 * @param message what is wrong and what to do (without the check's name or link)
 * @param severity the check's severity
 * @param line the line javac would print for it (of the diagnostic's preferred position), from 1
 * @param column the column javac would print for it, from 1 (UTF-16 code units, tabs not expanded)
 * @param region what the finding covers, from the diagnostic's start to its end position
 * @param flagged the source text of the region
 * @param fixes the suggested fixes, the one Error Prone's patch mode applies first
 */
record Finding(
    Path file,
    String check,
    String message,
    SeverityLevel severity,
    int line,
    int column,
    Region region,
    String flagged,
    List<SuggestedEdit> fixes) {

  /** A span of a source file: character offsets (end exclusive) and their lines and columns. */
  record Region(int start, int end, int startLine, int startColumn, int endLine, int endColumn) {}

  /** One suggested fix: its description (may be empty) and its replacements, in file order. */
  record SuggestedEdit(String description, List<Replacement> replacements) {}

  /** Replace {@code region} by {@code text} (an insertion when the region is empty). */
  record Replacement(Region region, String text) {}
}
