package org.ctx4j.checks.support;

import com.google.errorprone.VisitorState;
import com.google.errorprone.fixes.SuggestedFix;
import com.google.errorprone.util.ASTHelpers;
import com.sun.source.tree.LiteralTree;
import com.sun.source.tree.Tree;
import com.sun.source.util.TreePath;
import com.sun.source.util.TreeScanner;
import java.util.ArrayList;
import java.util.List;

/**
 * Source-text layout for fixes that wrap statements in a new block: the indentation of a line, the
 * file's indentation unit, and moving lines one level in without touching text blocks.
 */
public final class Indentation {
  private Indentation() {}

  /**
   * Moves every line from {@code from} to {@code to} one indentation level deeper, by inserting
   * {@code unit} into its leading whitespace ({@code offset} characters in, so that nested fixes
   * never insert at the same place). Blank lines stay empty, and lines that start inside a
   * multi-line string literal (a text block) stay as they are: their text is the string's value.
   * The lines of {@code skipped} statements, which the fix deletes, are left alone too.
   */
  public static void reindent(
      SuggestedFix.Builder fix,
      int from,
      int to,
      List<? extends Tree> wrapped,
      List<? extends Tree> skipped,
      String unit,
      int offset,
      VisitorState state) {
    CharSequence source = state.getSourceCode();
    if (source == null || from < 0 || to > source.length() || to <= from) {
      return;
    }
    List<int[]> literals = new ArrayList<>();
    TreeScanner<Void, Void> scanner =
        new TreeScanner<>() {
          @Override
          public Void visitLiteral(LiteralTree literal, Void unused) {
            if (literal.getKind() == Tree.Kind.STRING_LITERAL) {
              int start = ASTHelpers.getStartPosition(literal);
              int end = state.getEndPosition(literal);
              if (start >= 0 && end > start && end <= source.length()) {
                for (int i = start; i < end; i++) {
                  if (source.charAt(i) == '\n') {
                    literals.add(new int[] {start, end});
                    break;
                  }
                }
              }
            }
            return null;
          }
        };
    for (Tree statement : wrapped) {
      scanner.scan(statement, null);
    }
    for (Tree statement : skipped) {
      // Lines that the fix deletes keep their text as it is: no insertion inside a deletion.
      int start = ASTHelpers.getStartPosition(statement);
      while (start > 0 && source.charAt(start - 1) != '\n') {
        start--;
      }
      literals.add(new int[] {start - 1, state.getEndPosition(statement) + 1});
    }
    literals.sort((a, b) -> Integer.compare(a[0], b[0]));
    int literal = 0;
    for (int p = from; p < to; p++) {
      if (source.charAt(p) != '\n') {
        continue;
      }
      int lineStart = p + 1;
      while (literal < literals.size() && literals.get(literal)[1] <= lineStart) {
        literal++;
      }
      if (literal < literals.size()
          && literals.get(literal)[0] < lineStart
          && lineStart < literals.get(literal)[1]) {
        continue; // inside a text block, or a deleted line
      }
      int text = lineStart;
      while (text < to && (source.charAt(text) == ' ' || source.charAt(text) == '\t')) {
        text++;
      }
      if (text >= to || source.charAt(text) == '\n' || source.charAt(text) == '\r') {
        continue; // a blank line
      }
      int at = lineStart + Math.min(offset, text - lineStart);
      fix.replace(at, at, unit);
    }
  }

  /** Whether only whitespace precedes {@code tree} on its line. */
  public static boolean startsLine(Tree tree, VisitorState state) {
    CharSequence source = state.getSourceCode();
    int start = ASTHelpers.getStartPosition(tree);
    if (source == null || start < 0 || start > source.length()) {
      return false;
    }
    for (int i = start - 1; i >= 0 && source.charAt(i) != '\n'; i--) {
      if (source.charAt(i) != ' ' && source.charAt(i) != '\t') {
        return false;
      }
    }
    return true;
  }

  /**
   * The file's indentation unit, as this block uses it: what the statement's indentation adds to
   * that of the line that opens the block. Otherwise a tab where the file indents with tabs, else
   * two spaces (four where the statement's indentation is a multiple of four).
   */
  public static String unit(TreePath declarationPath, String indent, VisitorState state) {
    CharSequence source = state.getSourceCode();
    int blockStart = ASTHelpers.getStartPosition(declarationPath.getParentPath().getLeaf());
    if (source != null && blockStart >= 0 && blockStart <= source.length()) {
      int lineStart = blockStart;
      while (lineStart > 0 && source.charAt(lineStart - 1) != '\n') {
        lineStart--;
      }
      int text = lineStart;
      while (text < blockStart && (source.charAt(text) == ' ' || source.charAt(text) == '\t')) {
        text++;
      }
      String outer = source.subSequence(lineStart, text).toString();
      if (indent.length() > outer.length() && indent.startsWith(outer)) {
        return indent.substring(outer.length());
      }
    }
    if (indent.contains("\t")) {
      return "\t";
    }
    return !indent.isEmpty() && indent.length() % 4 == 0 ? "    " : "  ";
  }

  /** The whitespace before {@code tree} on its line, so the closing brace lines up with the try. */
  public static String of(Tree tree, VisitorState state) {
    CharSequence source = state.getSourceCode();
    int start = ASTHelpers.getStartPosition(tree);
    if (source == null || start < 0 || start > source.length()) {
      return "";
    }
    int lineStart = start;
    while (lineStart > 0 && source.charAt(lineStart - 1) != '\n') {
      lineStart--;
    }
    String prefix = source.subSequence(lineStart, start).toString();
    return prefix.isBlank() ? prefix : "";
  }
}
