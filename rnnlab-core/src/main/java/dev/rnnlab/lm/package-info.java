/**
 * Count-based language models: n-gram models (D2L 8.3.3) and k-th order Markov chains (D2L 8.1.3).
 *
 * <p>Design sketch. Every n-gram model is an {@link dev.rnnlab.lm.NGramModel} over the token indices of a
 * {@link dev.rnnlab.text.Vocabulary} ({@code <unk>} at 0): {@code probability(tokens, from, to, next)} is
 * P(next | the last order-1 tokens of tokens[from, to)), and perplexity, bits per token and sampling are
 * written once on top of it. Three implementations:
 * <ul>
 *   <li>{@link dev.rnnlab.lm.AdditiveSmoothingModel}: add-k (Laplace for k = 1), D2L (8.3.6),
 *       P(w | h) = (n(h, w) + k) / (n(h) + k V), falling back to the shorter history when h was never seen;
 *   <li>{@link dev.rnnlab.lm.KneserNeyModel}: interpolated modified Kneser-Ney (Chen and Goodman 1998),
 *       three discounts D1, D2, D3+ per order from count-of-counts, continuation counts below the top
 *       order, and the unigram level interpolated with the uniform distribution over V;
 *   <li>{@link dev.rnnlab.lm.BackoffModel}: explicit log10 probabilities and backoff weights, the ARPA
 *       form. The other two convert to it ({@code toBackoff()}); {@link dev.rnnlab.lm.ArpaFile} writes
 *       and reads it.
 * </ul>
 *
 * <p>N-grams are packed into one long, base V, oldest token most significant (so the key of h followed by
 * w is key(h) * V + w, and key / V is the history), which limits V^order to 63 bits: a 5-gram model takes
 * up to 6,208 tokens, a 3-gram model two million. One open-addressing table per order maps keys to dense
 * indices; the statistics a history needs (its total count, its backoff mass) live on the entry of the
 * history itself, one order down, which is exactly where ARPA keeps backoff weights.
 *
 * <p>No sentence boundaries: a corpus is one stream (D2L's corpora are one stream after normalization, and
 * char-level text has no sentences). The first tokens of a stream are predicted from the shorter history
 * they have; for Kneser-Ney's continuation counts the start of the stream counts as one left context
 * (as KenLM's {@code <s>}), so every n-gram that occurs has a continuation count of at least 1.
 *
 * <p>{@link dev.rnnlab.lm.MarkovChain} is the other count-based model: states are histories of k symbols,
 * and everything the chain implies (k-step transition distributions, probabilities of partly observed
 * sequences, the stationary distribution, the entropy rate) is computed exactly by dynamic programming.
 */
package dev.rnnlab.lm;
