package dev.rnnlab.train;

import dev.rnnlab.RnnlabException;

/**
 * The run diverged ({@link DivergencePolicy}): the loss or the gradient became NaN or infinite, the loss
 * exploded, or the weights stopped being finite. The run stops before anything of the epoch is saved.
 */
public final class TrainingDivergedException extends RnnlabException {
    private final int epoch;

    /** The run diverged in {@code epoch} (1-based), as {@code message} says. */
    public TrainingDivergedException(int epoch, String message) {
        super(message);
        this.epoch = epoch;
    }

    /** The epoch (1-based) in which the run diverged. */
    public int epoch() {
        return epoch;
    }
}
