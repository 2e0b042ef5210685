/**
 * Text generation (D2L 8.5.4's predict): warm the state up on a prefix, then emit tokens one at a time,
 * each fed back as the next input.
 *
 * <p>{@link Generator} runs the model with batch 1 and one step per token. The choice of the next token
 * from the logits is a {@link TokenSampler}: {@link TokenSampler#greedy()} (D2L's argmax) or
 * {@link TokenSampler#sampling} with temperature, top-k and top-p (nucleus) truncation, drawn from a seeded
 * {@link dev.rnnlab.Rng}. A bidirectional model cannot generate: its reverse direction reads tokens that
 * have not been generated yet.
 */
package dev.rnnlab.generate;
