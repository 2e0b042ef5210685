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
 *   <li>{@code weightDrop} p_w: DropConnect on every hidden-to-hidden matrix W_hh (Wan et al. 2013;
 *       section 2): one mask over its entries per batch, the same for every stream and step, kept entries
 *       scaled by 1/(1-p_w).
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
                             float weightDrop, float activation, float temporalActivation, boolean tieWeights)
        implements java.io.Serializable {
    /** None of them. */
    public static final Regularization NONE = builder().build();

    /** A builder with everything off. */
    public static Builder builder() {
        return new Builder();
    }

    /** Checks that every dropout is in [0, 1) and both penalties are finite and >= 0. */
    public Regularization {
        probability(embeddingDropout, "embedding dropout (--embedding-dropout)");
        probability(inputDropout, "input dropout (--input-dropout)");
        probability(hiddenDropout, "hidden dropout (--hidden-dropout)");
        probability(outputDropout, "output dropout (--output-dropout)");
        probability(weightDrop, "weight drop (--weight-drop)");
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
        if (weightDrop > 0) parts.add("weight drop " + weightDrop + " on W_hh");
        if (activation > 0) parts.add("AR " + activation);
        if (temporalActivation > 0) parts.add("TAR " + temporalActivation);
        if (tieWeights) parts.add("embedding and output weights tied");
        return String.join(", ", parts);
    }

    /** A builder that starts from these settings. */
    public Builder toBuilder() {
        return builder().embeddingDropout(embeddingDropout).inputDropout(inputDropout).hiddenDropout(hiddenDropout)
                .outputDropout(outputDropout).weightDrop(weightDrop).activation(activation).temporalActivation(temporalActivation)
                .tieWeights(tieWeights);
    }

    /** Whether a dropout of the embedding or its output needs an embedding ({@code embed > 0}). */
    boolean needsEmbedding() {
        return embeddingDropout > 0 || inputDropout > 0 || tieWeights;
    }

    /** Whether a mask is drawn once for the whole batch (embedding rows, W_hh entries): the same in every shard. */
    boolean hasBatchMasks() {
        return embeddingDropout > 0 || weightDrop > 0;
    }

    /** The regularisers by name; each is off until set. */
    public static final class Builder {
        private float embeddingDropout, inputDropout, hiddenDropout, outputDropout, weightDrop, activation, temporalActivation;
        private boolean tieWeights;

        private Builder() {}

        /** Drop whole rows of the embedding with probability p, per batch. */
        public Builder embeddingDropout(float p) { embeddingDropout = p; return this; }

        /** Locked dropout on the embedded input. */
        public Builder inputDropout(float p) { inputDropout = p; return this; }

        /** Locked dropout between stacked layers. */
        public Builder hiddenDropout(float p) { hiddenDropout = p; return this; }

        /** Locked dropout on the top layer's output. */
        public Builder outputDropout(float p) { outputDropout = p; return this; }

        /** DropConnect on the hidden-to-hidden weights. */
        public Builder weightDrop(float p) { weightDrop = p; return this; }

        /** AR's alpha. */
        public Builder activation(float alpha) { activation = alpha; return this; }

        /** TAR's beta. */
        public Builder temporalActivation(float beta) { temporalActivation = beta; return this; }

        /** Tie the output layer's weight to the embedding. */
        public Builder tieWeights(boolean tie) { tieWeights = tie; return this; }

        /** Checks and returns the regularisers. */
        public Regularization build() {
            return new Regularization(embeddingDropout, inputDropout, hiddenDropout, outputDropout, weightDrop, activation,
                    temporalActivation, tieWeights);
        }
    }
}
