package dev.rnnlab.tensor;

/**
 * Scalar activation functions used inside the fused gate loops of the cells, computed through the JIT's
 * intrinsic {@link Math#exp} in double and rounded once to float: accurate to the last bit or two, and
 * saturating cleanly (no NaN or overflow for any finite input). A float polynomial exp, written so that the
 * JIT could vectorise it, measured no faster (docs/BENCHMARKS.md, ActivationsBenchmark): C2 does not
 * vectorise these loops, so the speed-up waits for the Vector API.
 */
public final class Activations {
    private Activations() {}

    /** e^x, rounded to float. */
    public static float exp(float x) {
        return (float) Math.exp(x);
    }

    /** sigma(x) = 1 / (1 + e^-x). */
    public static float sigmoid(float x) {
        return (float) (1.0 / (1.0 + Math.exp(-x)));
    }

    /**
     * tanh(x) = (1 - e^{-2|x|}) / (1 + e^{-2|x|}) with the sign of x, in double, so neither overflow nor the
     * cancellation near 0 costs float precision; below |x| = 1e-4, tanh x = x to within x^2/3 &lt; 4e-9.
     */
    public static float tanh(float x) {
        if (Math.abs(x) < 1e-4f) return x;
        double e = Math.exp(-2.0 * Math.abs(x));
        double t = (1.0 - e) / (1.0 + e);
        return (float) (x < 0 ? -t : t);
    }
}
