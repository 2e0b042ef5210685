/**
 * Corpus statistics of D2L 8.3.2: n-gram frequencies and Zipf's law.
 *
 * <p>Design. {@link dev.rnnlab.stats.NGramCounts} counts the n-grams of an {@code int[]} token sequence in
 * one pass with an open-addressing table of primitives: an n-gram is packed into one {@code long}
 * (base-V digits) when V^n fits in 63 bits, otherwise it is identified by its first position in the
 * sequence and compared there. Distinct n-grams live in dense arrays in first-occurrence order, which is
 * what makes ties come out as Python's stable sort of a {@code Counter} does. Memory is bounded by the
 * number of distinct n-grams, not the corpus size.
 *
 * <p>{@link dev.rnnlab.stats.ZipfFit} fits log frequency = c - alpha log rank by least squares over a
 * chosen rank range (default 10..1000: D2L notes the first few words fall off the straight line) and
 * reports alpha and R^2.
 */
package dev.rnnlab.stats;
