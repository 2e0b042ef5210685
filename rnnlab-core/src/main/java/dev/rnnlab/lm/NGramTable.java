package dev.rnnlab.lm;

import java.util.Arrays;

/**
 * The distinct n-grams of one order as packed keys (base V, oldest token most significant), each with a
 * dense index in order of insertion, found through an open-addressing hash table. Models keep their
 * per-n-gram numbers in arrays indexed the same way.
 */
final class NGramTable {
    private static final long MIX = 0x9E3779B97F4A7C15L;

    private long[] keys = new long[16];
    private int size;
    private int[] slots = new int[32]; // dense index + 1, 0 = empty

    /** The index of {@code key}, or -1. */
    int find(long key) {
        int mask = slots.length - 1;
        int slot = (int) ((key * MIX) >>> 33) & mask;
        while (true) {
            int d = slots[slot];
            if (d == 0) return -1;
            if (keys[d - 1] == key) return d - 1;
            slot = (slot + 1) & mask;
        }
    }

    /** The index of {@code key}, inserting it when new. */
    int add(long key) {
        int mask = slots.length - 1;
        int slot = (int) ((key * MIX) >>> 33) & mask;
        while (true) {
            int d = slots[slot];
            if (d == 0) break;
            if (keys[d - 1] == key) return d - 1;
            slot = (slot + 1) & mask;
        }
        if (size == keys.length) keys = Arrays.copyOf(keys, size * 2);
        keys[size] = key;
        slots[slot] = ++size;
        if (size * 2 > slots.length) rehash();
        return size - 1;
    }

    private void rehash() {
        slots = new int[slots.length * 2];
        int mask = slots.length - 1;
        for (int d = 0; d < size; d++) {
            int slot = (int) ((keys[d] * MIX) >>> 33) & mask;
            while (slots[slot] != 0) slot = (slot + 1) & mask;
            slots[slot] = d + 1;
        }
    }

    int size() {
        return size;
    }

    long key(int index) {
        return keys[index];
    }

    /** Whether V^order fits in a non-negative long, so that every n-gram of that order has a key. */
    static boolean fits(int vocabularySize, int order) {
        long pow = 1;
        for (int i = 0; i < order; i++) {
            if (pow > Long.MAX_VALUE / vocabularySize) return false;
            pow *= vocabularySize;
        }
        return true;
    }

    /** Decodes a key of {@code order} tokens. */
    static int[] tokens(long key, int order, int vocabularySize) {
        int[] t = new int[order];
        for (int i = order - 1; i >= 0; i--) {
            t[i] = (int) (key % vocabularySize);
            key /= vocabularySize;
        }
        return t;
    }
}
