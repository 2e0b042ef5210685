package dev.rnnlab;

/**
 * An error the user can act on: bad input, a missing or garbled file, a shape mismatch, a diverging run.
 * Its message is one line that says what is wrong and what to do; the CLI prints it without a stack trace.
 */
public class RnnlabException extends RuntimeException {
    /** An error whose one-line {@code message} says what is wrong and what to do. */
    public RnnlabException(String message) {
        super(message);
    }

    /** An error whose one-line {@code message} says what is wrong and what to do, caused by {@code cause}. */
    public RnnlabException(String message, Throwable cause) {
        super(message, cause);
    }
}
