package dev.rnnlab.nn;

/**
 * What training, evaluation and generation need of a model: a forward over a time-major batch that
 * returns the mean cross-entropy, a backward that accumulates gradients into {@link #parameters()}, and
 * the hidden state to start from and carry. Two implementations: the engine's
 * {@link RecurrentLanguageModel} and D2L's {@link ScratchRnn}.
 */
public interface LanguageModel {
    ModelConfig config();

    Parameters parameters();

    RecurrentState zeroState(int batch);

    /** Mean cross-entropy over the T*B targets (NaN when {@code targets} is null: logits only). */
    double forward(int[] inputs, int[] targets, int steps, int batch, RecurrentState initial);

    /**
     * Accumulates dL/dtheta for the last forward; writes dL/d(initial state) into {@code gradInitial} when
     * non-null; {@code stepScale[t]} (null = all ones) multiplies the gradient passed from step t back.
     */
    void backward(RecurrentState gradInitial, float[] stepScale);

    /** The state after the last forward's final step, copied into {@code into}. */
    void finalState(RecurrentState into);

    /** Logits of the last forward, [T*B][V]. */
    float[] logits();

    /** Training mode (dropout on, drawn from {@code rng}) or evaluation mode. */
    void setTraining(boolean training, dev.rnnlab.Rng rng);
}
