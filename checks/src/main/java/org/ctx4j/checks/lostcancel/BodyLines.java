package org.ctx4j.checks.lostcancel;

import com.google.errorprone.VisitorState;
import com.google.errorprone.util.ASTHelpers;
import com.sun.source.tree.LineMap;
import com.sun.source.tree.Tree;

/** The source lines of an analysed body, for the lines LostCancel's messages name. */
final class BodyLines {
  private final LineMap lines;
  private final int bodyStart;
  private final int bodyEnd;

  BodyLines(Tree body, VisitorState state) {
    this.lines = state.getPath().getCompilationUnit().getLineMap();
    this.bodyStart = ASTHelpers.getStartPosition(body);
    this.bodyEnd = state.getEndPosition(body);
  }

  /** The line the body ends on, or 0 when unknown. */
  int endLine() {
    return bodyEnd <= 0 ? 0 : (int) lines.getLineNumber(Math.max(0, bodyEnd - 1));
  }

  /**
   * The line of {@code tree}, or 0 when it has no position inside the analysed body: the graph
   * builder makes synthetic trees (the index and length of an enhanced for over an array, the
   * temporaries of a switch expression) whose position is 0 or -1.
   */
  int line(Tree tree) {
    if (tree == null) {
      return 0;
    }
    int start = ASTHelpers.getStartPosition(tree);
    if (start < 0 || start < bodyStart || (bodyEnd > 0 && start > bodyEnd)) {
      return 0;
    }
    return (int) lines.getLineNumber(start);
  }
}
