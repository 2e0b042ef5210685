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
 * Training with bf16 recurrent products (Gemm.Precision.BF16) against the same model in fp32.
 *
 * <p>The bound. Rounding both factors of a product to bf16 moves each of its terms by at most 2^-7 of |a||b|
 * (2^-8 per factor: bf16 keeps 8 significant bits), with signs that vary from term to term, so an element
 * of a product moves by about 2^-8 sqrt(k) times a typical term, a few parts in a thousand here; the
 * forward and the backward each pass such errors through every one of T steps. Measured here the gradient
 * moves by 0.03-0.17% of its norm (7 steps, hidden 40-64, the RNN most) and the loss by under 1e-5; the
 * bounds, 1% of the norm (3% for each tensor alone, whose norms are smaller) and 3e-3 of the loss, leave room
 * for other seeds and shapes and are still far below what a wrong offset into the rounded weights gives
 * (errors the size of the gradient itself). The gradient must also differ from fp32's: the bf16 products ran.
 */
@ExtendWith(SplitEveryModel.class) // the small models split too, so the split code is checked
class Bf16TrainingTest {

    static Stream<Arguments> models() {
        Regularization awd = Regularization.builder().weightDrop(0.3f).build();
        Stream<ModelConfig> configs = Stream.of(
                new ModelConfig(CellType.LSTM, 11, 0, 40, 1, false, 0f),
                new ModelConfig(CellType.GRU, 11, 0, 40, 1, false, 0f),
                new ModelConfig(CellType.RNN_TANH, 11, 0, 40, 1, false, 0f),
                new ModelConfig(CellType.LSTM, 11, 9, 48, 2, true, 0f),
                new ModelConfig(CellType.LSTM, 11, 10, 64, 2, false, 0f, awd));
        // two threads split the wide layers' time loops, so the split products read the rounded weights too
        return configs.flatMap(c -> Stream.of(1, 2).flatMap(threads ->
                Stream.of(Arguments.of(c, Gemm.Backend.JAVA, threads), Arguments.of(c, Gemm.Backend.AUTO, threads))));
    }

    @ParameterizedTest
    @MethodSource("models")
    void bf16GradientsAreFp32GradientsToTheRoundingOfTheFactors(ModelConfig c, Gemm.Backend backend, int threads) {
        RecurrentLanguageModel fp32 = new RecurrentLanguageModel(c, Gemm.create(backend, Gemm.Precision.FP32, threads, false));
        RecurrentLanguageModel bf16 = new RecurrentLanguageModel(c, Gemm.create(backend, Gemm.Precision.BF16, threads, false));
        fp32.initPyTorchDefault(new Rng(1));
        System.arraycopy(fp32.parameters().values(), 0, bf16.parameters().values(), 0, fp32.parameters().size());
        int steps = 7, batch = 16;
        assertThat(RecurrentCell.splits(c.cell(), c.hidden(), batch, 2)).as("a two-thread team splits this model's loops").isTrue();
        Rng data = new Rng(2);
        int[] x = FiniteDifferenceTest.randomTokens(steps * batch, c.vocab(), data);
        int[] y = FiniteDifferenceTest.randomTokens(steps * batch, c.vocab(), data);

        // evaluation runs fp32 whatever the precision: the same loss to fp32 summation order
        double e32 = fp32.forward(x, y, steps, batch, null), e16 = bf16.forward(x, y, steps, batch, null);
        assertThat(e16).as("evaluation loss").isCloseTo(e32, within(1e-6 * e32));

        fp32.setTraining(true, new Rng(9));
        bf16.setTraining(true, new Rng(9));
        double l32 = fp32.forward(x, y, steps, batch, null), l16 = bf16.forward(x, y, steps, batch, null);
        assertThat(l16).as("training loss").isCloseTo(l32, within(3e-3 * l32));
        fp32.parameters().zeroGrads();
        bf16.parameters().zeroGrads();
        fp32.backward(fp32.zeroState(batch), null, null, 1f);
        bf16.backward(bf16.zeroState(batch), null, null, 1f);
        float[] g32 = fp32.parameters().grads(), g16 = bf16.parameters().grads();
        double diff = 0, norm = 0;
        for (int i = 0; i < g32.length; i++) {
            diff += (double) (g16[i] - g32[i]) * (g16[i] - g32[i]);
            norm += (double) g32[i] * g32[i];
        }
        double relative = Math.sqrt(diff / norm);
        assertThat(relative).as("relative gradient error").isLessThan(0.01).isGreaterThan(0);
        // each tensor on its own too, so that one tensor gone wrong cannot hide in the others' norm
        for (Parameters.Tensor t : fp32.parameters().tensors()) {
            double d = 0, n = 0;
            for (int i = t.offset(); i < t.offset() + t.size(); i++) {
                d += (double) (g16[i] - g32[i]) * (g16[i] - g32[i]);
                n += (double) g32[i] * g32[i];
            }
            if (n > 0) assertThat(Math.sqrt(d / n)).as(t.name()).isLessThan(0.03);
        }
    }
}
