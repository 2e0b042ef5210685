package dev.rnnlab.tensor;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The float activations against java.lang.Math in double, over a dense sweep of their useful range. */
class ActivationsTest {
    @Test
    void expSigmoidAndTanhAreAccurateToAFewUlp() {
        double worstExp = 0, worstSig = 0, worstTanh = 0;
        for (float x = -87f; x <= 88f; x += 0.000731f) {
            worstExp = Math.max(worstExp, rel(Activations.exp(x), Math.exp(x)));
        }
        for (float x = -30f; x <= 30f; x += 0.0000917f) {
            worstSig = Math.max(worstSig, rel(Activations.sigmoid(x), 1 / (1 + Math.exp(-(double) x))));
            worstTanh = Math.max(worstTanh, rel(Activations.tanh(x), Math.tanh(x)));
        }
        // computed in double and rounded once: within float's unit round-off 6e-8 (plus the double's own error)
        assertThat(worstExp).isLessThan(1e-7);
        assertThat(worstSig).isLessThan(1e-7);
        assertThat(worstTanh).isLessThan(1e-7);
        System.out.printf("worst relative errors: exp %.2g, sigmoid %.2g, tanh %.2g%n", worstExp, worstSig, worstTanh);
    }

    @Test
    void extremesSaturateWithoutNaN() {
        assertThat(Activations.exp(-1000f)).isZero();
        assertThat(Activations.exp(1000f)).isEqualTo(Float.POSITIVE_INFINITY);
        assertThat(Activations.sigmoid(-1000f)).isZero();
        assertThat(Activations.sigmoid(1000f)).isEqualTo(1f);
        assertThat(Activations.tanh(-1000f)).isEqualTo(-1f);
        assertThat(Activations.tanh(1000f)).isEqualTo(1f);
        assertThat(Activations.tanh(0f)).isZero();
        assertThat(Activations.tanh(1e-30f)).isEqualTo(1e-30f);
    }

    static double rel(float got, double want) {
        return want == 0 ? Math.abs(got) : Math.abs(got - want) / Math.abs(want);
    }
}
