package dev.rnnlab.lm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.rnnlab.Rng;
import dev.rnnlab.data.MarkovSource;
import dev.rnnlab.data.SyntheticCorpus;
import org.junit.jupiter.api.Test;

class MarkovChainTest {
    /** A random chain with rows from normalized uniforms, some entries zeroed so paths can be impossible. */
    static MarkovChain randomChain(int order, int symbols, long seed) {
        Rng rng = new Rng(seed);
        int states = (int) Math.pow(symbols, order);
        double[][] rows = new double[states][symbols];
        for (double[] row : rows) {
            double sum = 0;
            for (int x = 0; x < symbols; x++) sum += row[x] = rng.nextDouble() < 0.2 ? 0 : rng.nextDouble();
            if (sum == 0) sum += row[0] = 1;
            for (int x = 0; x < symbols; x++) row[x] /= sum;
        }
        return new MarkovChain(order, symbols, rows);
    }

    /** Brute force: the probability of one full path, chain started in its stationary distribution. */
    static double pathProbability(MarkovChain chain, int[] path) {
        int k = chain.order(), m = chain.symbols();
        double[] pi = chain.stationary();
        double[][] p = chain.transitions();
        if (path.length < k) throw new IllegalArgumentException("brute force takes paths of at least k symbols");
        int s = 0;
        for (int i = 0; i < k; i++) s = s * m + path[i];
        double prob = pi[s];
        for (int t = k; t < path.length; t++) {
            prob *= p[s][path[t]];
            s = chain.states() == 1 ? 0 : (s * m + path[t]) % chain.states();
        }
        return prob;
    }

    /** Brute force: sum over every filling of the MISSING positions. */
    static double enumerate(MarkovChain chain, int[] pattern, int at) {
        if (at == pattern.length) return pathProbability(chain, pattern);
        if (pattern[at] != MarkovChain.MISSING) return enumerate(chain, pattern, at + 1);
        double sum = 0;
        for (int x = 0; x < chain.symbols(); x++) {
            int[] filled = pattern.clone();
            filled[at] = x;
            sum += enumerate(chain, filled, at + 1);
        }
        return sum;
    }

    @Test
    void dynamicProgrammingEqualsEnumerationOverAllPaths() {
        for (int order = 0; order <= 2; order++) {
            MarkovChain chain = randomChain(order, 3, 10 + order);
            Rng rng = new Rng(order);
            for (int trial = 0; trial < 40; trial++) {
                int length = Math.max(order, 1) + rng.nextInt(6);
                int[] pattern = new int[length];
                for (int i = 0; i < length; i++) pattern[i] = rng.nextInt(3) == 0 ? MarkovChain.MISSING : rng.nextInt(3);
                assertThat(chain.probability(pattern)).isCloseTo(enumerate(chain, pattern, 0), within(1e-14));
            }
            // all sequences of length 5 together: probability 1
            int[] allMissing = {-1, -1, -1, -1, -1};
            assertThat(chain.probability(allMissing)).isCloseTo(1.0, within(1e-12));
        }
    }

    @Test
    void kStepDistributionsEqualSumsOverIntermediatePaths() {
        for (int order = 1; order <= 2; order++) {
            MarkovChain chain = randomChain(order, 3, 20 + order);
            for (int[] history : new int[][] {{0, 0}, {1, 2}, {2, 1}, {2, 2}}) {
                for (int k = 1; k <= 4; k++) {
                    double[] dp = chain.kStepDistribution(history, k);
                    // brute force: P(h, ?, ..., ?, x) / P(h), the history being the last `order` symbols
                    int[] h = java.util.Arrays.copyOfRange(history, history.length - order, history.length);
                    double ph = enumerate(chain, h, 0);
                    if (ph == 0) continue;
                    double sum = 0;
                    for (int x = 0; x < 3; x++) {
                        int[] pattern = new int[order + k];
                        java.util.Arrays.fill(pattern, MarkovChain.MISSING);
                        System.arraycopy(h, 0, pattern, 0, order);
                        pattern[order + k - 1] = x;
                        assertThat(dp[x]).as("order %d, k %d", order, k).isCloseTo(enumerate(chain, pattern, 0) / ph,
                                within(1e-12));
                        sum += dp[x];
                    }
                    assertThat(sum).isCloseTo(1.0, within(1e-12));
                }
            }
        }
        // D2L 8.1.3: P(x_{t+1} | x_{t-1}) = sum_{x_t} P(x_{t+1} | x_t) P(x_t | x_{t-1})
        MarkovChain first = randomChain(1, 3, 5);
        double[][] p = first.transitions();
        double[] twoStep = first.kStepDistribution(new int[] {2}, 2);
        for (int c = 0; c < 3; c++) {
            double expected = 0;
            for (int b = 0; b < 3; b++) expected += p[2][b] * p[b][c];
            assertThat(twoStep[c]).isCloseTo(expected, within(1e-15));
        }
    }

