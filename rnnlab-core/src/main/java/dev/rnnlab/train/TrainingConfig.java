package dev.rnnlab.train;

import dev.rnnlab.RnnlabException;

/**
 * The knobs of a training run that are not the model, the data or the optimizer: epochs, base learning
 * rate and its schedule, the clipping threshold theta, early-stopping patience (0 = off) on validation
 * loss, the seed every random choice flows from, and a budget of training seconds (0 = none) after
 * which the run stops mid-epoch, for comparisons at equal wall-clock time, and when to start averaging
 * the weights ({@link WeightAveraging}).
 */
public record TrainingConfig(int epochs, double learningRate, LearningRateSchedule schedule, double clip, int patience, long seed,
                             double timeBudgetSeconds, WeightAveraging averaging) {
    /** Checks the settings; a null {@code schedule} becomes the constant one, a null {@code averaging} off. */
    public TrainingConfig {
        if (averaging == null) averaging = WeightAveraging.OFF;
        if (!(timeBudgetSeconds >= 0) || Double.isInfinite(timeBudgetSeconds)) {
            throw new RnnlabException("time budget must be >= 0 seconds (0 = none), got " + timeBudgetSeconds);
        }
        if (epochs < 1) throw new RnnlabException("epochs must be >= 1, got " + epochs);
        if (!(learningRate > 0) || !Double.isFinite(learningRate)) throw new RnnlabException("learning rate must be > 0, got " + learningRate);
        if (patience < 0) throw new RnnlabException("patience must be >= 0 (0 = no early stopping), got " + patience);
        if (schedule == null) schedule = LearningRateSchedule.constant();
    }

    /** The settings without weight averaging. */
    public TrainingConfig(int epochs, double learningRate, LearningRateSchedule schedule, double clip, int patience, long seed,
                          double timeBudgetSeconds) {
        this(epochs, learningRate, schedule, clip, patience, seed, timeBudgetSeconds, WeightAveraging.OFF);
    }

    /** The settings without a time budget. */
    public TrainingConfig(int epochs, double learningRate, LearningRateSchedule schedule, double clip, int patience, long seed) {
        this(epochs, learningRate, schedule, clip, patience, seed, 0, WeightAveraging.OFF);
    }

    /** D2L 8.5's settings: lr 1, clip 1, constant rate, no early stopping. */
    public static TrainingConfig d2l(int epochs, long seed) {
        return new TrainingConfig(epochs, 1.0, LearningRateSchedule.constant(), 1.0, 0, seed);
    }

    /** Reads a positive duration such as {@code 90s}, {@code 10m}, {@code 1.5h} or plain seconds; {@code option} names it in the error. */
    public static double parseDuration(String text, String option) {
        String t = text.trim().toLowerCase(java.util.Locale.ROOT);
        double unit = t.endsWith("h") ? 3600 : t.endsWith("m") ? 60 : 1;
        String number = t.endsWith("h") || t.endsWith("m") || t.endsWith("s") ? t.substring(0, t.length() - 1) : t;
        try {
            double seconds = Double.parseDouble(number) * unit;
            if (seconds > 0 && Double.isFinite(seconds)) return seconds;
        } catch (NumberFormatException ignored) {
            // falls through to the error below
        }
        throw new RnnlabException(option + " '" + text + "' is not a positive duration: use e.g. 90s, 10m or 1.5h");
    }
}
