package dev.rnnlab.bptt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rnnlab.Rng;
import dev.rnnlab.RnnlabException;
import dev.rnnlab.data.Batch;
import dev.rnnlab.nn.CellType;
import dev.rnnlab.nn.LanguageModel;
import dev.rnnlab.nn.ModelConfig;
import dev.rnnlab.nn.Parameters;
import dev.rnnlab.nn.RecurrentLanguageModel;
import dev.rnnlab.nn.RecurrentState;
import dev.rnnlab.tensor.Gemm;
import dev.rnnlab.tensor.Initializers;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class BpttStrategyTest {
    static final Gemm GEMM = Gemm.create(Gemm.Backend.AUTO, 1, false);

    /** A small RNN whose W_hh is orthogonal times {@code gain}, so gradients fade at a chosen rate. */
    static RecurrentLanguageModel rnn(CellType cell, int vocab, int hidden, double gain, long seed) {
        RecurrentLanguageModel m = new RecurrentLanguageModel(ModelConfig.simple(cell, vocab, hidden), GEMM);
        Rng rng = new Rng(seed);
        m.initPyTorchDefault(rng);
        Parameters.Tensor whh = m.parameters().tensor("rnn.weight_hh_l0");
        int g = whh.shape()[0] / hidden;
        for (int k = 0; k < g; k++) Initializers.orthogonal(m.parameters().values(), whh.offset() + k * hidden * hidden, hidden, hidden, gain, rng);
        return m;
    }

    static Batch batch(int steps, int n, int vocab, long seed) {
        Rng rng = new Rng(seed);
        int[] x = new int[steps * n], y = new int[steps * n];
        for (int i = 0; i < x.length; i++) {
            x[i] = rng.nextInt(vocab);
            y[i] = rng.nextInt(vocab);
        }
        return new Batch(steps, n, x, y);
    }

    static float[] gradient(LanguageModel m, BpttStrategy s, Batch b, RecurrentState start, Rng rng) {
        m.parameters().zeroGrads();
        RecurrentState st = m.zeroState(b.batchSize());
        if (start != null) st.copyFrom(start);
        s.startSequence();
        s.computeGradients(m, b, st, rng);
        return m.parameters().grads().clone();
    }

    static double relativeError(float[] a, float[] ref) {
        double d = 0, r = 0;
        for (int i = 0; i < a.length; i++) {
            d += Math.pow(a[i] - ref[i], 2);
            r += Math.pow(ref[i], 2);
        }
        return Math.sqrt(d / r);
    }

    @Test
    void truncationAtTheBatchLengthIsD2lsPerBatchBackward() {
        RecurrentLanguageModel m = rnn(CellType.LSTM, 6, 8, 1.0, 1);
        Batch b = batch(12, 3, 6, 2);
        float[] perBatch = gradient(m, BpttStrategy.perBatch(), b, null, null);
        assertThat(gradient(m, new TruncatedBptt(12, 12), b, null, null)).containsExactly(perBatch);
        assertThat(gradient(m, new RandomSegments(12, 12), b, null, new Rng(1))).containsExactly(perBatch);
        assertThat(gradient(m, new FullBptt(1L << 30, 0), b, null, null)).containsExactly(perBatch);
    }

    /**
     * tBPTT(k1, k2) computed the way the strategy does it (replaying history, windows, carried states) against
     * a direct construction: one forward over the whole prefix up to each chunk's end, the loss of that chunk
     * only, and the gradient cut at the window's start by a zero step scale.
     */
    @Test
    void tbpttMatchesADirectConstructionFromMaskedLossesAndCuts() {
        int k1 = 4, k2 = 10, steps = 12, n = 3, vocab = 5;
        RecurrentLanguageModel m = rnn(CellType.GRU, vocab, 6, 1.0, 3);
        Batch first = batch(steps, n, vocab, 4), second = batch(steps, n, vocab, 5);
        // the strategy over two consecutive batches of the same streams, the second's window reaching into the first
        TruncatedBptt s = new TruncatedBptt(k1, k2);
        RecurrentState st = m.zeroState(n);
        s.startSequence();
        s.computeGradients(m, first, st, null);
        m.parameters().zeroGrads();
        s.computeGradients(m, second, st, null);
        float[] got = m.parameters().grads().clone();

        int total = 2 * steps;
        int[] x = new int[total * n], y = new int[total * n];
        System.arraycopy(first.inputs(), 0, x, 0, steps * n);
        System.arraycopy(second.inputs(), 0, x, steps * n, steps * n);
        System.arraycopy(first.targets(), 0, y, 0, steps * n);
        System.arraycopy(second.targets(), 0, y, steps * n, steps * n);
        float[] want = new float[got.length];
        for (int c0 = steps; c0 < total; c0 += k1) {  // the second batch's chunks
            int end = c0 + k1, windowStart = Math.max(0, end - k2);
            int[] masked = new int[end * n];
            Arrays.fill(masked, LanguageModel.IGNORE);
            System.arraycopy(y, c0 * n, masked, c0 * n, k1 * n);
            float[] scale = new float[end];
            Arrays.fill(scale, 1f);
            scale[windowStart] = 0f;  // nothing flows from the window's first step to the state before it
            m.parameters().zeroGrads();
            m.forward(Arrays.copyOf(x, end * n), masked, end, n, null);
            m.backward(null, null, scale, (float) k1 / steps);
            for (int i = 0; i < want.length; i++) want[i] += m.parameters().grads()[i];
        }
        assertThat(relativeError(got, want)).isLessThan(1e-5);
    }

    @Test
    void checkpointedFullBpttGivesTheSameGradientAsFullBptt() {
        RecurrentLanguageModel m = rnn(CellType.LSTM, 7, 10, 1.0, 6);
        Batch b = batch(101, 4, 7, 7);
        RecurrentState start = m.zeroState(4);
        start.fill(0.1f);
        float[] full = gradient(m, new FullBptt(1L << 30, 0), b, start, null);
        for (int every : new int[] {1, 10, 33, 100}) {
            float[] ck = gradient(m, new FullBptt(1L << 30, every), b, start, null);
            assertThat(relativeError(ck, full)).as("checkpoint every %d", every).isLessThan(1e-5);
        }
    }

    @Test
    void fullBpttRefusesToExceedItsMemoryBoundWithTheFigures() {
        RecurrentLanguageModel m = rnn(CellType.LSTM, 7, 10, 1.0, 6);
        Batch b = batch(500, 4, 7, 7);
        long need = m.activationBytes(500, 4);
        assertThatThrownBy(() -> gradient(m, new FullBptt(need / 2, 0), b, null, null))
                .isInstanceOf(RnnlabException.class)
                .hasMessageContaining("full BPTT over 500 steps x 4 streams needs")
                .hasMessageContaining("--bptt full:checkpoint=");
        // checkpointing every 20 steps fits in the same bound
        gradient(m, new FullBptt(need / 2, 20), b, null, null);
    }

    /**
     * Randomized truncation is unbiased, truncation is not. At fixed parameters on a 200-step sequence the
     * mean of N randomized gradients approaches the full gradient with error ~ 1/sqrt(N) (from N = 64 to
     * 1024 the error should fall about 4-fold; asserted at least 2.5-fold, and below 0.1 at N = 1024), while
     * truncating every 4 steps keeps a relative bias that is many times that.
     */
    @Test
    void randomizedTruncationIsUnbiasedAndTruncationIsBiased() {
        int steps = 200, n = 2, vocab = 5;
        // W_hh = 0.9 x orthogonal: gradients fade by about 0.9 per step, so (0.9^2 / pi) < 1 keeps the variance finite
        RecurrentLanguageModel m = rnn(CellType.RNN_TANH, vocab, 8, 0.9, 11);
        Batch b = batch(steps, n, vocab, 12);
        float[] full = gradient(m, BpttStrategy.perBatch(), b, null, null);
        float[] truncated = gradient(m, new TruncatedBptt(4, 4), b, null, null);
        double bias = relativeError(truncated, full);

        RandomizedTruncation r = new RandomizedTruncation(0.9);
        Rng rng = new Rng(13);
        double[] sum = new double[full.length];
        double err64 = 0, err1024 = 0;
        for (int i = 1; i <= 1024; i++) {
            float[] g = gradient(m, r, b, null, rng);
            for (int j = 0; j < sum.length; j++) sum[j] += g[j];
            if (i == 64 || i == 1024) {
                float[] mean = new float[sum.length];
                for (int j = 0; j < sum.length; j++) mean[j] = (float) (sum[j] / i);
                if (i == 64) err64 = relativeError(mean, full);
                else err1024 = relativeError(mean, full);
            }
        }
        System.out.printf("truncated(4) bias %.3f; randomized mean error N=64 %.4f, N=1024 %.4f%n", bias, err64, err1024);
        assertThat(err1024).isLessThan(0.1);
        assertThat(err64 / err1024).isGreaterThan(2.5);
        assertThat(bias).isGreaterThan(3 * err1024);
    }

    @Test
    void adaptiveTruncationChoosesLongerWindowsWhenGradientsFadeSlower() {
        Batch b = batch(35, 4, 6, 21);
        int fast = new AdaptiveTruncation(0.01, 2, 35, 1).chooseTruncation(rnn(CellType.RNN_TANH, 6, 16, 0.3, 22), b, null);
        int slow = new AdaptiveTruncation(0.01, 2, 35, 1).chooseTruncation(rnn(CellType.RNN_TANH, 6, 16, 0.95, 22), b, null);
        assertThat(fast).isLessThan(slow);
        assertThat(fast).isBetween(2, 10);
    }

    @Test
    void strategiesParseFromTheirCliSpelling() {
        assertThat(BpttStrategy.parse("truncated:5:20", 1).describe()).isEqualTo("tBPTT(k1 = 5, k2 = 20)");
        assertThat(BpttStrategy.parse("randomized:0.8", 1).describe()).startsWith("randomized truncation (pi = 0.8");
        assertThat(BpttStrategy.parse("full:checkpoint=50", 1).describe()).isEqualTo("full BPTT, checkpointed every 50 steps");
        assertThatThrownBy(() -> BpttStrategy.parse("sideways", 1)).isInstanceOf(RnnlabException.class).hasMessageContaining("cannot read --bptt");
        assertThatThrownBy(() -> BpttStrategy.parse("truncated:10:5", 1)).isInstanceOf(RnnlabException.class).hasMessageContaining("k1 <= k2");
    }
}