    /**
     * Fitted rows against the true ones: given n_s visits to state s, the next symbols are n_s independent
     * draws from row s (the strong Markov property), so p_hat(x|s) is Binomial(n_s, p)/n_s with standard
     * deviation sqrt(p(1-p)/n_s). Each of the 64 entries must lie within 5 of those (two-sided tail
     * 6e-7, so 4e-5 for all 64) plus 1/n_s for the discreteness when p is tiny.
     *
     * <p>Entropy rate: to first order H(p_hat) - H = sum_s pi_s sum_x (p_hat - p)(-ln p), whose standard
     * deviation is sqrt(sigma^2 / N) with sigma^2 = sum_s pi_s Var_{x~p(.|s)}[ln p(x|s)], N the number of
     * transitions; the plug-in estimate is also biased low by about (m-1) S / (2N) nats (Miller-Madow).
     * Allowed: 5 standard deviations plus the bias.
     */
    @Test
    void fittingRecoversTheTransitionsAndEntropyRateOfASyntheticChain() {
        SyntheticCorpus corpus = SyntheticCorpus.markov(2, 4, 0.5, 200_000, 3);
        MarkovSource source = (MarkovSource) corpus.source();
        int[] tokens = new int[corpus.text().length()];
        for (int i = 0; i < tokens.length; i++) tokens[i] = MarkovSource.SYMBOLS.indexOf(corpus.text().charAt(i));
        MarkovChain fitted = MarkovChain.fit(tokens, 4, 2, 0);
        double[][] truth = source.transitions(), estimate = fitted.transitions();
        long[] visits = new long[16];
        for (int t = 2; t < tokens.length; t++) visits[tokens[t - 2] * 4 + tokens[t - 1]]++;
        for (int s = 0; s < 16; s++) {
            assertThat(visits[s]).as("state %d visited", s).isGreaterThan(100);
            for (int x = 0; x < 4; x++) {
                double p = truth[s][x], sd = Math.sqrt(p * (1 - p) / visits[s]);
                assertThat(estimate[s][x]).as("P(%d | %d)", x, s).isCloseTo(p, within(5 * sd + 1.0 / visits[s]));
            }
        }
        double[] pi = source.stationary();
        double variance = 0;
        for (int s = 0; s < 16; s++) {
            double mean = 0, square = 0;
            for (double p : truth[s]) {
                if (p == 0) continue;
                mean += p * Math.log(p);
                square += p * Math.log(p) * Math.log(p);
            }
            variance += pi[s] * (square - mean * mean);
        }
        long n = tokens.length - 2;
        double tolerance = 5 * Math.sqrt(variance / n) + 3.0 * 16 / (2.0 * n);
        assertThat(fitted.entropyRateNats()).isCloseTo(source.entropyRateNats(), within(tolerance));
        assertThat(new MarkovChain(2, 4, truth).entropyRateNats()).isCloseTo(source.entropyRateNats(), within(1e-10));
    }

    @Test
    void samplesFollowTheChainAndAddAlphaSmooths() {
        MarkovChain chain = randomChain(1, 3, 7);
        int[] sample = chain.sample(100_000, new Rng(1));
        assertThat(chain.sample(100_000, new Rng(1))).isEqualTo(sample);
        MarkovChain refit = MarkovChain.fit(sample, 3, 1, 0);
        double[][] p = chain.transitions(), q = refit.transitions();
        for (int s = 0; s < 3; s++) for (int x = 0; x < 3; x++) assertThat(q[s][x]).isCloseTo(p[s][x], within(0.02));
        MarkovChain smoothed = MarkovChain.fit(new int[] {0, 1, 0, 1}, 3, 1, 1);
        // from state 0: two 0->1 transitions, so (0 + 1) / (2 + 3), (2 + 1) / (2 + 3), (0 + 1) / (2 + 3)
        assertThat(smoothed.transitions()[0]).containsExactly(1 / 5.0, 3 / 5.0, 1 / 5.0);
        assertThat(smoothed.transitions()[2]).containsExactly(1 / 3.0, 1 / 3.0, 1 / 3.0);
        assertThatThrownBy(() -> MarkovChain.fit(new int[] {0, 5}, 3, 1, 0)).hasMessage("symbol 5 at 1 is outside [0, 3)");
        assertThatThrownBy(() -> new MarkovChain(1, 2, new double[][] {{0.5, 0.6}, {1, 0}}))
                .hasMessageContaining("sums to");
    }
}
