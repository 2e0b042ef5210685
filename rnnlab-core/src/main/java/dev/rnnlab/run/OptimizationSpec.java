package dev.rnnlab.run;

import static dev.rnnlab.run.InvalidSpecException.parses;
import static dev.rnnlab.run.InvalidSpecException.require;

import dev.rnnlab.train.LearningRateSchedule;
import dev.rnnlab.train.Optimizer;
import dev.rnnlab.train.WeightAveraging;
import java.io.Serializable;

/**
 * How the weights are fitted.
 *
 * @param optimizer   "sgd", "momentum[:MU]", "adam" or "adamw"
 * @param weightDecay weight decay (L2 for SGD and Adam, decoupled for AdamW)
 * @param lr          the base learning rate
 * @param schedule    "constant", "step:EVERY:GAMMA" or "cosine[:MIN]", over epochs
 * @param warmup      epochs of linear warm-up before the schedule
 * @param clip        global gradient-norm threshold theta (D2L 8.5.5); 0 disables clipping
 * @param epochs      epochs to train; {@link RunSpec#CORPUS_DEFAULT} for D2L's 500 on its 10,000 characters
 *                    of The Time Machine, else 20
 * @param patience    stop after this many epochs without a better validation loss; 0 never stops early
 * @param seed        the seed of every random choice: initial weights, offsets, dropout, strategies
 * @param averaging   when to start averaging the weights: "off", "nt[:N]" (AWD-LSTM's NT-ASGD trigger),
 *                    "from:EPOCH" or "last:FRACTION" ({@link WeightAveraging})
 */
public record OptimizationSpec(String optimizer, double weightDecay, double lr, String schedule, double warmup,
                               double clip, int epochs, int patience, long seed, String averaging) implements Serializable {
    /** Checks every field, naming the first bad one; a null {@code averaging} is "off". */
    public OptimizationSpec {
        require(optimizer != null && !optimizer.isBlank(), "optimization.optimizer", "must be sgd, momentum[:MU], adam or adamw");
        require(schedule != null && !schedule.isBlank(), "optimization.schedule", "must be constant, step:EVERY:GAMMA or cosine[:MIN]");
        require(epochs >= 1 || epochs == RunSpec.CORPUS_DEFAULT, "optimization.epochs", "must be >= 1, got " + epochs);
        require(lr > 0 && Double.isFinite(lr), "optimization.lr", "must be a finite number > 0, got " + lr);
        require(clip >= 0 && Double.isFinite(clip), "optimization.clip", "must be a finite number >= 0 (0 = no clipping), got " + clip);
        require(weightDecay >= 0 && Double.isFinite(weightDecay), "optimization.weightDecay",
                "must be a finite number >= 0, got " + weightDecay);
        require(warmup >= 0 && Double.isFinite(warmup), "optimization.warmup", "must be a finite number of epochs >= 0, got " + warmup);
        require(patience >= 0, "optimization.patience", "must be >= 0 (0 = never stop early), got " + patience);
        if (averaging == null) averaging = "off";  // descriptions written before averaging existed
        require(!averaging.isBlank(), "optimization.averaging", "must be off, nt[:N], from:EPOCH or last:FRACTION");
        String o = optimizer, s = schedule, a = averaging;
        double wd = weightDecay;
        parses("optimization.optimizer", () -> Optimizer.parse(o, wd, 1));
        parses("optimization.schedule", () -> LearningRateSchedule.parse(s));
        parses("optimization.averaging", () -> WeightAveraging.parse(a));
    }

    /** The settings without weight averaging. */
    public OptimizationSpec(String optimizer, double weightDecay, double lr, String schedule, double warmup,
                            double clip, int epochs, int patience, long seed) {
        this(optimizer, weightDecay, lr, schedule, warmup, clip, epochs, patience, seed, "off");
    }

    /** D2L 8.5's optimisation: SGD at learning rate 1, clipping at 1, constant rate, seed 42. */
    public static OptimizationSpec d2l() {
        return new OptimizationSpec("sgd", 0, 1, "constant", 0, 1, RunSpec.CORPUS_DEFAULT, 0, 42);
    }

    /**
     * Optimizer state slots per parameter (Adam keeps two moments, momentum one; averaging the weights adds
     * the average and the training weights' copy): what the memory check counts.
     */
    public int stateSlots() {
        String o = optimizer.toLowerCase(java.util.Locale.ROOT);
        int averages = WeightAveraging.parse(averaging) instanceof WeightAveraging.Off ? 0 : 2;
        return (o.startsWith("adam") ? 2 : o.startsWith("momentum") ? 1 : 0) + averages;
    }
}
