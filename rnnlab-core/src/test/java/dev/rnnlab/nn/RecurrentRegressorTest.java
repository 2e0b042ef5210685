package dev.rnnlab.nn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.rnnlab.Rng;
import dev.rnnlab.tensor.Gemm;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every analytic gradient of the regressor (each parameter and each initial-state entry) against a
 * central difference, with {@link FiniteDifferenceTest}'s step and tolerance and the same reasoning: the
 * mean squared error of T*B*O float32 outputs of size O(1) carries rounding noise of about 1e-7, which a
 * step of 1e-2 turns into 1e-5 in the quotient; the truncation error is about 2e-5.
 */
class RecurrentRegressorTest {
    static Stream<Arguments> configs() {
        List<Arguments> out = new ArrayList<>();
        for (CellType cell : new CellType[] {CellType.RNN_TANH, CellType.GRU, CellType.LSTM}) {
            out.add(Arguments.of(cell, 1, 1, 1));
            out.add(Arguments.of(cell, 3, 2, 2));
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0} inputs={1} layers={2} outputs={3}")
    @MethodSource("configs")
    void analyticGradientsMatchCentralDifferences(CellType cell, int inputs, int layers, int outputs) {
        FiniteDifferenceTest fd = new FiniteDifferenceTest();
        RecurrentRegressor model = new RecurrentRegressor(cell, inputs, 4, layers, outputs, Gemm.create(Gemm.Backend.JAVA, 1, false));
        Rng rng = new Rng(7);
        model.initPyTorchDefault(rng);
        int steps = 5, batch = 2;
        float[] x = new float[steps * batch * inputs], y = new float[steps * batch * outputs];
        for (int i = 0; i < x.length; i++) x[i] = (float) rng.nextGaussian();
        for (int i = 0; i < y.length; i++) y[i] = (float) rng.nextGaussian();
        RecurrentState init = model.zeroState(batch);
        for (int s = 0; s < init.slots(); s++) {
            for (int i = 0; i < init.h(s).length; i++) init.h(s)[i] = (float) (0.5 * rng.nextGaussian());
            if (init.hasCellState()) for (int i = 0; i < init.c(s).length; i++) init.c(s)[i] = (float) (0.5 * rng.nextGaussian());
        }
        model.parameters().zeroGrads();
        model.forward(x, y, steps, batch, init);
        RecurrentState dInit = model.zeroState(batch);
        model.backward(dInit);
        float[] analytic = model.parameters().grads().clone();
        java.util.function.DoubleSupplier loss = () -> model.forward(x, y, steps, batch, init);
        float[] w = model.parameters().values();
        for (Parameters.Tensor t : model.parameters().tensors()) {
            for (int i = t.offset(); i < t.offset() + t.size(); i++) {
                fd.check(t.name() + "[" + (i - t.offset()) + "]", analytic[i], fd.centralDifference(w, i, loss));
            }
        }
        for (int s = 0; s < init.slots(); s++) {
            for (int i = 0; i < init.h(s).length; i++) {
                fd.check("h0[" + s + "][" + i + "]", dInit.h(s)[i], fd.centralDifference(init.h(s), i, loss));
                if (init.hasCellState()) fd.check("c0[" + s + "][" + i + "]", dInit.c(s)[i], fd.centralDifference(init.c(s), i, loss));
            }
        }
    }

    @Test
    void carryingTheStateOneStepAtATimeEqualsOneLongForward() {
        RecurrentRegressor model = new RecurrentRegressor(CellType.LSTM, 1, 5, 2, 1, Gemm.create(Gemm.Backend.JAVA, 1, false));
        model.initPyTorchDefault(new Rng(3));
        int steps = 6, batch = 3;
        float[] x = new float[steps * batch];
        Rng rng = new Rng(4);
        for (int i = 0; i < x.length; i++) x[i] = (float) rng.nextGaussian();
        model.forward(x, null, steps, batch, null);
        float[] whole = model.predictions().clone();
        RecurrentState state = model.zeroState(batch);
        for (int t = 0; t < steps; t++) {
            model.forward(java.util.Arrays.copyOfRange(x, t * batch, (t + 1) * batch), null, 1, batch, state);
            for (int b = 0; b < batch; b++) assertThat(model.predictions()[b]).isCloseTo(whole[t * batch + b], within(1e-6f));
            model.finalState(state);
        }
    }
}
