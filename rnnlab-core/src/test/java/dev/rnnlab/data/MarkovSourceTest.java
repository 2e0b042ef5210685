package dev.rnnlab.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.rnnlab.Rng;
import org.junit.jupiter.api.Test;

class MarkovSourceTest {
    @Test
    void rowsAreDistributionsAndTheStationaryDistributionIsStationary() {
        MarkovSource m = new MarkovSource(2, 5, 0.5, 3);
        double[][] p = m.transitions();
        double[] pi = m.stationary();
        assertThat(p).hasNumberOfRows(25);
        for (double[] row : p) assertThat(java.util.Arrays.stream(row).sum()).isCloseTo(1, within(1e-12));
        double[] next = new double[25];
        for (int s = 0; s < 25; s++) {
            for (int x = 0; x < 5; x++) next[(s * 5 + x) % 25] += pi[s] * p[s][x];
        }
        for (int s = 0; s < 25; s++) assertThat(next[s]).isCloseTo(pi[s], within(1e-12));
    }

    @Test
    void theTrueModelsLogLossOnALongSampleMatchesTheEntropyRate() {
        MarkovSource m = new MarkovSource(2, 8, 0.5, 1);
        String text = m.generate(400_000, new Rng(2));
        double h = m.entropyRateNats();
        // per-token losses have sd below ~2 nats; 400k tokens give a standard error near 0.003 even with
        // the chain's correlations, so 0.02 nats is several standard errors
        assertThat(m.meanLogLoss(text)).isCloseTo(h, within(0.02));
        assertThat(m.entropyRateBits()).isCloseTo(h / Math.log(2), within(1e-12));
        assertThat(h).isBetween(0.1, Math.log(8));
    }

    @Test
    void orderZeroIsIidWithTheRowsEntropy() {
        MarkovSource m = new MarkovSource(0, 4, 1.0, 5);
        double[] row = m.transitions()[0];
        double h = 0;
        for (double p : row) h -= p * Math.log(p);
        assertThat(m.entropyRateNats()).isCloseTo(h, within(1e-12));
        assertThat(m.meanLogLoss(m.generate(200_000, new Rng(1)))).isCloseTo(h, within(0.01));
    }

    @Test
    void theSameSeedGivesTheSameChain() {
        assertThat(new MarkovSource(1, 6, 0.3, 9).transitions()).isEqualTo(new MarkovSource(1, 6, 0.3, 9).transitions());
        assertThat(new MarkovSource(1, 6, 0.3, 9).transitions()).isNotEqualTo(new MarkovSource(1, 6, 0.3, 10).transitions());
    }

    @Test
    void samplesUseTheChainsAlphabet() {
        String text = new MarkovSource(1, 3, 0.5, 1).generate(1000, new Rng(1));
        assertThat(text).hasSize(1000).matches("[ et]+");
    }
}
