package dev.rnnlab.nn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.rnnlab.Rng;
import dev.rnnlab.tensor.Gemm;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** D2L's scratch RNN and the engine's RNN layer, given the same weights, agree on everything. */
class ScratchRnnTest {

    @ParameterizedTest
    @EnumSource(value = Gemm.Backend.class, names = {"ONEDNN", "OPENBLAS", "JAVA"})
    void scratchAndFastRnnGiveTheSameOutputsAndGradients(Gemm.Backend backend) {
        int vocab = 9, hidden = 7, steps = 6, batch = 3;
        Gemm gemm = Gemm.create(backend, 1, false);
        ScratchRnn scratch = new ScratchRnn(vocab, hidden, gemm);
        Rng rng = new Rng(3);
        randomWeights(scratch, rng);
        RecurrentLanguageModel fast = new RecurrentLanguageModel(ModelConfig.simple(CellType.RNN_TANH, vocab, hidden), gemm);
        Parameters s = scratch.parameters(), f = fast.parameters();
        f.set("rnn.weight_ih_l0", new int[] {hidden, vocab}, transpose(s.get("W_xh"), vocab, hidden));
        f.set("rnn.weight_hh_l0", new int[] {hidden, hidden}, transpose(s.get("W_hh"), hidden, hidden));
        f.set("rnn.bias_ih_l0", new int[] {hidden}, s.get("b_h"));
        f.set("rnn.bias_hh_l0", new int[] {hidden}, new float[hidden]);
        f.set("linear.weight", new int[] {vocab, hidden}, transpose(s.get("W_hq"), hidden, vocab));
        f.set("linear.bias", new int[] {vocab}, s.get("b_q"));

        int[] x = FiniteDifferenceTest.randomTokens(steps * batch, vocab, rng);
        int[] y = FiniteDifferenceTest.randomTokens(steps * batch, vocab, rng);
        RecurrentState h0 = FiniteDifferenceTest.randomState(fast, batch, rng);
        double lossScratch = scratch.forward(x, y, steps, batch, h0);
        double lossFast = fast.forward(x, y, steps, batch, h0);
        assertThat(lossScratch).isCloseTo(lossFast, within(1e-6));
        assertClose(scratch.logits(), fast.logits(), steps * batch * vocab, "logits");

        RecurrentState endS = scratch.zeroState(batch), endF = fast.zeroState(batch);
        scratch.finalState(endS);
        fast.finalState(endF);
        assertClose(endS.h(0), endF.h(0), batch * hidden, "final state");

        RecurrentState dS = scratch.zeroState(batch), dF = fast.zeroState(batch);
        scratch.backward(dS, null);
        fast.backward(dF, null);
        assertClose(transpose(s.grad("W_xh"), vocab, hidden), f.grad("rnn.weight_ih_l0"), vocab * hidden, "dW_xh");
        assertClose(transpose(s.grad("W_hh"), hidden, hidden), f.grad("rnn.weight_hh_l0"), hidden * hidden, "dW_hh");
        assertClose(s.grad("b_h"), f.grad("rnn.bias_ih_l0"), hidden, "db_h");
        assertClose(transpose(s.grad("W_hq"), hidden, vocab), f.grad("linear.weight"), vocab * hidden, "dW_hq");
        assertClose(s.grad("b_q"), f.grad("linear.bias"), vocab, "db_q");
        assertClose(dS.h(0), dF.h(0), batch * hidden, "dH_0");
    }

    private static void randomWeights(ScratchRnn scratch, Rng rng) {
        // larger than D2L's 0.01 so that tanh is exercised away from its linear region
        float[] w = scratch.parameters().values();
        for (int i = 0; i < w.length; i++) w[i] = (float) (0.4 * rng.nextGaussian());
    }

    static float[] transpose(float[] a, int rows, int cols) {
        float[] t = new float[a.length];
        for (int r = 0; r < rows; r++) for (int c = 0; c < cols; c++) t[c * rows + r] = a[r * cols + c];
        return t;
    }

    static void assertClose(float[] a, float[] b, int n, String what) {
        for (int i = 0; i < n; i++) assertThat((double) a[i]).as("%s[%d]", what, i).isCloseTo(b[i], within(1e-5 + 1e-4 * Math.abs(b[i])));
    }
}
