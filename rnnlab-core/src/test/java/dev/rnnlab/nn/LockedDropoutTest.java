package dev.rnnlab.nn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.rnnlab.Rng;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The masks every dropout here draws, and locked dropout's one mask for all steps. */
class LockedDropoutTest {
    /** Over 200,000 draws the share of zeros is p within 4 standard deviations, and the mean of the mask is 1. */
    @ParameterizedTest
    @ValueSource(floats = {0.1f, 0.3f, 0.5f, 0.9f})
    void masksDropAShareOfPAndKeepTheMean(float p) {
        int n = 200_001;  // not a multiple of 4: the last random number is used in part
        float[] mask = new float[n];
        LockedDropout.bernoulli(mask, n, p, new Rng(7));
        int zeros = 0;
        double sum = 0;
        for (float m : mask) {
            if (m == 0f) zeros++;
            else assertThat(m).isEqualTo(1f / (1f - p));
            sum += m;
        }
        double sd = Math.sqrt(p * (1 - p) / n);
        assertThat((double) zeros / n).isCloseTo(p, within(4 * sd + 1.0 / 65536));
        assertThat(sum / n).isCloseTo(1.0, within(4 * sd / (1 - p) + 1e-4));
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 5})
    void oneMaskServesEveryStepAndTheBackwardUsesIt(int steps) {
        int batch = 3, width = 4, n = steps * batch * width;
        float[] x = new float[n];
        for (int i = 0; i < n; i++) x[i] = 1 + i;
        LockedDropout d = new LockedDropout();
        float[] y = d.forward(x, steps, batch, width, 0.5f, new Rng(1));
        float[] g = new float[n];
        java.util.Arrays.fill(g, 1f);
        d.backward(g, steps);
        for (int t = 0; t < steps; t++) {
            for (int i = 0; i < batch * width; i++) {
                float m = y[t * batch * width + i] / x[t * batch * width + i];
                assertThat(m).isEqualTo(y[i] / x[i]);                 // the same for every step
                assertThat(g[t * batch * width + i]).isEqualTo(m);   // dx = m . dy
            }
        }
    }
}
