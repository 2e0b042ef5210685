package dev.rnnlab.nn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.rnnlab.Rng;
import dev.rnnlab.tensor.Gemm;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A model on a two-thread GEMM splits every recurrent layer's time loop by hidden units over the team
 * (RecurrentCell#runParts). Each unit's gates, state and gradient are the same arithmetic in the same order
 * as on one thread, and every product element is the same dot product over the same k. On the pure-Java GEMM
 * that dot product is summed in one fixed order whatever the product's shape, so the split model must give
 * the one-thread model's loss, gradients, states and logits bit for bit. oneDNN and OpenBLAS pick their kernel,
 * and with it the order of the sum over k, by the shape of the call (a 5 x 74 block against a 5 x 148 product), so
 * there each element may round differently, by about k * 2^-24 of its magnitude per product (k <= 192 here:
 * ~1e-5), compounded over 7 steps and 3 layers; the bound below, 1e-4 relative, is ten times that and
 * still far below what a wrong index or a missed barrier gives (errors of the size of the values).
 */
@ExtendWith(SplitEveryModel.class) // the small models split too, so the split code is checked
class TeamSplitTest {

    static Stream<Arguments> models() {
        Regularization awd = Regularization.builder().embeddingDropout(0.1f).inputDropout(0.2f).hiddenDropout(0.2f)
                .outputDropout(0.3f).weightDrop(0.4f).activation(2f).temporalActivation(1f).build();
        Stream<ModelConfig> configs = Stream.of(
                // hidden 37 cuts into 18 + 19 units: uneven parts, and widths that are not a vector's multiple
                new ModelConfig(CellType.LSTM, 11, 0, 37, 1, false, 0f),
                new ModelConfig(CellType.GRU, 11, 0, 37, 1, false, 0f),
                new ModelConfig(CellType.RNN_TANH, 11, 0, 37, 1, false, 0f),
                new ModelConfig(CellType.LSTM, 11, 9, 40, 2, true, 0.3f),
                new ModelConfig(CellType.GRU, 11, 9, 40, 2, true, 0.3f),
                new ModelConfig(CellType.RNN_RELU, 11, 9, 33, 3, false, 0.2f),
                new ModelConfig(CellType.LSTM, 11, 10, 48, 2, false, 0f, awd),
                new ModelConfig(CellType.GRU, 11, 10, 48, 2, false, 0f, awd),
                // a word-sized vocabulary: 35 rows x 4,000 logits, enough for the softmax to split its rows too
                new ModelConfig(CellType.LSTM, 4000, 16, 32, 1, false, 0f));
        return configs.flatMap(c -> Stream.of(Arguments.of(c, Gemm.Backend.JAVA), Arguments.of(c, Gemm.Backend.AUTO)));
    }

    /** Bit for bit on the Java GEMM; within the bound of the class comment on the native backend AUTO picks. */
    private static void same(float[] actual, float[] expected, Gemm.Backend backend, String what) {
        if (backend == Gemm.Backend.JAVA) {
            assertThat(actual).as(what).isEqualTo(expected);
            return;
        }
        assertThat(actual).as(what + ": length").hasSameSizeAs(expected);
        for (int i = 0; i < expected.length; i++) {
            assertThat((double) actual[i]).as("%s[%d]", what, i).isCloseTo(expected[i], within(1e-6 + 1e-4 * Math.abs(expected[i])));
        }
    }

    @ParameterizedTest
    @MethodSource("models")
    void theSplitTimeLoopGivesTheOneThreadResults(ModelConfig c, Gemm.Backend backend) {
        RecurrentLanguageModel one = new RecurrentLanguageModel(c, Gemm.create(backend, 1, false));
        RecurrentLanguageModel two = new RecurrentLanguageModel(c, Gemm.create(backend, 2, false));
        assertThat(Gemm.create(backend, 2, false).team()).as("a two-thread GEMM has a team").isNotNull();
        one.initPyTorchDefault(new Rng(1));
        System.arraycopy(one.parameters().values(), 0, two.parameters().values(), 0, one.parameters().size());
        int steps = 7, batch = 5;
        assertThat(RecurrentCell.splits(c.cell(), c.hidden(), batch, 2)).as("a two-thread team splits this model's loops").isTrue();
        Rng data = new Rng(2);
        boolean training = c.dropout() > 0 || c.regularization().weightDrop() > 0;
        for (int round = 0; round < 2; round++) {  // the second round reuses the cached arrays and masks
            int[] x = FiniteDifferenceTest.randomTokens(steps * batch, c.vocab(), data);
            int[] y = FiniteDifferenceTest.randomTokens(steps * batch, c.vocab(), data);
            y[4] = LanguageModel.IGNORE;
            RecurrentState h0 = c.bidirectional() ? null : FiniteDifferenceTest.randomState(one, batch, data);
            if (training) {
                one.setTraining(true, new Rng(10 + round));
                two.setTraining(true, new Rng(10 + round));
            }
            float[] probe1 = new float[steps], probe2 = new float[steps];
            one.probeGradientNorms(probe1);
            two.probeGradientNorms(probe2);
            double l1 = one.forward(x, y, steps, batch, h0), l2 = two.forward(x, y, steps, batch, h0);
            if (backend == Gemm.Backend.JAVA) assertThat(l2).as("loss").isEqualTo(l1);
            else assertThat(l2).as("loss").isCloseTo(l1, within(1e-6 * l1));
            same(two.logits(), one.logits(), backend, "logits");

            float[] stepScale = {1, 0.5f, 1, 0, 1, 1, 0.25f};  // truncated and randomised BPTT scale steps
            one.parameters().zeroGrads();
            two.parameters().zeroGrads();
            RecurrentState d1 = one.zeroState(batch), d2 = two.zeroState(batch);
            RecurrentState g1 = FiniteDifferenceTest.randomState(one, batch, new Rng(5)), g2 = FiniteDifferenceTest.randomState(two, batch, new Rng(5));
            one.backward(d1, g1, stepScale, 0.7f);
            two.backward(d2, g2, stepScale, 0.7f);
            same(two.parameters().grads(), one.parameters().grads(), backend, "gradients");
            for (int s = 0; s < d1.slots(); s++) {
                same(d2.h(s), d1.h(s), backend, "dh0[" + s + "]");
                if (d1.hasCellState()) same(d2.c(s), d1.c(s), backend, "dc0[" + s + "]");
            }
            same(probe2, probe1, backend, "gradient norms per step");
            RecurrentState e1 = one.zeroState(batch), e2 = two.zeroState(batch);
            one.finalState(e1);
            two.finalState(e2);
            for (int s = 0; s < e1.slots(); s++) same(e2.h(s), e1.h(s), backend, "final h[" + s + "]");
        }
    }

    /** The softmax's rows cut between the team's threads give the one-thread loss and gradient bit for bit. */
    @org.junit.jupiter.api.Test
    void theSplitSoftmaxIsTheOneThreadSoftmax() {
        int rows = 70, vocab = 3000;
        Rng rng = new Rng(4);
        float[] logits = new float[rows * vocab];
        for (int i = 0; i < logits.length; i++) logits[i] = (float) (3 * rng.nextGaussian());
        int[] targets = FiniteDifferenceTest.randomTokens(rows, vocab, rng);
        targets[0] = targets[33] = LanguageModel.IGNORE;
        float[] g1 = new float[rows * vocab], g2 = new float[rows * vocab];
        double one = SoftmaxCrossEntropy.forward(logits, targets, rows, vocab, g1, rows - 2);
        dev.rnnlab.tensor.WorkerTeam team = Gemm.create(Gemm.Backend.JAVA, 2, false).team();
        assertThat((long) rows * vocab).isGreaterThanOrEqualTo(SoftmaxCrossEntropy.MIN_SPLIT_LOGITS);
        team.startTimeline(10);
        double two = SoftmaxCrossEntropy.forward(logits, targets, rows, vocab, g2, rows - 2, team, new double[rows]);
        assertThat(team.stopTimeline().inTasksNanos(1)).as("the worker ran rows").isPositive();
        assertThat(two).isEqualTo(one);
        assertThat(g2).isEqualTo(g1);
    }

    /**
     * Batch 1 (generation) splits only layers whose W_hh is larger than a core's cache (RecurrentCell.splits:
     * LSTM-368 here, 4 x 368^2 floats), and only while the team is awake, so the first step after a pause
     * runs on one thread and the later ones split; the narrow models take the one-thread path throughout.
     */
    static Stream<Arguments> batchOneModels() {
        return Stream.concat(models(), Stream.of(
                Arguments.of(new ModelConfig(CellType.LSTM, 11, 0, 368, 1, false, 0f), Gemm.Backend.JAVA),
                Arguments.of(new ModelConfig(CellType.LSTM, 11, 0, 368, 1, false, 0f), Gemm.Backend.AUTO)));
    }

    @ParameterizedTest
    @MethodSource("batchOneModels")
    void batchOneStepsMatchToo(ModelConfig c, Gemm.Backend backend) {
        RecurrentLanguageModel one = new RecurrentLanguageModel(c, Gemm.create(backend, 1, false));
        RecurrentLanguageModel two = new RecurrentLanguageModel(c, Gemm.create(backend, 2, false));
        one.initPyTorchDefault(new Rng(3));
        System.arraycopy(one.parameters().values(), 0, two.parameters().values(), 0, one.parameters().size());
        RecurrentState s1 = one.zeroState(1), s2 = two.zeroState(1);
        int[] token = {0};
        assertThat(RecurrentCell.splits(CellType.LSTM, 368, 1, 2)).as("LSTM-368 splits at batch 1").isTrue();
        for (int i = 0; i < 20; i++) {
            if (i == 10) sleepUntilTheWorkersPark();
            token[0] = (i * 7) % c.vocab();
            one.forward(token, null, 1, 1, s1);
            two.forward(token, null, 1, 1, s2);
            same(two.logits(), one.logits(), backend, "logits at token " + i);
            one.finalState(s1);
            two.finalState(s2);
        }
    }

    private static void sleepUntilTheWorkersPark() {
        try {
            Thread.sleep(20);  // WorkerTeam.IDLE_SPIN_NANOS is 2 ms
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
