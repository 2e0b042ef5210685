package dev.rnnlab.nn;

import dev.rnnlab.RnnlabException;

/**
 * The regularisers of AWD-LSTM (Merity, Keskar and Socher 2018, "Regularizing and Optimizing LSTM Language
 * Models") that act inside the model, all in training only and all off (0) by default:
 *
 * <ul>
 *   <li>{@code embeddingDropout} p_e: whole rows of the embedding matrix dropped for a batch, the kept rows
 *       scaled by 1/(1-p_e), so every occurrence of a dropped token in the batch reads zeros (section 4.3).
 *   <li>{@code inputDropout}, {@code hiddenDropout}, {@code outputDropout}: locked (variational) dropout
 *       (Gal and Ghahramani 2016; section 4.2): one mask per stream and feature for the whole batch, the
 *       same at every time step, on the embedded input, between stacked layers, and on the top layer's
 *       output before the linear layer.
 *   <li>{@code activation} alpha: activation regularisation (AR, section 4.6), alpha * mean((m . h_t)^2)
 *       over the top layer's dropped outputs.
 *   <li>{@code temporalActivation} beta: temporal activation regularisation (TAR), beta * mean((h_t -
 *       h_{t-1})^2) over the top layer's outputs before dropout, t within the batch.
 *   <li>{@code tieWeights}: the output layer's weight is the embedding matrix (section 4.4; Press and Wolf
 *       2017, Inan et al. 2017), which needs the embedding as wide as the top layer's output.
 * </ul>
 *
 * The reported loss stays the cross-entropy (its perplexity means what it always did); AR and TAR add to the
 * gradient only.
 */
public record Regularization(float embeddingDropout, float inputDropout, float hiddenDropout, float outputDropout,
                             float activation, float temporalActivation, boolean tieWeights) implements java.io.Serializable {
    /** None of them. */
    public static final Regularization NONE = new Regularization(0, 0, 0, 0, 0, 0, false);

    /** These dropouts and penalties, without weight tying. */
    public Regularization(float embeddingDropout, float inputDropout, float hiddenDropout, float outputDropout, float activation,
                          float temporalActivation) {
        this(embeddingDropout, inputDropout, hiddenDropout, outputDropout, activation, temporalActivation, false);
    }

    /** Checks that every dropout is in [0, 1) and both penalties are finite and >= 0. */
    public Regularization {
        probability(embeddingDropout, "embedding dropout (--embedding-dropout)");
        probability(inputDropout, "input dropout (--input-dropout)");
        probability(hiddenDropout, "hidden dropout (--hidden-dropout)");
        probability(outputDropout, "output dropout (--output-dropout)");
        if (!(activation >= 0) || Float.isInfinite(activation)) throw new RnnlabException("AR's alpha (--ar) must be >= 0, got " + activation);
        if (!(temporalActivation >= 0) || Float.isInfinite(temporalActivation)) {
            throw new RnnlabException("TAR's beta (--tar) must be >= 0, got " + temporalActivation);
        }
    }

    private static void probability(float p, String what) {
        if (!(p >= 0f && p < 1f)) throw new RnnlabException(what + " must be in [0, 1), got " + p);
    }

    /** Whether any of them is on. */
    public boolean any() {
        return !equals(NONE);
    }

    /** Those that are on, for a log line: "embedding dropout 0.1, locked dropout 0.2 in, 0.4 out, AR 2, TAR 1"; "" for none. */
    public String describe() {
        java.util.List<String> parts = new java.util.ArrayList<>(), locked = new java.util.ArrayList<>();
        if (embeddingDropout > 0) parts.add("embedding dropout " + embeddingDropout);
        if (inputDropout > 0) locked.add(inputDropout + " in");
        if (hiddenDropout > 0) locked.add(hiddenDropout + " between layers");
        if (outputDropout > 0) locked.add(outputDropout + " out");
        if (!locked.isEmpty()) parts.add("locked dropout " + String.join(", ", locked));
        if (activation > 0) parts.add("AR " + activation);
        if (temporalActivation > 0) parts.add("TAR " + temporalActivation);
        if (tieWeights) parts.add("embedding and output weights tied");
        return String.join(", ", parts);
    }

    /** Whether a dropout of the embedding or its output needs an embedding ({@code embed > 0}). */
    boolean needsEmbedding() {
        return embeddingDropout > 0 || inputDropout > 0 || tieWeights;
    }
}
