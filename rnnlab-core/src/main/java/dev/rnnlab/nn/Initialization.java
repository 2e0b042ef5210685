package dev.rnnlab.nn;

import dev.rnnlab.RnnlabException;
import java.util.Locale;

/**
 * How a new model's weights are drawn: {@link #D2L} is N(0, 0.01^2) with zero biases (D2L 8.5),
 * {@link #PYTORCH} is U(-1/sqrt(H), 1/sqrt(H)) for every weight (PyTorch's nn.RNN default, D2L 8.6), and
 * {@link #AUTO} picks the one the book uses for the model: D2L for the scratch model, PyTorch otherwise.
 */
public enum Initialization {
    /** D2L for {@link ModelKind#SCRATCH}, PyTorch for {@link ModelKind#ENGINE}. */
    AUTO,
    /** N(0, 0.01^2) weights, zero biases. */
    D2L,
    /** U(-1/sqrt(H), 1/sqrt(H)) for every parameter. */
    PYTORCH;

    /** Parses "auto", "d2l" or "pytorch", naming the choices when it is none of them. */
    public static Initialization parse(String s) {
        try {
            return valueOf(s.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new RnnlabException("unknown initialisation '" + s + "': use auto, d2l or pytorch");
        }
    }

    /** The lower-case name the command line and JSON use. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }
}
