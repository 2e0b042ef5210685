package dev.rnnlab.cli;

import dev.rnnlab.RnnlabException;
import dev.rnnlab.run.InvalidSpecException;
import dev.rnnlab.run.ModelSpec;
import dev.rnnlab.run.RunSpec;

/** Between the options of the commands that build a {@link RunSpec} and the spec: each error under its option's name. */
final class SpecOptions {
    private SpecOptions() {}

    /** Sets the model from {@code --model}. */
    static RunSpec.Builder model(RunSpec.Builder b, String model) {
        try {
            return b.model(model);
        } catch (RnnlabException e) {
            throw new RnnlabException("unknown --model '" + model + "': use " + ModelSpec.NAMES);
        }
    }

    /** Builds the spec; a bad field is reported as its option, e.g. "--hidden must be >= 1, got 0". */
    static RunSpec build(RunSpec.Builder b) {
        try {
            return b.build();
        } catch (InvalidSpecException e) {
            throw new RnnlabException(e.optionMessage());
        }
    }
}
