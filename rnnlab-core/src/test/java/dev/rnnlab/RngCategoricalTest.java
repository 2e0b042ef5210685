package dev.rnnlab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class RngCategoricalTest {
    @Test
    void drawsEachIndexAtItsProbability() {
        double[] p = {0.5, 0, 0.3, 0.2};
        int[] counts = new int[p.length];
        Rng rng = new Rng(7);
        int n = 200_000;
        for (int i = 0; i < n; i++) counts[rng.categorical(p)]++;
        for (int i = 0; i < p.length; i++) assertThat(counts[i] / (double) n).isCloseTo(p[i], within(0.005));
        assertThat(counts[1]).isZero();
    }

    @Test
    void aTotalRoundedBelowOneStillDrawsAPossibleIndex() {
        double[] p = {0.25, 0.25, 0.25, 0.25 - 1e-12, 0};
        Rng rng = new Rng(1);
        for (int i = 0; i < 100_000; i++) assertThat(rng.categorical(p)).isBetween(0, 3);
    }
}
