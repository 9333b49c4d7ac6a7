package org.ctx4j;

import java.util.Arrays;
import org.jspecify.annotations.Nullable;

/**
 * The request-scoped values a runtime context can answer without asking anyone else: a persistent
 * (immutable, structure-sharing) hash array mapped trie of every {@link Context#withValue} since
 * the nearest user-written ancestor. Each value context carries the trie of its parent plus its own
 * entry, so a lookup costs the same at depth 1 and at depth 100,000 (a few array reads), where Go
 * walks the chain one context at a time.
 *
 * <p>Keys are compared with {@code equals}, as {@link java.util.HashMap} does (Go compares with
 * {@code ==}, which for Go's comparable keys is value equality too). A key mapped to {@code null}
 * is stored with a null value, so that it hides an outer value for the same key; an absent key is
 * reported as {@link #MISSING}.
 *
 * <p>Invariants: a node is never modified after it is published (so lookups need no
 * synchronisation: every field is final); {@code put} copies only the path from the root to the
 * changed slot (at most 7 nodes of at most 32 slots).
 */
final class Values {
  /**
   * What {@link #get} returns for a key that is not in the trie. A key mapped to {@code null} is
   * stored with {@code null} as its value: present, and hiding outer values.
   */
  static final Object MISSING = new Object();

  /**
   * The trie without entries, and the only one: {@link #put} always returns a trie with an entry,
   * so a trie is empty exactly when it is this object.
   */
  static final Values EMPTY = new Values(0, new Object[0]);

  private static final int BITS = 5;
  private static final int MASK = (1 << BITS) - 1;

  /**
   * A bit per 5-bit hash chunk present at this level; {@code slots} holds two entries per set bit,
   * in bit order: either {@code key, value} or {@code null, child} (a {@link Values} one level
   * down, or a {@link Collision} when the full hashes are equal).
   */
  private final int bitmap;

  private final Object[] slots;

  private Values(int bitmap, Object[] slots) {
    this.bitmap = bitmap;
    this.slots = slots;
  }

  static int hash(Object key) {
    // Not mixed: a trie uses every bit of the hash (5 per level, lowest first), unlike a table
    // that keeps only the low bits, so mixing would only cost time on every lookup.
    return key.hashCode();
  }

  /** The value for {@code key} (which may be null), or {@link #MISSING}. */
  @Nullable Object get(Object key) {
    int bm = bitmap;
    if (bm == 0) {
      return MISSING; // the empty trie, as under a value context of a root: no hashing
    }
    int hash = hash(key);
    // The first level unrolled, then an iterative descent: at most 7 levels (32 bits, 5 per
    // level; a trie of up to a few hundred entries ends at the second). A shift of an int by n uses
    // n & 31, so "1 << (hash >>> shift)" selects the 5-bit chunk at shift.
    int bit = 1 << hash;
    if ((bm & bit) == 0) {
      return MISSING;
    }
    int i = Integer.bitCount(bm & (bit - 1)) << 1;
    Object[] s = slots;
    // The value is read with the key, before the key is compared: its load then overlaps the
    // compare instead of following it (a tenth of a rotating lookup 10 deep, see
    // docs/performance.md).
    Object v = s[i + 1];
    Object k = s[i];
    if (k != null) {
      return k == key || key.equals(k) ? v : MISSING;
    }
    Object child = v;
    if (!(child instanceof Values)) {
      return ((Collision) child).get(key);
    }
    Values node = (Values) child;
    for (int shift = BITS; ; shift += BITS) {
      bit = 1 << (hash >>> shift);
      bm = node.bitmap;
      if ((bm & bit) == 0) {
        return MISSING;
      }
      i = Integer.bitCount(bm & (bit - 1)) << 1;
      s = node.slots;
      v = s[i + 1];
      k = s[i];
      if (k != null) {
        return k == key || key.equals(k) ? v : MISSING;
      }
      child = v;
      if (!(child instanceof Values)) {
        return ((Collision) child).get(key);
      }
      node = (Values) child;
    }
  }

  /** A trie that maps {@code key} to {@code value} (which may be null) and else as this. */
  Values put(Object key, @Nullable Object value) {
    int hash = hash(key);
    if (bitmap == 0) { // the first value of a chain: the most common put, and the cheapest
      return new Values(1 << (hash & MASK), new Object[] {key, value});
    }
    return put(key, hash, value, 0);
  }

  private Values put(Object key, int hash, @Nullable Object value, int shift) {
    int bit = 1 << ((hash >>> shift) & MASK);
    int i = Integer.bitCount(bitmap & (bit - 1)) << 1;
    if ((bitmap & bit) == 0) {
      Object[] s = new Object[slots.length + 2];
      System.arraycopy(slots, 0, s, 0, i);
      s[i] = key;
      s[i + 1] = value;
      System.arraycopy(slots, i, s, i + 2, slots.length - i);
      return new Values(bitmap | bit, s);
    }
    Object k = slots[i];
    Object v = slots[i + 1];
    Object replacement;
    if (k == null) {
      replacement =
          v instanceof Values values
              ? values.put(key, hash, value, shift + BITS)
              : ((Collision) v).put(key, value);
    } else if (k == key || key.equals(k)) {
      Object[] s = slots.clone();
      s[i + 1] = value;
      return new Values(bitmap, s);
    } else {
      replacement = merge(k, hash(k), v, key, hash, value, shift + BITS);
    }
    Object[] s = slots.clone();
    s[i] = null;
    s[i + 1] = replacement;
    return new Values(bitmap, s);
  }

  /** A subtree holding two entries that share the hash bits below {@code shift}. */
  private static Object merge(
      Object k1, int h1, @Nullable Object v1, Object k2, int h2, @Nullable Object v2, int shift) {
    if (h1 == h2) {
      return new Collision(new Object[] {k1, v1, k2, v2});
    }
    // Hashes differ, so some 5-bit chunk at or above shift differs (shift <= 30 here).
    int b1 = (h1 >>> shift) & MASK;
    int b2 = (h2 >>> shift) & MASK;
    if (b1 == b2) {
      return new Values(1 << b1, new Object[] {null, merge(k1, h1, v1, k2, h2, v2, shift + BITS)});
    }
    Object[] s = b1 < b2 ? new Object[] {k1, v1, k2, v2} : new Object[] {k2, v2, k1, v1};
    return new Values((1 << b1) | (1 << b2), s);
  }

  /** Keys whose full 32-bit hashes are equal: a small list, searched linearly. */
  private static final class Collision {
    private final Object[] kvs;

    Collision(Object[] kvs) {
      this.kvs = kvs;
    }

    @Nullable Object get(Object key) {
      for (int i = 0; i < kvs.length; i += 2) {
        Object k = kvs[i];
        if (k == key || key.equals(k)) {
          return kvs[i + 1];
        }
      }
      return MISSING;
    }

    Collision put(Object key, @Nullable Object value) {
      for (int i = 0; i < kvs.length; i += 2) {
        Object k = kvs[i];
        if (k == key || key.equals(k)) {
          Object[] s = kvs.clone();
          s[i + 1] = value;
          return new Collision(s);
        }
      }
      Object[] s = Arrays.copyOf(kvs, kvs.length + 2);
      s[kvs.length] = key;
      s[kvs.length + 1] = value;
      return new Collision(s);
    }
  }
}
