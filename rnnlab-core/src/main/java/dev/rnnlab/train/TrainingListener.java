package dev.rnnlab.train;

/** Receives a training run's events: the progress bar, the summary lines, the log, checkpoints, plots. */
public interface TrainingListener {
    /** When {@link Trainer#run} starts, before its first epoch (also when it resumes from a checkpoint). */
    default void trainingStarted(Trainer trainer) {}

    /** Before each epoch: its number (1-based) and how many batches it has. */
    default void epochStarted(int epoch, int batches) {}

    /** After each batch's update: the batch's index in the epoch, its mean loss and gradient norm (before clipping). */
    default void batchEnded(int batch, double loss, double gradNorm) {}

    /** After each batch's update, with everything it measured; by default passes the short form above. */
    default void batchEnded(BatchMetrics metrics) {
        batchEnded(metrics.batch(), metrics.loss(), metrics.gradNorm());
    }

    /** After each epoch, once its metrics (and validation) are in. */
    default void epochEnded(EpochMetrics metrics, Trainer trainer) {}

    /** After the last epoch, or early stopping. */
    default void trainingEnded(Trainer trainer) {}
}
