/**
 * Training: the loop, the optimizers, learning-rate schedules, clipping and the metrics.
 *
 * <p>{@link Trainer} runs D2L 8.5's train_epoch semantics exactly. With random sampling the hidden state
 * is re-initialised for every mini-batch; with sequential partitioning it is initialised once per epoch
 * and carried across mini-batches, its gradient cut at the batch boundary (the backward of one batch
 * never reaches into the previous one: "detach"). The loss is the mean cross-entropy over all tokens; the
 * gradient is clipped to a global norm theta (D2L 8.5.5: g &lt;- min(1, theta/||g||) g) over every
 * parameter at once, then an {@link Optimizer} steps.
 *
 * <p>How a batch's gradient is computed (one forward and one backward, or truncated or randomized BPTT)
 * is a {@link dev.rnnlab.bptt.BpttStrategy}. Everything else a run does (progress bar, summary lines,
 * JSON-lines log, checkpoints, curves) is a {@link TrainingListener} that receives {@link EpochMetrics}.
 *
 * <p>Every random choice (epoch offsets, shuffles, dropout) comes from the trainer's one {@link dev.rnnlab.Rng};
 * its state, the parameters and the optimizer's state are all a checkpoint needs for a resumed run to be
 * bit-identical to an uninterrupted one.
 *
 * <p>A run can also stop on a budget of training time ({@link TrainingConfig#timeBudgetSeconds}, for
 * comparisons at equal wall-clock time): the epoch in progress ends after the batch that exhausts it and
 * counts as done. The budget is the sum of the epochs' batch time, so it survives a resume.
 *
 * <p>The updates of an epoch can also be made elsewhere, in rounds ({@link ParallelRounds}, set by
 * {@link Trainer#parallelRounds}): workers each run several batches from the current weights and the trainer
 * takes back the averaged result, checking and reporting each round as it would a batch. Everything after the
 * updates (validation, early stopping, the budget, divergence, the listeners) is the same code for both, so a
 * run on a Spark cluster writes the checkpoints and logs of a run on one machine.
 *
 * <p>The loop allocates no buffers per batch: the model keeps its activation and gradient arrays across
 * batches, and the optimizer and clipper work in place (TrainingAllocationTest).
 */
package dev.rnnlab.train;
