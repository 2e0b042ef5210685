package dev.rnnlab.tensor;

/**
 * Scalar activation functions used inside the fused gate loops of the cells. Computed through
 * {@link Math#exp} in double and rounded once, so they are accurate to the last float bit and saturate
 * cleanly (no NaN for large |x|).
 */
public final class Activations {
    private Activations() {}

    /** sigma(x) = 1 / (1 + e^-x). */
    public static float sigmoid(float x) {
        return (float) (1.0 / (1.0 + Math.exp(-x)));
    }

    /** tanh(x), via e^{-2|x|} so it never overflows. */
    public static float tanh(float x) {
        double e = Math.exp(-2.0 * Math.abs(x));
        double t = (1.0 - e) / (1.0 + e);
        return (float) (x < 0 ? -t : t);
    }
}
