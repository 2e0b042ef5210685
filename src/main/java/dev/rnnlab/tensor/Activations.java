package dev.rnnlab.tensor;

/**
 * Scalar activation functions used inside the fused gate loops of the cells. They are computed in float
 * through {@link #exp}, a range-reduced polynomial (no call into the runtime's double exp, which costs
 * several times more and dominated the LSTM's gate math), accurate to a few ulp; they saturate cleanly
 * (no NaN or overflow for any finite input).
 */
public final class Activations {
    private Activations() {}

    private static final float LOG2E = 1.44269504088896341f;
    // ln 2 split so that n * LN2_HI is exact in float for |n| < 2^8 (Cody and Waite's range reduction)
    private static final float LN2_HI = 0.693145751953125f, LN2_LO = 1.42860682030941723212e-6f;

    /**
     * e^x in float: x = n ln 2 + r with |r| &lt;= ln2 / 2, e^r by its Taylor polynomial to r^7 (truncation
     * error below 2e-8 relative there), then scaled by 2^n through the exponent bits. Relative error
     * below 3e-7 over the whole range; 0 below -87.3, +inf above 88.7.
     */
    public static float exp(float x) {
        if (x < -87.3f) return 0f;
        if (x > 88.7f) return Float.POSITIVE_INFINITY;
        float n = Math.round(x * LOG2E);
        float r = (x - n * LN2_HI) - n * LN2_LO;
        float p = 1f + r * (1f + r * (0.5f + r * (1f / 6 + r * (1f / 24 + r * (1f / 120 + r * (1f / 720 + r * (1f / 5040)))))));
        return p * Float.intBitsToFloat(((int) n + 127) << 23);
    }

    /** sigma(x) = 1 / (1 + e^-x). */
    public static float sigmoid(float x) {
        return 1f / (1f + exp(-x));
    }

    /**
     * tanh(x) = (1 - e^{-2|x|}) / (1 + e^{-2|x|}) with the sign of x; near 0, where that quotient loses
     * relative accuracy to cancellation, its Taylor series x - x^3/3 + 2x^5/15 - 17x^7/315.
     */
    public static float tanh(float x) {
        float a = Math.abs(x);
        if (a < 0.0625f) {
            float x2 = x * x;
            return x * (1f + x2 * (-1f / 3 + x2 * (2f / 15 - x2 * (17f / 315))));
        }
        float e = exp(-2f * a);
        float t = (1f - e) / (1f + e);
        return x < 0 ? -t : t;
    }
}
