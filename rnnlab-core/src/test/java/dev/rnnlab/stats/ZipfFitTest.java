package dev.rnnlab.stats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.rnnlab.RealCorpora;
import dev.rnnlab.text.Corpus;
import dev.rnnlab.text.Normalizer;
import dev.rnnlab.text.Tokenizer;
import org.junit.jupiter.api.Test;

class ZipfFitTest {
    @Test
    void recoversTheExponentOfAnExactPowerLaw() {
        long[] byRank = new long[2000];
        for (int r = 1; r <= byRank.length; r++) byRank[r - 1] = Math.round(1e9 * Math.pow(r, -1.3));
        ZipfFit fit = ZipfFit.fit(byRank, 10, 1000);
        assertThat(fit.alpha()).isCloseTo(1.3, within(1e-6));
        assertThat(fit.rSquared()).isCloseTo(1.0, within(1e-9));
        assertThat(fit.frequencyAt(100)).isCloseTo(1e9 * Math.pow(100, -1.3), within(1.0));
    }

    @Test
    void clipsTheRangeToTheDataAndGivesNaNWithoutTwoRanks() {
        assertThat(ZipfFit.fit(new long[] {100, 50, 30}, 1, 1000).toRank()).isEqualTo(3);
        ZipfFit tooFew = ZipfFit.fit(new long[] {100, 50, 30}, 3, 1000);
        assertThat(tooFew.isValid()).isFalse();
    }

    @Test
    void timeMachineWordsFollowZipfWithAlphaNearOne() {
        Corpus c = Corpus.load(RealCorpora.timemachine(), Normalizer.D2L, Tokenizer.WORD);
        ZipfFit fit = ZipfFit.fit(NGramCounts.count(c.indices(), c.vocabulary().size(), 1).frequenciesByRank(),
                ZipfFit.DEFAULT_FROM, ZipfFit.DEFAULT_TO);
        assertThat(fit.alpha()).isBetween(0.9, 1.2);
        assertThat(fit.rSquared()).isGreaterThan(0.98);
    }
}
