package org.ctx4j.checks;

/**
 * The lattice of {@link CancelSolver}, for one point of a control-flow graph: which creation sites
 * may be pending (their context held, uncancelled, in its variable), which are created but not yet
 * stored, and per site a witness: the line and kind of the last place a path that keeps it pending
 * went through, which the message names. Sites are numbered; sets of sites are bit sets of {@code
 * long} words.
 */
final class CancelState {
  /** How many low bits of a witness hold its {@link Witness} kind; the line is above them. */
  private static final int KIND_BITS = 3;

  private static final int KIND_MASK = (1 << KIND_BITS) - 1;

  /** What a witness records, strongest last (a join keeps the stronger). */
  enum Witness {
    /** None yet. */
    NONE,
    /** The last node of the path so far: replaced as the path goes on. */
    LAST,
    /** A return statement with a value: kept through finally blocks. */
    RETURN,
    /** An exception: kept until a return. */
    EXCEPTION,
    /**
     * An {@code Error} (or another {@code Throwable} that is not an {@code Exception}) thrown where
     * a handler catches the exceptions: it escapes the catch that would have cancelled.
     */
    ERROR_PAST_CATCH;

    @SuppressWarnings("EnumOrdinal") // packed next to a line number; never persisted
    int at(int line) {
      return (line << KIND_BITS) | ordinal();
    }

    static Witness of(int witness) {
      return values()[witness & KIND_MASK];
    }

    static int line(int witness) {
      return witness >>> KIND_BITS;
    }
  }

  final long[] pending;

  /** Created but not yet stored: between the factory call and the assignment. */
  final long[] inFlight;

  /** Per site: where the path last left a frame, {@link Witness#at}, 0 when it did not. */
  final int[] witness;

  /**
   * Sites that were pending when an exception other than an {@link Witness#ERROR_PAST_CATCH} was
   * thrown: their leak by an exception is not only an error escaping a catch.
   */
  final long[] plainThrow;

  CancelState(int words, int sites) {
    this.pending = new long[words];
    this.inFlight = new long[words];
    this.witness = new int[sites];
    this.plainThrow = new long[words];
  }

  CancelState(CancelState other) {
    this.pending = other.pending.clone();
    this.inFlight = other.inFlight.clone();
    this.witness = other.witness.clone();
    this.plainThrow = other.plainThrow.clone();
  }

  /** Joins {@code other} into this state; returns whether anything changed. */
  boolean join(CancelState other) {
    boolean changed = false;
    // Witnesses first, while `pending` still says which sites this state already had pending:
    // a site pending only in `other` takes `other`'s witness, whatever stale value is here.
    for (int i = 0; i < witness.length; i++) {
      if (isSet(other.pending, i)
          && (!isSet(pending, i) || other.witness[i] > witness[i])
          && other.witness[i] != witness[i]) {
        witness[i] = other.witness[i];
        changed = true;
      }
    }
    for (int i = 0; i < pending.length; i++) {
      long p = pending[i] | other.pending[i];
      long f = inFlight[i] | other.inFlight[i];
      long t = plainThrow[i] | other.plainThrow[i];
      changed |= p != pending[i] || f != inFlight[i] || t != plainThrow[i];
      pending[i] = p;
      inFlight[i] = f;
      plainThrow[i] = t;
    }
    return changed;
  }

  /**
   * The state an exception thrown at {@code line} carries, this being the state before the node
   * that throws: pending sites take it as their witness (unless an earlier exception already is),
   * and a plain exception (not {@code pastCatch}) marks them in {@link #plainThrow}.
   */
  CancelState thrownAt(int line, boolean pastCatch) {
    CancelState leaving = new CancelState(this);
    Witness kind = pastCatch ? Witness.ERROR_PAST_CATCH : Witness.EXCEPTION;
    for (int i = 0; i < witness.length; i++) {
      if (!isSet(leaving.pending, i)) {
        continue;
      }
      Witness before = Witness.of(leaving.witness[i]);
      if (before != Witness.EXCEPTION && before != kind) {
        // A synthetic node has no line: name the last line the path ran instead.
        int at = line != 0 ? line : Witness.line(leaving.witness[i]);
        leaving.witness[i] = kind.at(at);
      }
    }
    if (!pastCatch) {
      or(leaving.plainThrow, leaving.pending);
    }
    return leaving;
  }

  /** This state without the sites of {@code gone} pending (itself when there are none). */
  CancelState without(long[] gone) {
    if (gone == null) {
      return this;
    }
    CancelState refined = new CancelState(this);
    andNot(refined.pending, gone);
    return refined;
  }

  /** A copy of {@code previous} joined with {@code next}, or {@code next} when there is none. */
  static CancelState merge(CancelState previous, CancelState next) {
    if (previous == null) {
      return next;
    }
    CancelState merged = new CancelState(previous);
    merged.join(next);
    return merged;
  }

  static boolean isSet(long[] bits, int i) {
    return (bits[i >>> 6] & (1L << i)) != 0;
  }

  static void set(long[] bits, int i) {
    bits[i >>> 6] |= 1L << i;
  }

  static void or(long[] into, long[] mask) {
    for (int i = 0; i < into.length; i++) {
      into[i] |= mask[i];
    }
  }

  static void andNot(long[] into, long[] mask) {
    for (int i = 0; i < into.length; i++) {
      into[i] &= ~mask[i];
    }
  }
}
