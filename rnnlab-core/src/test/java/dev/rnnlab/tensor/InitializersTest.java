package dev.rnnlab.tensor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.rnnlab.Rng;
import org.junit.jupiter.api.Test;

class InitializersTest {
    @Test
    void orthogonalRowsAreOrthonormalAndTallMatricesGetOrthonormalColumns() {
        for (int[] shape : new int[][] {{16, 16}, {8, 24}, {24, 8}}) {
            int rows = shape[0], cols = shape[1];
            float[] w = new float[rows * cols];
            Initializers.orthogonal(w, 0, rows, cols, 1.0, new Rng(4));
            boolean tall = rows > cols;
            int n = tall ? cols : rows;
            for (int i = 0; i < n; i++)
                for (int j = 0; j < n; j++) {
                    double dot = 0;
                    for (int k = 0; k < (tall ? rows : cols); k++) {
                        dot += tall ? (double) w[k * cols + i] * w[k * cols + j] : (double) w[i * cols + k] * w[j * cols + k];
                    }
                    assertThat(dot).as("%dx%d (%d,%d)", rows, cols, i, j).isCloseTo(i == j ? 1 : 0, within(1e-5));
                }
        }
    }

    @Test
    void normalAndUniformHaveTheirMomentsAndBounds() {
        int n = 200_000;
        float[] w = new float[n];
        Initializers.normal(w, 0, n, 0.01, new Rng(1));
        double mean = 0, sq = 0;
        for (float v : w) {
            mean += v;
            sq += (double) v * v;
        }
        mean /= n;
        // standard error of the mean 0.01/sqrt(n) = 2.2e-5; of the variance ~ 0.01^2 sqrt(2/n) = 3.2e-7
        assertThat(mean).isCloseTo(0, within(1.2e-4));
        assertThat(Math.sqrt(sq / n - mean * mean)).isCloseTo(0.01, within(2e-4));
        Initializers.uniform(w, 0, n, 1 / Math.sqrt(512), new Rng(2));
        for (float v : w) assertThat(Math.abs(v)).isLessThanOrEqualTo((float) (1 / Math.sqrt(512)));
        Initializers.xavierUniform(w, 0, 400, 500, new Rng(3));
        for (float v : w) assertThat(Math.abs(v)).isLessThanOrEqualTo((float) Math.sqrt(6.0 / 900));
    }
}
