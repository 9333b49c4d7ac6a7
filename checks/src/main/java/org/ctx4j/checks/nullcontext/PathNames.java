package org.ctx4j.checks.nullcontext;

import com.google.errorprone.VisitorState;
import com.google.errorprone.util.ASTHelpers;
import com.sun.source.tree.CaseTree;
import com.sun.source.tree.IfTree;
import com.sun.source.tree.LineMap;
import com.sun.source.tree.SwitchTree;
import com.sun.source.tree.Tree;
import com.sun.source.tree.TryTree;
import com.sun.tools.javac.code.Symbol.VarSymbol;

/**
 * The words of the sentence {@link NullPaths} returns: the branch a null passed through last ("when
 * the `if (retry)` at line 12 is not taken"), each {@code if}, loop, {@code switch} and {@code try}
 * named by its source or kind and its line, and the sentence itself.
 */
final class PathNames {
  /** The longest condition quoted in a message; longer ones are named by their line only. */
  private static final int MAX_QUOTED = 40;

  private final VisitorState state;
  private final LineMap lines;

  PathNames(VisitorState state, LineMap lines) {
    this.state = state;
    this.lines = lines;
  }

  /**
   * "ctx is null here when the `if (retry)` at line 12 is not taken (set to null at line 7)", for
   * {@code local} assigned null at {@code origin}; {@code reason} null: no branch since.
   */
  String sentence(VarSymbol local, Tree origin, String reason) {
    String name = local.getSimpleName().toString();
    long assigned = line(origin);
    return reason == null
        ? name + " is null here (set to null at line " + assigned + ")"
        : name + " is null here " + reason + " (set to null at line " + assigned + ")";
  }

  /** "when the `if (retry)` at line 12 is taken", or "is not taken". */
  String ifBranch(IfTree tree, boolean taken) {
    String quoted = quote("if " + source(tree.getCondition()), tree);
    return "when " + quoted + (taken ? " is taken" : " is not taken");
  }

  /** "when the `while` loop at line 12 comes round again". */
  String loopComesRound(Tree loop) {
    return "when " + loopName(loop) + " comes round again";
  }

  /** "when the `for` loop at line 12 runs no iteration". */
  String loopRunsNoIteration(Tree loop) {
    return "when " + loopName(loop) + " runs no iteration";
  }

  /** "when the `for` loop at line 12 ends in its first iteration" (a {@code break}). */
  String loopEndsInFirstIteration(Tree loop) {
    return "when " + loopName(loop) + " ends in its first iteration";
  }

  /** "in the first iteration of the `for` loop at line 12". */
  String firstIterationOf(Tree loop) {
    return "in the first iteration of " + loopName(loop);
  }

  /** "when the `switch` at line 12 takes `case A`", or "takes its default". */
  String switchCase(SwitchTree tree, CaseTree caseTree) {
    String quoted = quote("switch", tree);
    return caseTree.getExpressions().isEmpty()
        ? "when " + quoted + " takes its default"
        : "when " + quoted + " takes `case " + source(caseTree.getExpressions().get(0)) + "`";
  }

  /** "when the `switch` at line 12 matches no case". */
  String switchMatchesNoCase(SwitchTree tree) {
    return "when " + quote("switch", tree) + " matches no case";
  }

  /** "when the `try` block at line 12 throws". */
  String tryThrows(TryTree tree) {
    return "when the `try` block at line " + line(tree) + " throws";
  }

  private String loopName(Tree loop) {
    String kind =
        switch (loop.getKind()) {
          case WHILE_LOOP -> "while";
          case DO_WHILE_LOOP -> "do";
          default -> "for";
        };
    return "the `" + kind + "` loop at line " + line(loop);
  }

  private long line(Tree tree) {
    return lines.getLineNumber(ASTHelpers.getStartPosition(tree));
  }

  /** "the `if (retry)` at line 12", or "the `if` at line 12" when the source is long. */
  private String quote(String written, Tree tree) {
    String text = written.replaceAll("\\s+", " ");
    if (text.length() > MAX_QUOTED) {
      text =
          written.substring(0, written.indexOf(' ') < 0 ? written.length() : written.indexOf(' '));
    }
    return "the `" + text + "` at line " + line(tree);
  }

  private String source(Tree tree) {
    String source = state.getSourceForNode(tree);
    return source == null ? "..." : source;
  }
}
