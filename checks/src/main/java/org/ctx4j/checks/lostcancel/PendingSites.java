package org.ctx4j.checks.lostcancel;

/**
 * The lattice of {@link CancelSolver}, for one point of a control-flow graph: which creation sites
 * may be pending (their context held, uncancelled, by some name), which are created but not yet
 * stored, per site the names ({@link CancelAliases}) that may hold its context, and per site a
 * witness: the line and kind of the last place a path that keeps it pending went through, which the
 * message names. Sites and names are numbered; sets of them are bit sets of {@code long} words.
 *
 * <p>Holders join by union, so "no name holds it" is known only when it holds on every path: a path
 * on which a pending context loses its last name is a leak only where the union says so, and a
 * cancel through a name counts wherever the name may hold the context. Where paths disagree the
 * analysis stays silent.
 */
final class PendingSites {
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
   * Per site, {@link #nameWords} words from {@code site * nameWords}: the names that may hold it.
   */
  final long[] holders;

  /**
   * Per site, laid out like {@link #holders}: the names that hold it on every path on which it is
   * pending (a subset of {@link #holders}; meaningful only while the site is pending).
   */
  final long[] sure;

  final int nameWords;

  /**
   * Sites that were pending when an exception other than an {@link Witness#ERROR_PAST_CATCH} was
   * thrown: their leak by an exception is not only an error escaping a catch.
   */
  final long[] plainThrow;

  PendingSites(int words, int sites, int nameWords) {
    this.pending = new long[words];
    this.inFlight = new long[words];
    this.witness = new int[sites];
    this.plainThrow = new long[words];
    this.nameWords = nameWords;
    this.holders = new long[sites * nameWords];
    this.sure = new long[sites * nameWords];
  }

  PendingSites(PendingSites other) {
    this.pending = other.pending.clone();
    this.inFlight = other.inFlight.clone();
    this.witness = other.witness.clone();
    this.plainThrow = other.plainThrow.clone();
    this.nameWords = other.nameWords;
    this.holders = other.holders.clone();
    this.sure = other.sure.clone();
  }

  /** Joins {@code other} into this state; returns whether anything changed. */
  boolean join(PendingSites other) {
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
    for (int i = 0; i < witness.length; i++) {
      if (isSet(other.pending, i)) {
        // Pending on the joined paths too: held for sure only by the names both hold it by.
        boolean here = isSet(pending, i);
        for (int w = i * nameWords; w < (i + 1) * nameWords; w++) {
          long s = here ? sure[w] & other.sure[w] : other.sure[w];
          changed |= s != sure[w];
          sure[w] = s;
        }
      }
    }
    for (int i = 0; i < holders.length; i++) {
      long h = holders[i] | other.holders[i];
      changed |= h != holders[i];
      holders[i] = h;
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
  PendingSites thrownAt(int line, boolean pastCatch) {
    PendingSites leaving = new PendingSites(this);
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
  PendingSites without(long[] gone) {
    if (gone == null) {
      return this;
    }
    PendingSites refined = new PendingSites(this);
    andNot(refined.pending, gone);
    return refined;
  }

  /** Whether one of {@code names} may hold the context of {@code site}. */
  boolean heldBy(int site, long[] names) {
    int base = site * nameWords;
    for (int w = 0; w < nameWords; w++) {
      if ((holders[base + w] & names[w]) != 0) {
        return true;
      }
    }
    return false;
  }

  /** Whether no name holds the context of {@code site} on any path. */
  boolean unheld(int site) {
    int base = site * nameWords;
    for (int w = 0; w < nameWords; w++) {
      if (holders[base + w] != 0) {
        return false;
      }
    }
    return true;
  }

  /** Whether one of {@code names} holds the context of {@code site} on every path it is pending. */
  boolean surelyHeldBy(int site, long[] names) {
    int base = site * nameWords;
    for (int w = 0; w < nameWords; w++) {
      if ((sure[base + w] & names[w]) != 0) {
        return true;
      }
    }
    return false;
  }

  /** Removes {@code names} from the holders of {@code site}. */
  void release(int site, long[] names) {
    int base = site * nameWords;
    for (int w = 0; w < nameWords; w++) {
      holders[base + w] &= ~names[w];
      sure[base + w] &= ~names[w];
    }
  }

  /** Makes {@code names} the only holders of {@code site}. */
  void holdOnly(int site, long[] names) {
    System.arraycopy(names, 0, holders, site * nameWords, nameWords);
    System.arraycopy(names, 0, sure, site * nameWords, nameWords);
  }

  /** Adds {@code names} to the holders of {@code site}, for sure where {@code surely}. */
  void hold(int site, long[] names, boolean surely) {
    int base = site * nameWords;
    for (int w = 0; w < nameWords; w++) {
      holders[base + w] |= names[w];
      if (surely) {
        sure[base + w] |= names[w];
      }
    }
  }

  /**
   * A cancel or hand-over through {@code names}: the pending sites they may hold are no longer
   * pending, except where a single name holds a site on some of its pending paths but not on
   * others: there the site stays pending (the paths on which that name does not hold it are still
   * pending), and from then on every name that may hold it counts as holding it for sure, so that
   * the next cancel through any of them ends it (silent rather than wrong).
   */
  void discharge(long[] names) {
    int bits = 0;
    for (long word : names) {
      bits += Long.bitCount(word);
    }
    for (int i = 0; i < witness.length; i++) {
      if (!isSet(pending, i) || !heldBy(i, names)) {
        continue;
      }
      if (bits == 1 && !surelyHeldBy(i, names)) {
        System.arraycopy(holders, i * nameWords, sure, i * nameWords, nameWords);
      } else {
        pending[i >>> 6] &= ~(1L << i);
        plainThrow[i >>> 6] &= ~(1L << i);
      }
    }
  }

  /** The sites whose context one of {@code names} may hold, as a new bit set of sites. */
  long[] sitesHeldBy(long[] names) {
    long[] sites = new long[pending.length];
    for (int i = 0; i < witness.length; i++) {
      if (heldBy(i, names)) {
        set(sites, i);
      }
    }
    return sites;
  }

  /**
   * This state where {@code names} hold nothing (they are null, or not a {@code CancellableContext}
   * at all): a site they may hold is taken as not pending on this branch. That is exact where they
   * hold it on every path (the branch cannot be taken with it), and silent where they may not.
   */
  PendingSites withoutNames(long[] names) {
    PendingSites refined = new PendingSites(this);
    for (int i = 0; i < witness.length; i++) {
      if (refined.heldBy(i, names)) {
        refined.release(i, names);
        refined.pending[i >>> 6] &= ~(1L << i);
      }
    }
    return refined;
  }

  /** A copy of {@code previous} joined with {@code next}, or {@code next} when there is none. */
  static PendingSites merge(PendingSites previous, PendingSites next) {
    if (previous == null) {
      return next;
    }
    PendingSites merged = new PendingSites(previous);
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
