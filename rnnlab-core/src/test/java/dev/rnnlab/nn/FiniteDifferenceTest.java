package dev.rnnlab.nn;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rnnlab.Rng;
import dev.rnnlab.tensor.Gemm;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every analytic gradient of the model (every parameter element and every entry of the initial state)
 * against a central difference (L(w + e) - L(w - e)) / 2e.
 *
 * <p>Tolerance, in float32: the loss is a mean of T*B per-token losses, each computed through about
 * 2(layers+1) dot products of length <= 12 with unit round-off u = 6e-8, so its rounding noise is of
 * order 1e-7 absolute; divided by 2e with e = 1e-2 that is 1e-5 in the difference quotient. The
 * truncation error of the central difference is e^2/6 |L'''|, about 2e-5 for these O(1) functions. So an
 * entry passes when |fd - analytic| <= 2e-4 + 1e-2 |analytic|: ten times the expected error, and far below
 * what a wrong term in a backward pass gives (typically 1e-2 to 1e-1 here). The worst relative error per
 * tensor is printed.
 *
 * <p>The AWD-LSTM regularisers are checked the same way, with every mask fixed by re-seeding the dropout
 * stream before each forward (a dropout mask is a constant of the function being differentiated), and
 * AR and TAR added to the objective.
 *
 * <p>ReLU has kinks: a step of 1e-2 can carry a pre-activation across 0, and the difference quotient then
 * measures a mixture of two slopes. For the ReLU RNN the step is 1e-3 (so a crossing needs a
 * pre-activation within 1e-3 of 0), and the absolute tolerance grows tenfold with the rounding noise.
 */
class FiniteDifferenceTest {
    static final double REL_TOL = 1e-2;
    float eps = 1e-2f;
    double absTol = 2e-4;

    static Stream<Arguments> configs() {
        List<Arguments> out = new ArrayList<>();
        for (Gemm.Backend backend : new Gemm.Backend[] {Gemm.Backend.ONEDNN, Gemm.Backend.OPENBLAS, Gemm.Backend.JAVA})
            for (CellType cell : CellType.values()) {
                out.add(Arguments.of(backend, new ModelConfig(cell, 5, 0, 4, 1, false, 0f), true));
                out.add(Arguments.of(backend, new ModelConfig(cell, 5, 0, 4, 1, false, 0f), false));
                out.add(Arguments.of(backend, new ModelConfig(cell, 5, 3, 4, 2, false, 0f), true));
                out.add(Arguments.of(backend, new ModelConfig(cell, 5, 0, 4, 1, true, 0f), true));
                out.add(Arguments.of(backend, new ModelConfig(cell, 5, 3, 3, 2, true, 0f), true));
                out.add(Arguments.of(backend, new ModelConfig(cell, 5, 0, 4, 2, false, 0.3f), true));
                // AWD-LSTM's regularisers: every dropout with its masks fixed, AR and TAR in the objective
                out.add(Arguments.of(backend, new ModelConfig(cell, 5, 3, 4, 2, false, 0f, Regularization.builder().embeddingDropout(0.3f).inputDropout(0.3f).hiddenDropout(0.3f)
                        .outputDropout(0.3f).weightDrop(0.3f).activation(2f).temporalActivation(1f).build()), true));
                out.add(Arguments.of(backend, new ModelConfig(cell, 5, 0, 4, 1, false, 0f, Regularization.builder().outputDropout(0.4f).weightDrop(0.5f).temporalActivation(3f).build()), false));
                out.add(Arguments.of(backend, new ModelConfig(cell, 5, 3, 3, 2, true, 0.2f, Regularization.builder().embeddingDropout(0.2f).inputDropout(0.2f)
                        .hiddenDropout(0.2f).outputDropout(0.2f).weightDrop(0.2f).activation(1f).temporalActivation(1f).build()), true));
                // weight tying: one matrix, the embedding's gradient and the output layer's summed into it
                out.add(Arguments.of(backend, new ModelConfig(cell, 5, 4, 4, 2, false, 0f, Regularization.builder().embeddingDropout(0.2f).outputDropout(0.2f)
                        .activation(1f).temporalActivation(1f).tieWeights(true).build()), true));
                out.add(Arguments.of(backend, new ModelConfig(cell, 5, 6, 3, 1, true, 0f, Regularization.builder().tieWeights(true).build()), false));
            }
        return out.stream();
    }

    @ParameterizedTest(name = "{0} {1} initialState={2}")
    @MethodSource("configs")
    void analyticGradientsMatchCentralDifferences(Gemm.Backend backend, ModelConfig config, boolean withInitialState) {
        checkGradients(Gemm.create(backend, 1, false), backend.name(), config, withInitialState);
    }

    /**
     * The same check with the time loops split by hidden units over a two-thread team (hidden 32: 16 units a
     * part, RecurrentCell.MIN_UNITS_PER_PART). Dot products grow to length 32 + 5, which raises the rounding
     * noise of the loss to a few 1e-7, still well inside the tolerance above.
     */
    static Stream<Arguments> teamConfigs() {
        Regularization awd = Regularization.builder().embeddingDropout(0.2f).inputDropout(0.2f).hiddenDropout(0.2f)
                .outputDropout(0.2f).weightDrop(0.3f).activation(1f).temporalActivation(1f).build();
        return Stream.of(
                Arguments.of(new ModelConfig(CellType.LSTM, 5, 0, 32, 1, false, 0f), true),
                Arguments.of(new ModelConfig(CellType.GRU, 5, 3, 32, 1, true, 0f), true),
                Arguments.of(new ModelConfig(CellType.RNN_TANH, 5, 3, 32, 2, false, 0.2f), true),
                Arguments.of(new ModelConfig(CellType.LSTM, 5, 3, 32, 2, false, 0f, awd), false),
                // not split (its normalisations need whole rows), but its products run on the team's GEMM
                Arguments.of(new ModelConfig(CellType.LSTM_LN, 5, 3, 32, 2, false, 0f, awd), true));
    }

    @ParameterizedTest(name = "team of 2: {0} initialState={1}")
    @MethodSource("teamConfigs")
    void analyticGradientsThroughTheTeamMatchCentralDifferences(ModelConfig config, boolean withInitialState) {
        Gemm gemm = Gemm.create(Gemm.Backend.AUTO, 2, false);
        assertThat(gemm.team()).isNotNull();
        checkGradients(gemm, "team of 2", config, withInitialState);
    }

    private void checkGradients(Gemm gemm, String backend, ModelConfig config, boolean withInitialState) {
        if (config.cell() == CellType.RNN_RELU) {
            eps = 1e-3f;
            absTol = 2e-3;
        }
        if (config.cell() == CellType.LSTM_LN) {
            // a normalisation over the 3-4 units of these rows divides by a small spread, so the loss curves
            // sharply in each weight: a step of 1e-2 left the central difference's O(eps^2) error at 2-3%
            // (analytic 0.1436, difference 0.1470, where TorchFixtureTest's float64 values agree with the
            // analytic to 1e-5); a smaller step, with the float noise it lets in, is the fair check
            eps = 1e-3f;
            absTol = 1e-3;
        }
        RecurrentLanguageModel model = new RecurrentLanguageModel(config, gemm);
        Rng rng = new Rng(42);
        model.initPyTorchDefault(rng);
        if (config.cell() == CellType.RNN_RELU) shiftBiasesAwayFromKinks(model, rng);
        int steps = 4, batch = 2;
        int[] inputs = randomTokens(steps * batch, config.vocab(), rng);
        int[] targets = randomTokens(steps * batch, config.vocab(), rng);
        RecurrentState init = withInitialState ? randomState(model, batch, rng) : null;
        long dropoutSeed = 99;

        model.parameters().zeroGrads();
        model.setTraining(true, new Rng(dropoutSeed));
        model.forward(inputs, targets, steps, batch, init);
        RecurrentState dInit = model.zeroState(batch);
        model.backward(dInit, null);
        float[] analytic = model.parameters().grads().clone();

        // the objective as a function of the parameters, with the same dropout masks every time: the mean
        // loss plus AR and TAR, whose gradients backward adds
        java.util.function.DoubleSupplier loss = () -> {
            model.setTraining(true, new Rng(dropoutSeed));
            return model.forward(inputs, targets, steps, batch, init) + model.lastPenalty();
        };

        float[] w = model.parameters().values();
        StringBuilder report = new StringBuilder(String.format(Locale.ROOT, "%s %s init=%s:", backend, config, withInitialState));
        for (Parameters.Tensor t : model.parameters().tensors()) {
            double worst = 0;
            for (int i = t.offset(); i < t.offset() + t.size(); i++) {
                double fd = centralDifference(w, i, loss);
                worst = Math.max(worst, check(t.name() + "[" + (i - t.offset()) + "]", analytic[i], fd));
            }
            report.append(String.format(Locale.ROOT, " %s %.1e", t.name(), worst));
        }
        if (init != null) {
            double worst = 0;
            for (int s = 0; s < init.slots(); s++) {
                for (int i = 0; i < init.h(s).length; i++)
                    worst = Math.max(worst, check("h0[" + s + "][" + i + "]", dInit.h(s)[i], centralDifference(init.h(s), i, loss)));
                if (init.hasCellState())
                    for (int i = 0; i < init.c(s).length; i++)
                        worst = Math.max(worst, check("c0[" + s + "][" + i + "]", dInit.c(s)[i], centralDifference(init.c(s), i, loss)));
            }
            report.append(String.format(Locale.ROOT, " initial-state %.1e", worst));
        }
        System.out.println(report);
    }

    double centralDifference(float[] w, int i, java.util.function.DoubleSupplier loss) {
        float saved = w[i];
        w[i] = saved + eps;
        double plus = loss.getAsDouble();
        w[i] = saved - eps;
        double minus = loss.getAsDouble();
        w[i] = saved;
        // the step actually taken, in float
        return (plus - minus) / ((double) (saved + eps) - (double) (saved - eps));
    }

    /** Asserts and returns the relative error |fd - a| / max(|a|, 1e-3). */
    double check(String what, double analytic, double fd) {
        assertThat(Math.abs(fd - analytic))
                .as("%s: analytic %.6g vs finite difference %.6g", what, analytic, fd)
                .isLessThanOrEqualTo(absTol + REL_TOL * Math.abs(analytic));
        return Math.abs(fd - analytic) / Math.max(Math.abs(analytic), 1e-3);
    }

    /** ReLU is not differentiable at 0; keep pre-activations away from it so the difference is meaningful. */
    static void shiftBiasesAwayFromKinks(RecurrentLanguageModel model, Rng rng) {
        float[] w = model.parameters().values();
        for (Parameters.Tensor t : model.parameters().tensors())
            if (t.name().startsWith("rnn.bias")) for (int i = 0; i < t.size(); i++) w[t.offset() + i] += 0.3f;
    }

    static int[] randomTokens(int n, int vocab, Rng rng) {
        int[] a = new int[n];
        for (int i = 0; i < n; i++) a[i] = rng.nextInt(vocab);
        return a;
    }

    static RecurrentState randomState(RecurrentLanguageModel model, int batch, Rng rng) {
        RecurrentState s = model.zeroState(batch);
        for (int k = 0; k < s.slots(); k++) {
            for (int i = 0; i < s.h(k).length; i++) s.h(k)[i] = (float) (0.5 * rng.nextGaussian());
            if (s.hasCellState()) for (int i = 0; i < s.c(k).length; i++) s.c(k)[i] = (float) (0.5 * rng.nextGaussian());
        }
        return s;
    }
}
