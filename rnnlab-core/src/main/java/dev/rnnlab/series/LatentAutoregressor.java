package dev.rnnlab.series;

import dev.rnnlab.RnnlabException;
import dev.rnnlab.Rng;
import dev.rnnlab.nn.CellType;
import dev.rnnlab.nn.RecurrentRegressor;
import dev.rnnlab.nn.RecurrentState;
import dev.rnnlab.tensor.Gemm;
import dev.rnnlab.train.Adam;
import java.util.Arrays;
import java.util.Locale;
import java.util.function.DoubleConsumer;

/**
 * D2L 8.1.1's latent autoregressive model: a summary h_t = g(h_{t-1}, x_t) of the past, kept by an RNN, GRU
 * or LSTM, and the prediction x_hat_{t+1} = W h_t + b. Trained to predict every next value of windows of
 * the training part, each run from a zero state; predictions are made the same way, from a zero state
 * over the last {@code window} observations, so the state is never asked to summarize a longer past than
 * it was trained on. Beyond the observations the model's own predictions are its inputs.
 */
public final class LatentAutoregressor implements Forecaster {
    /** The network and its training. */
    public record Config(CellType cell, int hidden, int layers, int window, int epochs, int batch, double learningRate) {
        /** Checks that the sizes and batch are 1 or more, the epochs 0 or more, and the learning rate positive. */
        public Config {
            if (hidden < 1 || layers < 1) throw new RnnlabException("hidden size and layers must be 1 or more");
            if (window < 1) throw new RnnlabException("--window must be 1 or more, got " + window);
            if (epochs < 0) throw new RnnlabException("--epochs must be 0 or more, got " + epochs);
            if (batch < 1) throw new RnnlabException("batch size must be 1 or more, got " + batch);
            if (!(learningRate > 0)) throw new RnnlabException("learning rate must be positive, got " + learningRate);
        }

        /** 16 hidden units, one layer, windows of 32, 20 epochs of minibatches of 16 windows, Adam lr 0.01. */
        public static Config defaults(CellType cell) {
            return new Config(cell, 16, 1, 32, 20, 16, 0.01);
        }
    }

    private final Config config;
    private final RecurrentRegressor net;

    private LatentAutoregressor(Config config, Rng rng) {
        this.config = config;
        // the matrices are tiny (H = 16): the pure-Java GEMM, single-threaded and deterministic
        this.net = new RecurrentRegressor(config.cell(), 1, config.hidden(), config.layers(), 1,
                Gemm.create(Gemm.Backend.JAVA, 1, false));
        net.initPyTorchDefault(rng);
    }

    /**
     * Trains on x_0..x_{trainEnd-1}: every window x_s..x_{s+W-1} with targets x_{s+1}..x_{s+W}, in a fresh
     * random order each epoch. {@code epochLoss}, if not null, receives each epoch's mean training loss.
     */
    public static LatentAutoregressor train(double[] x, int trainEnd, Config config, Rng rng, DoubleConsumer epochLoss) {
        int w = config.window();
        if (trainEnd > x.length || trainEnd < w + 1) {
            throw new RnnlabException("the training part (" + trainEnd + " values) must hold a window of " + w
                    + " plus one value, and fit in the series of " + x.length);
        }
        LatentAutoregressor model = new LatentAutoregressor(config, rng.split());
        RecurrentRegressor net = model.net;
        Adam adam = new Adam(net.parameters().size(), 0.9, 0.999, 1e-8, 0, false);
        int windows = trainEnd - w;
        int[] order = new int[windows];
        for (int i = 0; i < windows; i++) order[i] = i;
        for (int epoch = 0; epoch < config.epochs(); epoch++) {
            rng.shuffle(order);
            double total = 0;
            for (int start = 0; start < windows; start += config.batch()) {
                int b = Math.min(config.batch(), windows - start);
                float[] in = new float[w * b], target = new float[w * b];
                for (int j = 0; j < b; j++) {
                    int s = order[start + j];
                    for (int t = 0; t < w; t++) {
                        in[t * b + j] = (float) x[s + t];
                        target[t * b + j] = (float) x[s + t + 1];
                    }
                }
                net.parameters().zeroGrads();
                total += net.forward(in, target, w, b, null) * b;
                net.backward(null);
                adam.step(net.parameters(), config.learningRate());
            }
            if (epochLoss != null) epochLoss.accept(total / windows);
        }
        return model;
    }

    @Override
    public double[] predictAhead(double[] x, int k) {
        if (k < 1) throw new RnnlabException("horizons must be 1 or more, got " + k);
        int w = config.window(), first = w + k - 1;
        double[] out = new double[x.length];
        Arrays.fill(out, Double.NaN);
        int streams = x.length - first;
        if (streams <= 0) return out;
        // stream b predicts x_t, t = first + b, from the observations x_{t-k-w+1} .. x_{t-k}
        float[] in = new float[w * streams];
        for (int b = 0; b < streams; b++) {
            int last = first + b - k;
            for (int j = 0; j < w; j++) in[j * streams + b] = (float) x[last - w + 1 + j];
        }
        float[] predicted = run(in, w, streams, k);
        for (int b = 0; b < streams; b++) out[first + b] = predicted[b];
        return out;
    }

    /** Runs the warm-up window, then feeds each prediction back k-1 times; returns the last predictions. */
    private float[] run(float[] warmUp, int w, int streams, int k) {
        net.forward(warmUp, null, w, streams, null);
        float[] predicted = Arrays.copyOfRange(net.predictions(), (w - 1) * streams, w * streams);
        RecurrentState state = net.zeroState(streams);
        for (int step = 1; step < k; step++) {
            net.finalState(state);
            net.forward(predicted, null, 1, streams, state);
            predicted = Arrays.copyOf(net.predictions(), streams);
        }
        return predicted;
    }

    @Override
    public double[] continueFrom(double[] x, int from) {
        int w = config.window();
        if (from < w || from > x.length) {
            throw new RnnlabException("predictions fed back must start between " + w + " and " + x.length + ", got " + from);
        }
        double[] out = new double[x.length];
        Arrays.fill(out, Double.NaN);
        if (from == x.length) return out;
        float[] in = new float[w];
        for (int j = 0; j < w; j++) in[j] = (float) x[from - w + j];
        net.forward(in, null, w, 1, null);
        float y = net.predictions()[w - 1];
        RecurrentState state = net.zeroState(1);
        for (int t = from; t < x.length; t++) {
            out[t] = y;
            if (t + 1 == x.length) break;
            net.finalState(state);
            net.forward(new float[] {y}, null, 1, 1, state);
            y = net.predictions()[0];
        }
        return out;
    }

    @Override
    public int context() {
        return config.window();
    }

    @Override
    public String describe() {
        return String.format(Locale.ROOT, "latent autoregressor: %s, hidden %d, %d layer%s, windows of %d; "
                + "Adam lr %s, batch %d, %d epochs", config.cell().label(), config.hidden(), config.layers(),
                config.layers() == 1 ? "" : "s", config.window(), config.learningRate(), config.batch(), config.epochs());
    }
}
