package dev.rnnlab.tensor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.rnnlab.Rng;
import org.junit.jupiter.api.Test;

class SpectraTest {
    @Test
    void knownMatricesHaveTheirSpectralRadiusAndLargestSingularValue() {
        int n = 16;
        float[] w = new float[n * n];
        Initializers.orthogonal(w, 0, n, n, 1.3, new Rng(1));  // every eigenvalue and singular value has modulus 1.3
        assertThat(Spectra.spectralRadius(w, 0, n, new Rng(2))).isCloseTo(1.3, within(0.02));
        assertThat(Spectra.largestSingularValue(w, 0, n, new Rng(3))).isCloseTo(1.3, within(1e-4));
        // upper triangular: eigenvalues on the diagonal (max 0.5) but a large singular value from the 3.0 above it
        float[] t = new float[4];
        t[0] = 0.5f;
        t[1] = 3.0f;
        t[3] = 0.2f;
        assertThat(Spectra.spectralRadius(t, 0, 2, new Rng(4))).isCloseTo(0.5, within(0.01));
        assertThat(Spectra.largestSingularValue(t, 0, 2, new Rng(5))).isGreaterThan(3.0);
    }
}
