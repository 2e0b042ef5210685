package dev.rnnlab.nn;

/**
 * What training, evaluation and generation need of a model: a forward over a time-major batch that
 * returns the mean cross-entropy, a backward that accumulates gradients into {@link #parameters()}, and
 * the hidden state to start from and carry. Two implementations: the engine's
 * {@link RecurrentLanguageModel} and D2L's {@link ScratchRnn}.
 */
public interface LanguageModel {
    /** The shape of this model. */
    ModelConfig config();

    /** The model's parameters and their gradients. */
    Parameters parameters();

    /** An all-zero state for {@code batch} streams. */
    RecurrentState zeroState(int batch);

    /** A target that carries no loss (e.g. a step a truncated-BPTT window only replays for its state). */
    int IGNORE = -1;

    /**
     * Mean cross-entropy over the T*B targets that are not {@link #IGNORE} (NaN when {@code targets} is null:
     * logits only).
     */
    double forward(int[] inputs, int[] targets, int steps, int batch, RecurrentState initial);

    /** Accumulates dL/dtheta for the last forward: the common case, every step's gradient passed back whole. */
    default void backward() {
        backward(null, null, null, 1f);
    }

    /**
     * Accumulates dL/dtheta for the last forward; writes dL/d(initial state) into {@code gradInitial} when
     * non-null; {@code stepScale[t]} (null = all ones) multiplies the gradient passed from step t back.
     */
    default void backward(RecurrentState gradInitial, float[] stepScale) {
        backward(gradInitial, null, stepScale, 1f);
    }

    /**
     * The general backward: {@code gradFinal} (null = 0) is dL/d(final state) arriving from later steps,
     * and the gradient of the mean loss is multiplied by {@code lossScale} (so several forwards can
     * accumulate the gradient of one mean over all their tokens).
     */
    void backward(RecurrentState gradInitial, RecurrentState gradFinal, float[] stepScale, float lossScale);

    /** The state after step {@code t} (0-based) of the last forward; one-direction models only. */
    void stateAt(int t, RecurrentState into);

    /**
     * When non-null, every backward writes ||dL/dh_t|| (over the batch; top layer, forward direction) for
     * each step t into {@code perStep}: the per-step gradient norms of D2L 8.7's vanishing and exploding
     * gradients.
     */
    void probeGradientNorms(float[] perStep);

    /** Bytes of activations a forward over {@code steps} x {@code batch} caches for its backward. */
    long activationBytes(int steps, int batch);

    /** The state after the last forward's final step, copied into {@code into}. */
    void finalState(RecurrentState into);

    /** Logits of the last forward, [T*B][V]. */
    float[] logits();

    /** Training mode (dropout on, drawn from {@code rng}) or evaluation mode. */
    void setTraining(boolean training, dev.rnnlab.Rng rng);
}
