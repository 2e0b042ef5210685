package dev.rnnlab.train;

import dev.rnnlab.RnnlabException;

/** The loss or the gradient became NaN or infinite; the run stops before anything is saved. */
public final class TrainingDivergedException extends RnnlabException {
    public TrainingDivergedException(String message) {
        super(message);
    }
}
