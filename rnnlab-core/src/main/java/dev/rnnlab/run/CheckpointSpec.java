package dev.rnnlab.run;

import static dev.rnnlab.run.InvalidSpecException.require;

import java.io.Serializable;

/**
 * When a run saves (always at its end too; where is the {@link TrainingRun}'s choice).
 *
 * @param saveEvery   also save every this many epochs; 0 only at the end
 * @param saveMinutes also save when this many minutes have passed since the last save; 0 not by time
 */
public record CheckpointSpec(int saveEvery, double saveMinutes) implements Serializable {
    /** Checks both fields, naming the bad one. */
    public CheckpointSpec {
        require(saveEvery >= 0, "checkpoint.saveEvery", "must be >= 0 epochs (0 = only at the end), got " + saveEvery);
        require(saveMinutes >= 0 && Double.isFinite(saveMinutes), "checkpoint.saveMinutes",
                "must be a finite number >= 0 (0 = not by time), got " + saveMinutes);
    }

    /** Every 10 epochs and every 10 minutes. */
    public static CheckpointSpec defaults() {
        return new CheckpointSpec(10, 10);
    }
}
