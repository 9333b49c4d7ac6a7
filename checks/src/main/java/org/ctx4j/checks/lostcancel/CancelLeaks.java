package org.ctx4j.checks.lostcancel;

import static org.ctx4j.checks.lostcancel.PendingSites.isSet;

import java.util.ArrayList;
import java.util.List;
import org.ctx4j.checks.lostcancel.Leak.Exit;
import org.ctx4j.checks.lostcancel.PendingSites.Witness;

/**
 * The leaks {@link CancelSolver} reports once its fixed point is reached: per site the first of an
 * overwrite that lost it, a normal exit it is still pending at, or (with the exceptional-paths
 * option) the exceptional exit, each with the line and kind of exit the message names.
 */
final class CancelLeaks {
  private CancelLeaks() {}

  /**
   * {@code atExit}: the state at the normal exit, null when it is not checked or not reached;
   * {@code atThrow}: the same for the exceptional exit.
   */
  static List<Leak> collect(
      Leak[] overwritten,
      PendingSites atExit,
      PendingSites atThrow,
      CancelEvents events,
      BodyLines lines) {
    Leak[] found = overwritten.clone();
    int siteCount = found.length;
    if (atExit != null) {
      int endLine = lines.endLine();
      for (int i = 0; i < siteCount; i++) {
        if (found[i] == null && isSet(atExit.pending, i)) {
          found[i] = normalExitLeak(events.sites.get(i), atExit.witness[i], endLine, events);
        }
      }
    }
    if (atThrow != null) {
      for (int i = 0; i < siteCount; i++) {
        if (found[i] == null && isSet(atThrow.pending, i)) {
          boolean onlyPastCatch =
              Witness.of(atThrow.witness[i]) == Witness.ERROR_PAST_CATCH
                  && !isSet(atThrow.plainThrow, i);
          Exit kind = onlyPastCatch ? Exit.ERROR_PAST_CATCH : Exit.EXCEPTION;
          found[i] = Leak.of(events.sites.get(i), kind, Witness.line(atThrow.witness[i]), 0);
        }
      }
    }
    List<Leak> leaks = new ArrayList<>();
    for (Leak leak : found) {
      if (leak != null) {
        leaks.add(leak);
      }
    }
    return leaks;
  }

  private static Leak normalExitLeak(
      CreationSite site, int witness, int endLine, CancelEvents events) {
    Witness kind = Witness.of(witness);
    int line = Witness.line(witness);
    if (kind == Witness.RETURN) {
      return Leak.of(site, Exit.RETURN, line, 0);
    }
    if (kind == Witness.EXCEPTION) {
      return Leak.of(site, Exit.END_AFTER_CATCH, endLine, line);
    }
    // The graph has no node for `return;`: without one in the body the path fell off the end;
    // with one, name the last line the path ran.
    if (!events.voidReturns || line == 0) {
      return Leak.of(site, Exit.END, endLine, 0);
    }
    return Leak.of(site, Exit.LEFT_AFTER, line, 0);
  }
}
