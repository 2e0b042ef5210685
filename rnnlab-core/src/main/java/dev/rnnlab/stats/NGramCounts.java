package dev.rnnlab.stats;

import dev.rnnlab.text.TokenSequence;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.PriorityQueue;

/**
 * The frequencies of every n-gram (n consecutive tokens) of a token sequence, counted in one pass
 * (D2L 8.3.2's {@code Counter} over {@code zip(corpus[:-1], corpus[1:])}, for any n).
 */
public final class NGramCounts {
    private static final long MIX = 0x9E3779B97F4A7C15L;

    private final TokenSequence tokens;
    private final int[] array;  // the tokens themselves when they are in memory: the hot loop reads them directly
    private final int n;
    private final boolean packed;
    private final long radix;
    // dense arrays, index = order of first occurrence
    private int distinct;
    private long[] firstPosition = new long[1024];
    private long[] counts = new long[1024];
    // open-addressing table: dense index + 1 (0 = empty) and the key (packed n-gram or content hash)
    private int[] slots = new int[4096];
    private long[] slotKeys = new long[4096];

    private NGramCounts(TokenSequence tokens, int n, int vocabularySize) {
        this.tokens = tokens;
        this.array = tokens instanceof TokenSequence.OfArray ? tokens.toArray() : null;
        this.n = n;
        this.radix = vocabularySize;
        this.packed = fitsInLong(vocabularySize, n);
    }

    /** Whether V^n distinct keys fit in a non-negative long. */
    public static boolean fitsInLong(int vocabularySize, int n) {
        long pow = 1;
        for (int i = 0; i < n; i++) {
            if (pow > Long.MAX_VALUE / vocabularySize) return false;
            pow *= vocabularySize;
        }
        return true;
    }

    /**
     * Counts the n-grams of {@code tokens}, whose values lie in [0, vocabularySize). The array is kept
     * (not copied) to read n-grams back, so do not change it.
     */
    public static NGramCounts count(int[] tokens, int vocabularySize, int n) {
        return count(TokenSequence.of(tokens), vocabularySize, n);
    }

    /** As {@link #count(int[], int, int)}, for tokens in memory or a mapped token file (64-bit positions and counts). */
    public static NGramCounts count(TokenSequence tokens, int vocabularySize, int n) {
        if (n < 1) throw new IllegalArgumentException("n must be at least 1, got " + n);
        if (vocabularySize < 1) throw new IllegalArgumentException("vocabulary size must be positive");
        NGramCounts c = new NGramCounts(tokens, n, vocabularySize);
        c.countAll();
        return c;
    }

    private void countAll() {
        long windows = tokens.length() - n + 1;
        if (windows <= 0) return;
        if (packed) {
            long top = 1; // V^(n-1), the weight of the oldest token
            for (int i = 1; i < n; i++) top *= radix;
            long key = 0;
            for (int i = 0; i < n; i++) key = key * radix + checked(i);
            for (long p = 0; ; p++) {
                add(key, p);
                if (p + 1 == windows) break;
                key = (key - at(p) * top) * radix + checked(p + n);
            }
        } else {
            for (long p = 0; p < windows; p++) {
                long h = 0;
                for (int i = 0; i < n; i++) h = (h + checked(p + i)) * MIX;
                add(h, p);
            }
        }
    }

    private int at(long position) {
        return array != null ? array[(int) position] : tokens.get(position);
    }

    private int checked(long position) {
        int t = at(position);
        if (t < 0 || t >= radix) {
            throw new IllegalArgumentException("token " + t + " at " + position + " outside vocabulary of " + radix);
        }
        return t;
    }

    private void add(long key, long position) {
        int mask = slots.length - 1;
        int slot = (int) ((key * MIX) >>> 33) & mask;
        while (true) {
            int d = slots[slot];
            if (d == 0) {
                insert(slot, key, position);
                return;
            }
            if (slotKeys[slot] == key && (packed || sameNGram(firstPosition[d - 1], position))) {
                counts[d - 1]++;
                return;
            }
            slot = (slot + 1) & mask;
        }
    }

