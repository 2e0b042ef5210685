package dev.rnnlab.series;

import dev.rnnlab.RnnlabException;
import dev.rnnlab.Rng;
import java.util.Arrays;
import java.util.Locale;
import java.util.function.DoubleConsumer;

/**
 * D2L 8.1.2's autoregressive model: x_t predicted from the features (x_{t-tau}, ..., x_{t-1}) by
 * <pre>
 *   a = relu(W1 f + b1)     W1 [H, tau], b1 [H]
 *   y = w2 . a + b2         w2 [H], b2 scalar
 * </pre>
 * with D2L's initialization (Xavier uniform weights, PyTorch's default U(-1/sqrt(fan_in), 1/sqrt(fan_in))
 * biases), squared loss and Adam. Parameters live in one {@code double[]}: W1, b1, w2, b2.
 */
public final class MlpAutoregressor implements Forecaster {
    /** D2L 8.1.2's settings: tau 4, hidden 10, 5 epochs of minibatches of 16, Adam with learning rate 0.01. */
    public record Config(int tau, int hidden, int epochs, int batch, double learningRate) {
        /** Checks that tau, the sizes and batch are 1 or more, the epochs 0 or more, and the learning rate positive. */
        public Config {
            if (tau < 1) throw new RnnlabException("--tau must be 1 or more, got " + tau);
            if (hidden < 1) throw new RnnlabException("hidden size must be 1 or more, got " + hidden);
            if (epochs < 0) throw new RnnlabException("--epochs must be 0 or more, got " + epochs);
            if (batch < 1) throw new RnnlabException("batch size must be 1 or more, got " + batch);
            if (!(learningRate > 0)) throw new RnnlabException("learning rate must be positive, got " + learningRate);
        }

        /** D2L 8.1.2's settings: tau 4, hidden 10, 5 epochs of minibatches of 16, learning rate 0.01. */
        public static Config d2l() {
            return new Config(4, 10, 5, 16, 0.01);
        }
    }

    private final Config config;
    private final int tau, hidden, b1, w2, b2;  // offsets into w
    final double[] w;

    MlpAutoregressor(Config config, Rng rng) {
        this.config = config;
        this.tau = config.tau();
        this.hidden = config.hidden();
        b1 = hidden * tau;
        w2 = b1 + hidden;
        b2 = w2 + hidden;
        w = new double[b2 + 1];
        double xavier1 = Math.sqrt(6.0 / (tau + hidden)), xavier2 = Math.sqrt(6.0 / (hidden + 1));
        for (int i = 0; i < b1; i++) w[i] = xavier1 * (2 * rng.nextDouble() - 1);
        for (int i = b1; i < w2; i++) w[i] = (2 * rng.nextDouble() - 1) / Math.sqrt(tau);
        for (int i = w2; i < b2; i++) w[i] = xavier2 * (2 * rng.nextDouble() - 1);
        w[b2] = (2 * rng.nextDouble() - 1) / Math.sqrt(hidden);
    }

    /**
     * Trains on the first {@code examples} (features, label) pairs of {@code x}: example i is
     * (x_i..x_{i+tau-1}) -&gt; x_{i+tau}, as D2L's {@code features[:n_train]}. Each epoch visits them in a
     * fresh random order; {@code epochLoss}, if not null, receives each epoch's mean training loss.
     */
    public static MlpAutoregressor train(double[] x, int examples, Config config, Rng rng, DoubleConsumer epochLoss) {
        int tau = config.tau();
        if (examples < 1 || examples > x.length - tau) {
            throw new RnnlabException("--train must be between 1 and " + (x.length - tau) + " examples for a series of "
                    + x.length + " values with tau " + tau + ", got " + examples);
        }
        MlpAutoregressor model = new MlpAutoregressor(config, rng.split());
        AdamUpdate adam = new AdamUpdate(model.w.length, config.learningRate());
        double[] grad = new double[model.w.length];
        int[] order = new int[examples];
        for (int i = 0; i < examples; i++) order[i] = i;
        double[] features = new double[config.batch() * tau], labels = new double[config.batch()];
        for (int epoch = 0; epoch < config.epochs(); epoch++) {
            rng.shuffle(order);
            double total = 0;
            for (int start = 0; start < examples; start += config.batch()) {
                int n = Math.min(config.batch(), examples - start);
                for (int r = 0; r < n; r++) {
                    System.arraycopy(x, order[start + r], features, r * tau, tau);
                    labels[r] = x[order[start + r] + tau];
                }
                Arrays.fill(grad, 0);
                total += model.lossAndGradient(features, labels, n, grad) * n;
                adam.step(model.w, grad);
            }
            if (epochLoss != null) epochLoss.accept(total / examples);
        }
        return model;
    }

