package dev.rnnlab.stats;

/** An n-gram (token indices in order) and how often it occurs. */
public record NGram(int[] tokens, long count) {}