    private boolean sameNGram(long a, long b) {
        for (int i = 0; i < n; i++) if (at(a + i) != at(b + i)) return false;
        return true;
    }

    private void insert(int slot, long key, long position) {
        if (distinct == counts.length) {
            counts = Arrays.copyOf(counts, distinct * 2);
            firstPosition = Arrays.copyOf(firstPosition, distinct * 2);
        }
        counts[distinct] = 1;
        firstPosition[distinct] = position;
        slots[slot] = ++distinct;
        slotKeys[slot] = key;
        if (distinct * 2 > slots.length) rehash();
    }

    private void rehash() {
        int[] oldSlots = slots;
        long[] oldKeys = slotKeys;
        slots = new int[oldSlots.length * 2];
        slotKeys = new long[oldSlots.length * 2];
        int mask = slots.length - 1;
        for (int i = 0; i < oldSlots.length; i++) {
            if (oldSlots[i] == 0) continue;
            int slot = (int) ((oldKeys[i] * MIX) >>> 33) & mask;
            while (slots[slot] != 0) slot = (slot + 1) & mask;
            slots[slot] = oldSlots[i];
            slotKeys[slot] = oldKeys[i];
        }
    }

    /** The n-gram length n. */
    public int n() {
        return n;
    }

    /** Number of distinct n-grams. */
    public int distinct() {
        return distinct;
    }

    /** Number of n-gram occurrences: max(0, length - n + 1). */
    public long total() {
        return Math.max(0, tokens.length() - n + 1);
    }

    /** Whether n-grams were packed into longs (V^n fits in 63 bits) rather than compared in place. */
    public boolean packed() {
        return packed;
    }

    /** Frequencies sorted from most to least frequent: entry r - 1 is the frequency of rank r. */
    public long[] frequenciesByRank() {
        long[] sorted = Arrays.copyOf(counts, distinct);
        Arrays.sort(sorted);
        long[] byRank = new long[distinct];
        for (int i = 0; i < distinct; i++) byRank[i] = sorted[distinct - 1 - i];
        return byRank;
    }

    /** How often {@code ngram} occurs (0 if never); a linear scan, for tests and spot checks. */
    public long count(int... ngram) {
        if (ngram.length != n) throw new IllegalArgumentException("expected " + n + " tokens, got " + ngram.length);
        for (int d = 0; d < distinct; d++) {
            if (Arrays.equals(ngramAt(firstPosition[d]), ngram)) return counts[d];
        }
        return 0;
    }

    /** Receives one distinct n-gram: the position of its first occurrence in the tokens, and its count. */
    @FunctionalInterface
    public interface Visitor {
        /** Receives the position of an n-gram's first occurrence in the tokens and its count. */
        void visit(long firstPosition, long count);
    }

    /** Calls {@code visitor} once for every distinct n-gram, in order of first occurrence. */
    public void forEach(Visitor visitor) {
        for (int d = 0; d < distinct; d++) visitor.visit(firstPosition[d], counts[d]);
    }

    /** The {@code k} most frequent n-grams, ties in order of first occurrence (as D2L's stable sort). */
    public List<NGram> top(int k) {
        // heap of the best k so far, worst on top: lower count, or same count but later first occurrence
        PriorityQueue<Integer> best = new PriorityQueue<>(Math.max(1, k),
                (a, b) -> counts[a] != counts[b] ? Long.compare(counts[a], counts[b]) : Integer.compare(b, a));
        for (int d = 0; d < distinct; d++) {
            if (best.size() < k) {
                best.add(d);
            } else if (k > 0) {
                int worst = best.peek();
                if (counts[d] > counts[worst]) {
                    best.poll();
                    best.add(d);
                }
            }
        }
        List<Integer> order = new ArrayList<>(best);
        order.sort((a, b) -> counts[a] != counts[b] ? Long.compare(counts[b], counts[a]) : Integer.compare(a, b));
        List<NGram> out = new ArrayList<>(order.size());
        for (int d : order) out.add(new NGram(ngramAt(firstPosition[d]), counts[d]));
        return out;
    }

    private int[] ngramAt(long position) {
        int[] g = new int[n];
        tokens.copyTo(position, g, 0, n);
        return g;
    }
}