    /** y = w2 . relu(W1 f + b1) + b2 for the features {@code f[off .. off + tau)}. */
    double forward(double[] f, int off, double[] activations) {
        double y = w[b2];
        for (int j = 0; j < hidden; j++) {
            double z = w[b1 + j];
            for (int i = 0; i < tau; i++) z += w[j * tau + i] * f[off + i];
            double a = z > 0 ? z : 0;
            if (activations != null) activations[j] = a;
            y += w[w2 + j] * a;
        }
        return y;
    }

    /**
     * Mean squared error over {@code n} examples (features [n, tau], labels [n]), and its gradient added to
     * {@code grad}: dL/dy = 2 (y - label) / n, then back through the read-out and the ReLU (a = 0 passes
     * nothing back, D2L 5.1.2's convention of derivative 0 at z = 0).
     */
    double lossAndGradient(double[] features, double[] labels, int n, double[] grad) {
        double[] a = new double[hidden];
        double loss = 0;
        for (int r = 0; r < n; r++) {
            double y = forward(features, r * tau, a);
            double e = y - labels[r];
            loss += e * e;
            double dy = 2 * e / n;
            grad[b2] += dy;
            for (int j = 0; j < hidden; j++) {
                grad[w2 + j] += dy * a[j];
                if (a[j] <= 0) continue;
                double dz = dy * w[w2 + j];
                grad[b1 + j] += dz;
                for (int i = 0; i < tau; i++) grad[j * tau + i] += dz * features[r * tau + i];
            }
        }
        return loss / n;
    }

    @Override
    public double[] predictAhead(double[] x, int k) {
        if (k < 1) throw new RnnlabException("horizons must be 1 or more, got " + k);
        double[] out = new double[x.length];
        Arrays.fill(out, Double.NaN);
        double[] window = new double[tau + k];
        for (int t = tau + k - 1; t < x.length; t++) {
            // observations x_{t-k-tau+1} .. x_{t-k}, then k predictions, each from the tau values before it
            System.arraycopy(x, t - k - tau + 1, window, 0, tau);
            for (int s = 0; s < k; s++) window[tau + s] = forward(window, s, null);
            out[t] = window[tau + k - 1];
        }
        return out;
    }

    @Override
    public double[] continueFrom(double[] x, int from) {
        if (from < tau || from > x.length) {
            throw new RnnlabException("predictions fed back must start between " + tau + " and " + x.length + ", got " + from);
        }
        double[] buffer = x.clone(), out = new double[x.length];
        Arrays.fill(out, 0, from, Double.NaN);
        for (int t = from; t < x.length; t++) out[t] = buffer[t] = forward(buffer, t - tau, null);
        return out;
    }

    @Override
    public int context() {
        return tau;
    }

    @Override
    public String describe() {
        return String.format(Locale.ROOT, "MLP autoregressor: tau %d, hidden %d, ReLU; Adam lr %s, batch %d, %d epochs",
                tau, hidden, config.learningRate(), config.batch(), config.epochs());
    }
}
