package dev.rnnlab.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.rnnlab.Rng;
import org.junit.jupiter.api.Test;

class RecallSourceTest {
    @Test
    void episodesAreKeyFillersKeyNewline() {
        RecallSource r = new RecallSource(5, 4, 3);
        String text = r.generate(80, new Rng(1));
        for (String line : text.substring(0, 80 / 8 * 8).split("\n")) {
            assertThat(line).matches("([A-D])[abc]{5}\\1");
        }
    }

    @Test
    void entropyRateFollowsFromTheConstruction() {
        RecallSource r = new RecallSource(50, 4, 8);
        assertThat(r.entropyRateNats()).isCloseTo((Math.log(4) + 50 * Math.log(8)) / 53, within(1e-15));
    }

    @Test
    void theTrueModelsLogLossOnALongSampleMatchesTheEntropyRate() {
        RecallSource r = new RecallSource(20, 6, 5);
        String text = r.generate(23 * 20_000, new Rng(3));
        assertThat(r.meanLogLoss(text)).isCloseTo(r.entropyRateNats(), within(0.005));
    }
}
