package org.ctx4j.checks.support;

import com.google.errorprone.VisitorState;
import com.google.errorprone.bugpatterns.BugChecker;
import com.google.errorprone.bugpatterns.BugChecker.CompilationUnitTreeMatcher;
import com.google.errorprone.matchers.Description;
import com.sun.source.tree.CompilationUnitTree;

/**
 * The base of every ctx4j check: learns at the start of each source file whether the file mentions
 * a context type at all ({@link ContextFreeFiles}), so that each of the check's matchers can return
 * at once, with {@link #skipsFile()}, in a file that cannot have a finding.
 *
 * <p>Invariant: Error Prone calls {@link #matchCompilationUnit} for a file before any other matcher
 * of the same check on that file's trees, and not at all only where the check is suppressed for the
 * whole file, in which case it calls none of them; so {@link #skipsFile()} always answers for the
 * file whose trees are being matched. A check instance serves one compilation at a time.
 */
public abstract class ContextChecker extends BugChecker implements CompilationUnitTreeMatcher {
  private static final long serialVersionUID = 1L;

  private boolean skipsFile;

  @Override
  public final Description matchCompilationUnit(CompilationUnitTree tree, VisitorState state) {
    skipsFile = ContextFreeFiles.isContextFree(tree, state);
    startFile();
    return Description.NO_MATCH;
  }

  /** Called at the start of each file, for a check that keeps something per file. */
  protected void startFile() {}

  /** Whether the file being analysed mentions no context type: no finding is possible in it. */
  protected final boolean skipsFile() {
    return skipsFile;
  }
}
