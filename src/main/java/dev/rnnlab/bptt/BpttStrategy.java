package dev.rnnlab.bptt;

import dev.rnnlab.Rng;
import dev.rnnlab.data.Batch;
import dev.rnnlab.nn.LanguageModel;
import dev.rnnlab.nn.RecurrentState;

/** How the gradient of one batch's mean loss is computed through time. */
public interface BpttStrategy {
    /**
     * Accumulates dL/dtheta of the batch's mean cross-entropy into the model's gradient block (zeroed by the
     * caller), starting from {@code state}, and overwrites {@code state} with the state after the batch.
     * Returns the mean loss. The gradient never reaches back past the batch's first step.
     */
    double computeGradients(LanguageModel model, Batch batch, RecurrentState state, Rng rng);

    String describe();

    /** D2L's default: one forward and one backward over the whole batch ("detach" at its boundary). */
    static BpttStrategy perBatch() {
        return new BpttStrategy() {
            @Override
            public double computeGradients(LanguageModel model, Batch batch, RecurrentState state, Rng rng) {
                double loss = model.forward(batch.inputs(), batch.targets(), batch.steps(), batch.batchSize(), state);
                if (Double.isFinite(loss)) {
                    model.backward(null, null);
                    model.finalState(state);
                }
                return loss;
            }

            @Override
            public String describe() {
                return "truncated at the batch boundary (D2L)";
            }
        };
    }
}
