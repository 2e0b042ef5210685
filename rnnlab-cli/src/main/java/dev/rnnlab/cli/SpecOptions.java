package dev.rnnlab.cli;

import dev.rnnlab.RnnlabException;
import dev.rnnlab.run.InvalidSpecException;
import dev.rnnlab.run.RunSpec;
import java.util.Locale;

/** Between the options of the commands that build a {@link RunSpec} and the spec: each error under its option's name. */
final class SpecOptions {
    private SpecOptions() {}

    /** Sets the model from {@code --model}. */
    static RunSpec.Builder model(RunSpec.Builder b, String model) {
        try {
            return b.model(model);
        } catch (RnnlabException e) {
            throw new RnnlabException("unknown --model '" + model + "': use scratch, rnn, rnn_relu, gru or lstm");
        }
    }

    /** Builds the spec; a bad field is reported as its option, e.g. "--hidden must be >= 1, got 0". */
    static RunSpec build(RunSpec.Builder b) {
        try {
            return b.build();
        } catch (InvalidSpecException e) {
            // a parser's own message ("unknown optimizer 'x': ...") already names what it read
            throw new RnnlabException(e.problem().startsWith(": ") ? e.problem().substring(2) : optionOf(e.field()) + " " + e.problem());
        }
    }

    /** The option that sets a spec field: {@code model.hidden} is {@code --hidden}, {@code data.minFreq} {@code --min-freq}. */
    static String optionOf(String field) {
        return switch (field) {
            case "model.kind", "model.cell" -> "--model";
            case "bptt.strategy" -> "--bptt";
            case "bptt.maxMemoryBytes" -> "--max-memory";
            default -> "--" + field.substring(field.indexOf('.') + 1).replaceAll("([A-Z])", "-$1").toLowerCase(Locale.ROOT);
        };
    }
}
