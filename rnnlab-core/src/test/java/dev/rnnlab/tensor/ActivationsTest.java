package dev.rnnlab.tensor;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The float activations against java.lang.Math in double, over a dense sweep of their useful range. */
class ActivationsTest {
    @Test
    void theRationalArrayFormsAreWithinTheirFittedErrorAndSaturate() {
        int n = 1_200_001;
        float[] x = new float[n], t = new float[n], s = new float[n], into = new float[n + 3];
        for (int k = 0; k < n; k++) x[k] = -30f + 60f * k / (n - 1);
        System.arraycopy(x, 0, t, 0, n);
        System.arraycopy(x, 0, s, 0, n);
        Activations.tanhInPlace(t, 0, n);
        Activations.sigmoidInPlace(s, 0, n);
        Activations.tanhInto(x, 0, into, 3, n);
        double worstTanh = 0, worstSig = 0, worstRelNearZero = 0;
        for (int k = 0; k < n; k++) {
            double th = Math.tanh(x[k]);
            worstTanh = Math.max(worstTanh, Math.abs(t[k] - th));
            worstSig = Math.max(worstSig, Math.abs(s[k] - 1 / (1 + Math.exp(-(double) x[k]))));
            if (Math.abs(x[k]) < 0.5 && x[k] != 0) worstRelNearZero = Math.max(worstRelNearZero, rel(t[k], th));
            assertThat(into[k + 3]).isEqualTo(t[k]);
            assertThat(t[k]).isBetween(-1f, 1f);
            assertThat(s[k]).isBetween(0f, 1f);
        }
        // tools/fit_tanh.py measures 3.5e-7 and 2.0e-7 in float arithmetic; a little room for rounding order
        assertThat(worstTanh).isLessThan(4e-7);
        assertThat(worstSig).isLessThan(2.5e-7);
        assertThat(worstRelNearZero).isLessThan(3e-7);  // tanh x = x near 0, relative accuracy kept
        // far out, within the fitted error of +-1 (never beyond), and no NaN from infinities
        float[] edges = {-1e6f, 1e6f, Float.NEGATIVE_INFINITY, Float.POSITIVE_INFINITY, 0f, -0f, 1e-30f};
        Activations.tanhInPlace(edges, 0, edges.length);
        for (int k = 0; k < 4; k++) assertThat(Math.abs(edges[k])).isBetween(1f - 2.5e-7f, 1f);
        assertThat(Math.signum(edges[0])).isEqualTo(-1f);
        assertThat(java.util.Arrays.copyOfRange(edges, 4, 7)).containsExactly(0f, -0f, 1e-30f);
        float[] sig = {-1e6f, 1e6f, 0f};
        Activations.sigmoidInPlace(sig, 0, sig.length);
        assertThat(sig[0]).isBetween(0f, 2.5e-7f);
        assertThat(sig[1]).isBetween(1f - 2.5e-7f, 1f);
        assertThat(sig[2]).isEqualTo(0.5f);
    }

    static double rel(float got, double want) {
        return want == 0 ? Math.abs(got) : Math.abs(got - want) / Math.abs(want);
    }
}
