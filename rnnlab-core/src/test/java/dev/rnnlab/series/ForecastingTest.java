package dev.rnnlab.series;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.rnnlab.Rng;
import dev.rnnlab.nn.CellType;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class ForecastingTest {
    static final int[] HORIZONS = {1, 4, 16, 64};

    /**
     * The MLP's gradient against central differences, in double precision: step 1e-6, so truncation
     * (e^2/6 |L'''| ~ 1e-13) and rounding (1e-16 / 1e-6 = 1e-10) are far below the 1e-6 tolerance. Biases
     * are shifted so no pre-activation lies within a step of ReLU's kink.
     */
    @Test
    void mlpGradientsMatchCentralDifferences() {
        MlpAutoregressor mlp = new MlpAutoregressor(new MlpAutoregressor.Config(4, 6, 1, 8, 0.01), new Rng(1));
        Rng rng = new Rng(2);
        int n = 8;
        double[] features = new double[n * 4], labels = new double[n];
        for (int i = 0; i < features.length; i++) features[i] = rng.nextGaussian();
        for (int i = 0; i < n; i++) labels[i] = rng.nextGaussian();
        double[] grad = new double[mlp.w.length];
        mlp.lossAndGradient(features, labels, n, grad);
        int active = 0;
        double eps = 1e-6;
        for (int i = 0; i < mlp.w.length; i++) {
            double saved = mlp.w[i];
            mlp.w[i] = saved + eps;
            double plus = mlp.lossAndGradient(features, labels, n, new double[grad.length]);
            mlp.w[i] = saved - eps;
            double minus = mlp.lossAndGradient(features, labels, n, new double[grad.length]);
            mlp.w[i] = saved;
            double fd = (plus - minus) / (2 * eps);
            assertThat(grad[i]).as("parameter %d", i).isCloseTo(fd, within(1e-6 + 1e-6 * Math.abs(fd)));
            if (grad[i] != 0) active++;
        }
        assertThat(active).as("parameters with a gradient (the ReLUs are not all off)").isGreaterThan(mlp.w.length / 2);
    }

    /** D2L 8.1.2 with its settings: one-step predictions near the noise floor, errors growing with k. */
    @Test
    void theMlpReproducesD2lsSineExperiment() {
        double[] x = Series.noisySine(1000, 0.2, 1).values();
        double[] losses = new double[5];
        int[] epoch = {0};
        MlpAutoregressor mlp = MlpAutoregressor.train(x, 600, MlpAutoregressor.Config.d2l(), new Rng(1),
                l -> losses[epoch[0]++] = l);
        assertThat(losses[4]).isLessThan(losses[0]).isLessThan(0.2);
        HorizonErrors errors = HorizonErrors.measure(mlp, x, 604, HORIZONS);
        assertThat(errors.targets()).isEqualTo(396);
        // the noise variance 0.04 is the floor of the one-step error
        assertThat(errors.mse()[0]).isBetween(0.03, 0.07);
        assertThat(errors.mse()[3]).isGreaterThan(2 * errors.mse()[0]);
        assertThat(errors.mse()[1]).isGreaterThan(errors.mse()[0]);
        // one-step predictions use only observations; the free run from 604 only its own predictions
        double[] free = mlp.continueFrom(x, 604);
        assertThat(free[604]).isCloseTo(errors.predictions()[0][604], within(1e-12));
        assertThat(free[603]).isNaN();
        assertThat(errors.predictions()[0][3]).isNaN();
        assertThat(errors.predictions()[0][4]).isFinite();
        assertThat(errors.predictions()[3][66]).isNaN();
        assertThat(errors.predictions()[3][67]).isFinite();
    }

    @Test
    void aLatentGruLearnsTheSineAndItsErrorsGrowWithTheHorizon() {
        double[] x = Series.noisySine(1000, 0.2, 1).values();
        LatentAutoregressor gru = LatentAutoregressor.train(x, 604, LatentAutoregressor.Config.defaults(CellType.GRU),
                new Rng(1), null);
        HorizonErrors errors = HorizonErrors.measure(gru, x, 604, HORIZONS);
        assertThat(errors.mse()[0]).isBetween(0.03, 0.08);
        assertThat(errors.mse()[3]).isGreaterThan(errors.mse()[0]);
        double[] free = gru.continueFrom(x, 604);
        assertThat(free[604]).isCloseTo(errors.predictions()[0][604], within(1e-5));
        assertThat(Arrays.stream(free, 604, 1000).allMatch(Double::isFinite)).isTrue();
        assertThat(errors.predictions()[0][31]).isNaN();
        assertThat(errors.predictions()[0][32]).isFinite();
    }

    @Test
    void theNoisySineIsSeededAndHasD2lsShape() {
        double[] a = Series.noisySine(1000, 0.2, 1).values(), b = Series.noisySine(1000, 0.2, 1).values();
        assertThat(a).isEqualTo(b).hasSize(1000);
        double[] clean = Series.noisySine(1000, 0, 1).values();
        assertThat(clean[0]).isCloseTo(Math.sin(0.01), within(1e-15));
        double var = 0;
        for (int t = 0; t < 1000; t++) var += (a[t] - clean[t]) * (a[t] - clean[t]);
        assertThat(var / 1000).isCloseTo(0.04, within(0.008));
    }
}
