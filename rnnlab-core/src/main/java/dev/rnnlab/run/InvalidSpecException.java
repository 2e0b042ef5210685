package dev.rnnlab.run;

import dev.rnnlab.RnnlabException;

/**
 * A run description with a bad value: {@link #field()} names it as the JSON does ({@code model.hidden}),
 * {@link #problem()} says what is wrong ("must be >= 1, got 0"), so a front end can name its own option.
 */
public final class InvalidSpecException extends RnnlabException {
    private final String field, problem;

    /** The field, in JSON's dotted path, and what is wrong with its value. */
    public InvalidSpecException(String field, String problem) {
        super(field + (problem.startsWith(":") ? "" : " ") + problem);
        this.field = field;
        this.problem = problem;
    }

    /** The dotted path of the bad field, e.g. {@code optimization.lr}. */
    public String field() {
        return field;
    }

    /** What is wrong, without the field's name: "must be >= 1, got 0", or ": " and a parser's own message. */
    public String problem() {
        return problem;
    }

    /**
     * The command-line option that sets the field, as {@code rnnlab train} and {@code rnnlab-spark train}
     * spell it: {@code model.hidden} is {@code --hidden}, {@code data.minFreq} {@code --min-freq}.
     */
    public String option() {
        return switch (field) {
            case "model.kind", "model.cell" -> "--model";
            case "bptt.strategy" -> "--bptt";
            case "bptt.maxMemoryBytes" -> "--max-memory";
            default -> "--" + field.substring(field.indexOf('.') + 1).replaceAll("([A-Z])", "-$1").toLowerCase(java.util.Locale.ROOT);
        };
    }

    /** The error as a command line reports it: "--hidden must be >= 1, got 0", or a parser's own message, which names what it read. */
    public String optionMessage() {
        return problem.startsWith(": ") ? problem.substring(2) : option() + " " + problem;
    }

    static void require(boolean ok, String field, String problem) {
        if (!ok) throw new InvalidSpecException(field, problem);
    }

    /** Runs a parser of a mini-language (optimizer, schedule, BPTT strategy, split) and names the field it failed on. */
    static void parses(String field, Runnable parse) {
        try {
            parse.run();
        } catch (InvalidSpecException e) {
            throw e;
        } catch (RnnlabException e) {
            throw new InvalidSpecException(field, ": " + e.getMessage());
        }
    }
}
