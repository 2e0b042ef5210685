package dev.rnnlab.tensor;

/**
 * The gate activations, applied by the cells' forward passes to whole gate blocks. They evaluate a
 * rational function, tanh(x) ~ x P(x^2) / Q(x^2) with x clamped to +-9 (where tanh rounds to 1 in float)
 * and the result to +-1, fitted by tools/fit_tanh.py: max abs error 3.5e-7 for tanh and 2.0e-7 for the
 * sigmoid 1/2 + tanh(x/2)/2, relative error 2e-7 near 0. Being only multiplies, adds, one divide and
 * min/max in a plain loop over one range, C2 compiles them to AVX vector code, which it does not do for a
 * loop calling {@link Math#exp} (the scalar double-exp versions used before are kept in
 * ActivationsBenchmark as the baseline; docs/BENCHMARKS.md).
 */
public final class Activations {
    private Activations() {}

    // tools/fit_tanh.py, degrees (4, 4)
    private static final float P0 = 9.999999922e-01f, P1 = 1.339626534e-01f, P2 = 3.513606901e-03f,
            P3 = 2.090228062e-05f, P4 = 1.375458025e-08f;
    private static final float Q1 = 4.672958774e-01f, Q2 = 2.594574269e-02f, Q3 = 3.314960403e-04f,
            Q4 = 7.941587475e-07f;
    private static final float CLAMP = 9f;

    /** The rational tanh (see the class comment); branch-free so loops over it vectorise. */
    static float tanhRational(float x) {
        float v = Math.min(Math.max(x, -CLAMP), CLAMP);
        float u = v * v;
        float p = (((P4 * u + P3) * u + P2) * u + P1) * u + P0;
        float q = (((Q4 * u + Q3) * u + Q2) * u + Q1) * u + 1f;
        return Math.min(Math.max(v * p / q, -1f), 1f);
    }

    /** log(sum_i exp(a[from + i])) over n entries, shifted by the maximum so that no exp overflows; in double. */
    public static double logSumExp(float[] a, int from, int n) {
        float max = Float.NEGATIVE_INFINITY;
        for (int i = from; i < from + n; i++) max = Math.max(max, a[i]);
        double sum = 0;
        for (int i = from; i < from + n; i++) sum += Math.exp(a[i] - max);
        return max + Math.log(sum);
    }

    /** a[from, from + n) &lt;- tanh(a[...]), rational. */
    public static void tanhInPlace(float[] a, int from, int n) {
        for (int k = from; k < from + n; k++) a[k] = tanhRational(a[k]);
    }

    /** dst[dstFrom + k] &lt;- tanh(src[srcFrom + k]) for k &lt; n, rational; src and dst are different arrays. */
    public static void tanhInto(float[] src, int srcFrom, float[] dst, int dstFrom, int n) {
        // a copy, then the in-place loop: C2 vectorises a loop over one array, not src -> dst (it cannot rule
        // out that they overlap), and the copy costs a tenth of the arithmetic (ActivationsBenchmark)
        System.arraycopy(src, srcFrom, dst, dstFrom, n);
        tanhInPlace(dst, dstFrom, n);
    }

    /** a[from, from + n) &lt;- sigma(a[...]) = 1/2 + tanh(a/2)/2, rational. */
    public static void sigmoidInPlace(float[] a, int from, int n) {
        for (int k = from; k < from + n; k++) a[k] = 0.5f + 0.5f * tanhRational(0.5f * a[k]);
    }
}
