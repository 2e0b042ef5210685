package dev.rnnlab.train;

import dev.rnnlab.Rng;
import dev.rnnlab.nn.LanguageModel;

/**
 * An epoch's updates made by workers elsewhere, in rounds (data-parallel training with parameter
 * averaging). Each round the workers start from the model's weights and the optimizer's state as they are
 * now, each runs its own mini-batches, and what they return, averaged, replaces both. The {@link Trainer}
 * keeps everything else: validation at the epoch's end, early stopping, the time budget, divergence checks
 * and the listeners (so checkpoints, logs and the dashboard are the same as for a run on one machine).
 * rnnlab-spark implements it on a Spark cluster.
 */
public interface ParallelRounds {
    /**
     * Starts epoch {@code epochIndex} (0-based) and returns how many rounds it has. Every random choice the
     * epoch needs must come from {@code rng}, the trainer's, so that a resumed run repeats them.
     */
    int startEpoch(int epochIndex, Rng rng);

    /**
     * Runs round {@code round} of the epoch started last, from {@code model}'s weights and {@code optimizer}'s
     * state, and replaces both with the round's result (its step count included).
     */
    Round run(int round, LanguageModel model, Optimizer optimizer);

    /**
     * What a round measured over all its workers' batches: their count, the tokens they held, the sum of
     * loss times tokens, the sum and the largest of their gradient norms (before clipping), how many were
     * clipped, the learning rate of the last one, and the seconds it spent validating (which, as for a run
     * on one machine, count neither as training time nor against the budget).
     */
    record Round(int batches, long tokens, double lossSum, double gradNormSum, double gradNormMax, int clipped,
                 double learningRate, double validationSeconds) {
        /** The mean loss per token over the round. */
        public double meanLoss() {
            return lossSum / Math.max(tokens, 1);
        }
    }
}
