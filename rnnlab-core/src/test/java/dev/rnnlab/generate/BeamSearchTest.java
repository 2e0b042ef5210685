package dev.rnnlab.generate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.rnnlab.nn.CellType;
import dev.rnnlab.nn.Initialization;
import dev.rnnlab.nn.LanguageModel;
import dev.rnnlab.nn.ModelConfig;
import dev.rnnlab.nn.ModelKind;
import dev.rnnlab.nn.Models;
import dev.rnnlab.tensor.Gemm;
import org.junit.jupiter.api.Test;

/** Beam search against exhaustive search on a model small enough to enumerate every continuation. */
class BeamSearchTest {
    private static final int VOCAB = 4, LENGTH = 3;
    private final LanguageModel model = Models.initialized(ModelKind.ENGINE, new ModelConfig(CellType.GRU, VOCAB, 0, 8, 1, false, 0),
            Initialization.PYTORCH, 11, Gemm.create(Gemm.Backend.JAVA, 1, false));
    private final int[] prefix = {1, 2};

    /** log P(seq | prefix), one token at a time. */
    private double logP(int[] seq, int n) {
        GenerationSession s = new GenerationSession(model);
        s.feed(prefix);
        double sum = 0;
        for (int i = 0; i < n; i++) {
            float[] lp = BeamSearch.logSoftmax(s.advance(), VOCAB, null);
            sum += lp[seq[i]];
            s.choose(seq[i]);
        }
        return sum;
    }

    @Test
    void aBeamAsWideAsTheTreeFindsTheMostProbableContinuation() {
        double best = Double.NEGATIVE_INFINITY;
        int[] argBest = null;
        for (int code = 0; code < 64; code++) {
            int[] seq = {code / 16, code / 4 % 4, code % 4};
            double lp = logP(seq, LENGTH);
            if (lp > best) {
                best = lp;
                argBest = seq;
            }
        }
        BeamSearch.Result r = new BeamSearch(model).search(prefix, LENGTH, 16, 0, null);
        assertThat(r.tokens()).isEqualTo(argBest);
        assertThat(r.logProbability()).isCloseTo(best, within(1e-4));
        assertThat(r.finished()).isFalse();
        // width 1 is greedy
        int[] greedy = new Generator(model).generate(prefix, LENGTH, TokenSampler.greedy(), new dev.rnnlab.Rng(0), null);
        assertThat(new BeamSearch(model).search(prefix, LENGTH, 1, 0, null).tokens()).isEqualTo(greedy);
        assertThat(new BeamSearch(model).search(prefix, LENGTH, 2, 0, null).logProbability()).isGreaterThanOrEqualTo(logP(greedy, LENGTH) - 1e-5);
    }

    @Test
    void theLengthPenaltyRanksFinishedHypothesesByLogProbabilityOverLengthToTheAlpha() {
        // every hypothesis that emits token 3 finishes there; the result maximises log P / L^alpha over them and the rest
        BeamSearch.Finished endsAtThree = (tokens, n) -> tokens[n - 1] == 3;
        for (double alpha : new double[] {0, 0.75, 2}) {
            BeamSearch.Result r = new BeamSearch(model).search(prefix, LENGTH, 16, alpha, endsAtThree);
            double best = Double.NEGATIVE_INFINITY;
            for (int n = 1; n <= LENGTH; n++) {
                int[] seq = new int[n];
                for (int code = 0; code < Math.pow(VOCAB, n); code++) {
                    for (int i = 0, c = code; i < n; i++, c /= VOCAB) seq[n - 1 - i] = c % VOCAB;
                    boolean earlier = false;
                    for (int i = 0; i < n - 1; i++) earlier |= seq[i] == 3;
                    if (earlier || (n < LENGTH && seq[n - 1] != 3)) continue;  // not a complete hypothesis
                    best = Math.max(best, logP(seq, n) / Math.pow(n, alpha));
                }
            }
            assertThat(r.score()).as("alpha " + alpha).isCloseTo(best, within(1e-4));
            assertThat(r.score()).isCloseTo(r.logProbability() / Math.pow(r.tokens().length, alpha), within(1e-9));
        }
    }
}
