package dev.rnnlab.nn;

import dev.rnnlab.Rng;
import dev.rnnlab.RnnlabException;
import dev.rnnlab.tensor.Gemm;
import dev.rnnlab.tensor.WorkerTeam;
import dev.rnnlab.tensor.Initializers;

/**
 * A recurrent language model (D2L 8.6's RNNModel): one-hot or embedded tokens, a stack of RNN, GRU or
 * LSTM layers (optionally bidirectional, dropout between layers), a linear output over every step and
 * the mean softmax cross-entropy over all T*B tokens. In training, the AWD-LSTM {@link Regularization}s
 * of its config act too: embedding dropout, locked dropout on the embedded input, between layers and on the
 * top layer's output, DropConnect on W_hh, and the AR and TAR penalties (whose value is
 * {@link #lastPenalty()}); a tied model's output layer uses the embedding matrix.
 *
 * <p>Use: {@link #forward} a time-major batch from an initial {@link RecurrentState}, then
 * {@link #backward} to accumulate dL/dtheta into {@link #parameters()}{@code .grads()} (and, if asked,
 * dL/d(initial state)); {@link #finalState} gives the state to carry into the next batch. One model
 * instance holds the buffers for its largest batch shape and is not thread-safe.
 */
public final class RecurrentLanguageModel implements LanguageModel {
    private final ModelConfig config;
    private final Parameters params = new Parameters();
    private final Embedding embedding;  // null for one-hot input
    private final RecurrentLayer[] layers;
    private final Linear output;

    private boolean training;
    private Rng dropoutRng;
    private float[][] dropMasks = new float[0][];  // per layer below the top: 0 or 1/(1-p), [T*B*D*H]
    private float[][] dropped = new float[0][];    // the masked outputs fed to the next layer
    private final Regularization reg;
    private Rng batchMasks;  // masks drawn once per batch for all streams (embedding rows, W_hh): the same in every shard
    private final LockedDropout inputLock = new LockedDropout(), outputLock = new LockedDropout();
    private final LockedDropout[] hiddenLocks;
    private float[] rowKeep = new float[0];   // embedding dropout: per token 0 or 1/(1-p_e)
    private float[] embedded = new float[0];  // the embedding's output with the dropped rows zeroed
    private float[] topRaw;                   // the top layer's output before output dropout (TAR's h_t)
    private double lastPenalty;

    private int steps, batch;
    private int[] inputs, targets;
    private float[] dLogits = new float[0];
    private float[] topOutput;
    private double lastLoss = Double.NaN;
    private float[] probe;  // per-step gradient norms of the top layer, when diagnostics ask
    private final WorkerTeam team;  // splits the softmax's rows (the layers split their units on the same team)
    private double[] rowLoss = new double[0];

    /** A model of shape {@code config} whose products run on {@code gemm}; all parameters are zero until initialized. */
    public RecurrentLanguageModel(ModelConfig config, Gemm gemm) {
        this.config = config;
        this.team = gemm.team();
        embedding = config.embed() > 0 ? new Embedding(config.vocab(), config.embed(), params) : null;
        layers = new RecurrentLayer[config.layers()];
        for (int l = 0; l < layers.length; l++) {
            layers[l] = new RecurrentLayer(config.cell(), l, config.inputSize(l), config.hidden(), config.bidirectional(), params, gemm);
        }
        // weight tying (AWD-LSTM 4.4, Press and Wolf 2017): the output layer's weight is the embedding
        output = config.regularization().tieWeights() ? new Linear(embedding.weight, params, gemm)
                : new Linear(config.directions() * config.hidden(), config.vocab(), params, gemm);
        params.allocate();
        reg = config.regularization();
        hiddenLocks = new LockedDropout[Math.max(0, config.layers() - 1)];
        for (int l = 0; l < hiddenLocks.length; l++) hiddenLocks[l] = new LockedDropout();
        if (config.layers() > 1) {
            dropMasks = new float[config.layers() - 1][0];
            dropped = new float[config.layers() - 1][0];
        }
    }

    @Override
    public ModelConfig config() {
        return config;
    }

    @Override
    public Parameters parameters() {
        return params;
    }

    /**
     * PyTorch's default initialisation: every recurrent and linear tensor U(-1/sqrt(fan), 1/sqrt(fan)) with
     * fan = H for the recurrent layers and the linear layer's input width for it; embeddings N(0, 1).
     */
    public void initPyTorchDefault(Rng rng) {
        float[] w = params.values();
        double rnnBound = 1 / Math.sqrt(config.hidden());
        for (Parameters.Tensor t : params.tensors()) {
            if (initLayerNorm(w, t)) continue;
            if (t.name().startsWith("rnn.")) Initializers.uniform(w, t.offset(), t.size(), rnnBound, rng);
            else if (t.name().startsWith("linear.")) Initializers.uniform(w, t.offset(), t.size(), 1 / Math.sqrt(output.in), rng);
            else Initializers.normal(w, t.offset(), t.size(), 1.0, rng);
        }
    }

    /**
     * A layer normalisation's gain starts at 1 and its shift at 0 (Ba et al. 2016), in every initialisation:
     * the normalisation then starts as the identity on the normalised values. True if {@code t} is one.
     */
    private static boolean initLayerNorm(float[] w, Parameters.Tensor t) {
        if (!t.name().startsWith("ln.")) return false;
        java.util.Arrays.fill(w, t.offset(), t.offset() + t.size(), t.name().startsWith("ln.gain") ? 1f : 0f);
        return true;
    }

    /** D2L 8.5's initialisation: weights N(0, 0.01^2), biases zero. */
    public void initD2l(Rng rng) {
        float[] w = params.values();
        for (Parameters.Tensor t : params.tensors()) {
            if (initLayerNorm(w, t)) continue;
            if (t.name().contains("bias")) java.util.Arrays.fill(w, t.offset(), t.offset() + t.size(), 0f);
            else Initializers.normal(w, t.offset(), t.size(), 0.01, rng);
        }
    }

    /** Training mode applies dropout (drawn from {@code rng}); evaluation mode does not. */
    @Override
    public void setTraining(boolean training, Rng rng) {
        setTraining(training, rng, rng);
    }

    /**
     * As {@link #setTraining(boolean, Rng)}, with the masks that cover a whole batch (embedding rows, W_hh
     * entries) drawn from {@code batchMasks}: the shards of one batch give each replica an equal copy of it,
     * so they all drop the same ones.
     */
    void setTraining(boolean training, Rng rng, Rng batchMasks) {
        boolean drops = config.dropout() > 0 || reg.embeddingDropout() > 0 || reg.inputDropout() > 0 || reg.hiddenDropout() > 0
                || reg.outputDropout() > 0 || reg.weightDrop() > 0;
        if (training && drops && (rng == null || batchMasks == null)) throw new IllegalArgumentException("dropout needs an Rng");
        this.training = training;
        this.dropoutRng = rng;
        this.batchMasks = batchMasks;
        if (!training) for (RecurrentLayer layer : layers) for (RecurrentCell c : layer.directions) c.keepRecurrentWeights();
    }

    /** A zero state for {@code batch} streams. */
    @Override
    public RecurrentState zeroState(int batch) {
        return RecurrentState.zeros(config, batch);
    }

    /**
     * Runs the model on a time-major batch ({@code inputs[t*B + b]}) from {@code initial} (null = zeros)
     * and returns the mean cross-entropy over all T*B targets, or NaN when {@code targets} is null
     * (logits only, e.g. for generation). Caches what {@link #backward} needs.
     */
    @Override
    public double forward(int[] inputs, int[] targets, int steps, int batch, RecurrentState initial) {
        checkBatch(inputs, targets, steps, batch, initial);
        this.steps = steps;
        this.batch = batch;
        this.inputs = inputs;
        this.targets = targets;
        int rows = steps * batch;
        float[] x = embedding != null ? embedding.forward(inputs, rows) : null;
        if (x != null && training && reg.embeddingDropout() > 0) x = dropEmbeddingRows(x, inputs, rows);
        for (RecurrentLayer layer : layers) {
            for (RecurrentCell c : layer.directions) {
                if (training && reg.weightDrop() > 0) c.dropRecurrentWeights(reg.weightDrop(), batchMasks);
                else c.keepRecurrentWeights();
                c.chooseProductPrecision(training);
            }
        }
        if (x != null && training && reg.inputDropout() > 0) x = inputLock.forward(x, steps, batch, config.embed(), reg.inputDropout(), dropoutRng);
        int[] tokens = embedding != null ? null : inputs;
        float[][] h0 = initial == null ? null : initial.h;
        float[][] c0 = initial == null ? null : initial.c;
        int d = config.directions();
        for (int l = 0; l < layers.length; l++) {
            float[] y = layers[l].forward(x, l == 0 ? tokens : null, steps, batch, h0, c0, l * d);
            if (l < layers.length - 1 && training && config.dropout() > 0) y = dropout(l, y, rows * layers[l].width());
            if (l < layers.length - 1 && training && reg.hiddenDropout() > 0) {
                y = hiddenLocks[l].forward(y, steps, batch, layers[l].width(), reg.hiddenDropout(), dropoutRng);
            }
            x = y;
        }
        topRaw = x;
        int width = layers[layers.length - 1].width();
        if (training && reg.outputDropout() > 0) x = outputLock.forward(x, steps, batch, width, reg.outputDropout(), dropoutRng);
        topOutput = x;
        lastPenalty = training ? penalty(steps, batch, width) : 0;
        float[] logits = output.forward(x, rows);
        if (targets == null) {
            lastLoss = Double.NaN;
            return lastLoss;
        }
        if (dLogits.length < rows * config.vocab()) dLogits = new float[rows * config.vocab()];
        int counted = SoftmaxCrossEntropy.counted(targets, rows);
        lastLoss = counted == 0 ? 0
                : SoftmaxCrossEntropy.forward(logits, targets, rows, config.vocab(), dLogits, counted, team, rowLosses(rows)) / counted;
        if (counted == 0) java.util.Arrays.fill(dLogits, 0, rows * config.vocab(), 0f);
        return lastLoss;
    }

    private double[] rowLosses(int rows) {
        if (rowLoss.length < rows) rowLoss = new double[rows];
        return rowLoss;
    }

    /** Embedding dropout: a new row mask over the vocabulary for this batch, applied to every occurrence. */
    private float[] dropEmbeddingRows(float[] x, int[] inputs, int rows) {
        int v = config.vocab(), e = config.embed();
        if (rowKeep.length < v) rowKeep = new float[v];
        if (embedded.length < rows * e) embedded = new float[rows * e];
        LockedDropout.bernoulli(rowKeep, v, reg.embeddingDropout(), batchMasks);
        for (int r = 0; r < rows; r++) {
            float k = rowKeep[inputs[r]];
            for (int j = 0, o = r * e; j < e; j++) embedded[o + j] = x[o + j] * k;
        }
        return embedded;
    }

    /**
     * AR + TAR of the last forward: alpha/N sum (m . h)^2 over the N = T*B*W dropped top outputs, plus
     * beta/N' sum_{t>=1} (h_t - h_{t-1})^2 over the N' = (T-1)*B*W differences of the raw ones.
     */
    private double penalty(int steps, int batch, int width) {
        double sum = 0;
        int n = steps * batch * width, perStep = batch * width;
        if (reg.activation() > 0) {
            double sq = 0;
            for (int i = 0; i < n; i++) sq += (double) topOutput[i] * topOutput[i];
            sum += reg.activation() * sq / n;
        }
        if (reg.temporalActivation() > 0 && steps > 1) {
            double sq = 0;
            for (int i = perStep; i < n; i++) {
                double d = topRaw[i] - topRaw[i - perStep];
                sq += d * d;
            }
            sum += reg.temporalActivation() * sq / (n - perStep);
        }
        return sum;
    }

    // inverted dropout: keep with probability 1-p and scale by 1/(1-p), so evaluation needs no rescaling
    private float[] dropout(int l, float[] y, int n) {
        if (dropMasks[l].length < n) {
            dropMasks[l] = new float[n];
            dropped[l] = new float[n];
        }
        float p = config.dropout(), keep = 1f / (1f - p);
        float[] mask = dropMasks[l], out = dropped[l];
        for (int i = 0; i < n; i++) {
            mask[i] = dropoutRng.nextFloat() < p ? 0f : keep;
            out[i] = y[i] * mask[i];
        }
        return out;
    }

    /**
     * Backpropagates the last forward's mean loss (times {@code lossScale}): accumulates dL/dtheta into the
     * gradient block and, when {@code gradInitial} is non-null, writes dL/d(initial state) into it.
     * {@code gradFinal} (null = 0) is the gradient arriving at the final state from later steps;
     * {@code stepScale} (may be null) multiplies, at every layer, the gradient passed from step t to the
     * state before it. Call once per forward.
     */
    @Override
    public void backward(RecurrentState gradInitial, RecurrentState gradFinal, float[] stepScale, float lossScale) {
        if (targets == null) throw new IllegalStateException("backward needs a forward with targets");
        if (stepScale != null && stepScale.length < steps) {
            throw new RnnlabException("stepScale has " + stepScale.length + " entries for " + steps + " steps");
        }
        if (gradInitial != null) checkState(gradInitial, batch, "gradient of the initial state");
        if (gradFinal != null) checkState(gradFinal, batch, "gradient of the final state");
        int rows = steps * batch, d = config.directions();
        if (lossScale != 1f) for (int i = 0, n = rows * config.vocab(); i < n; i++) dLogits[i] *= lossScale;
        layers[layers.length - 1].directions[0].normProbe = probe;
        float[] dy = output.backward(dLogits, topOutput, rows);
        if (training) penaltyBackward(dy, rows, lossScale);
        for (int l = layers.length - 1; l >= 0; l--) {
            boolean below = l > 0 || embedding != null;
            float[] dx = layers[l].backward(dy, gradFinal == null ? null : gradFinal.h, gradFinal == null ? null : gradFinal.c,
                    stepScale, gradInitial == null ? null : gradInitial.h, gradInitial == null ? null : gradInitial.c,
                    l * d, below);
            if (l > 0 && training && reg.hiddenDropout() > 0) hiddenLocks[l - 1].backward(dx, steps);
            if (l > 0 && training && config.dropout() > 0) {
                float[] mask = dropMasks[l - 1];
                for (int i = 0, n = rows * layers[l - 1].width(); i < n; i++) dx[i] *= mask[i];
            }
            dy = dx;
        }
        if (embedding != null) {
            if (training && reg.inputDropout() > 0) inputLock.backward(dy, steps);
            if (training && reg.embeddingDropout() > 0) {
                for (int r = 0, e = config.embed(); r < rows; r++) {
                    float k = rowKeep[inputs[r]];
                    for (int j = 0, o = r * e; j < e; j++) dy[o + j] *= k;
                }
            }
            embedding.backward(inputs, rows, dy);
        }
    }

    /**
     * Adds AR's and TAR's gradients to dy = dL/d(dropped top output), and takes it through the output
     * dropout to dL/d(raw top output):
     * d AR / d(m.h) = 2 alpha (m.h) / N, then times m; d TAR / dh_t = 2 beta/N' ((h_t - h_{t-1}) - (h_{t+1} - h_t)).
     */
    private void penaltyBackward(float[] dy, int rows, float lossScale) {
        int width = layers[layers.length - 1].width(), n = rows * width, perStep = batch * width;
        if (reg.activation() > 0) {
            float c = (float) (2.0 * reg.activation() * lossScale / n);
            for (int i = 0; i < n; i++) dy[i] += c * topOutput[i];
        }
        if (reg.outputDropout() > 0) outputLock.backward(dy, steps);
        if (reg.temporalActivation() > 0 && steps > 1) {
            float c = (float) (2.0 * reg.temporalActivation() * lossScale / (n - perStep));
            for (int i = perStep; i < n; i++) {
                float g = c * (topRaw[i] - topRaw[i - perStep]);
                dy[i] += g;
                dy[i - perStep] -= g;
            }
        }
    }

    /** Copies the state after the last forward's final step into {@code into} (to carry it onwards). */
    @Override
    public void finalState(RecurrentState into) {
        checkState(into, batch, "state");
        int d = config.directions();
        for (int l = 0; l < layers.length; l++)
            for (int k = 0; k < d; k++) {
                layers[l].directions[k].finalState(into.h[l * d + k], false);
                if (into.c != null) layers[l].directions[k].finalState(into.c[l * d + k], true);
            }
    }

    @Override
    public void stateAt(int t, RecurrentState into) {
        if (config.bidirectional()) throw new IllegalStateException("a bidirectional model has no state after step t");
        if (t < 0 || t >= steps) throw new IllegalArgumentException("step " + t + " outside the last forward's " + steps);
        checkState(into, batch, "state");
        for (int l = 0; l < layers.length; l++) {
            layers[l].directions[0].stateAfter(t, into.h[l], false);
            if (into.c != null) layers[l].directions[0].stateAfter(t, into.c[l], true);
        }
    }

    @Override
    public void probeGradientNorms(float[] perStep) {
        this.probe = perStep;
        if (perStep == null) for (RecurrentLayer l : layers) for (RecurrentCell c : l.directions) c.normProbe = null;
    }

    @Override
    public long activationBytes(int steps, int batch) {
        return config.activationBytes(steps, batch);
    }

    /** Logits of the last forward, [T*B][V] row-major (valid until the next forward). */
    @Override
    public float[] logits() {
        return output.logits();
    }

    /** The top layer's outputs of the last forward, [T][B][D*H]. */
    public float[] outputs() {
        return topOutput;
    }

    /** AR + TAR of the last forward in training (0 otherwise): what the gradient adds to the mean loss. */
    public double lastPenalty() {
        return lastPenalty;
    }

    /** The mean loss of the last forward: NaN before any forward and after one without targets. */
    public double lastLoss() {
        return lastLoss;
    }

    private void checkBatch(int[] inputs, int[] targets, int steps, int batch, RecurrentState initial) {
        if (steps < 1 || batch < 1) throw new RnnlabException("a batch needs steps >= 1 and batch >= 1, got " + steps + " x " + batch);
        int rows = steps * batch;
        if (inputs.length < rows) {
            throw new RnnlabException("inputs hold " + inputs.length + " tokens, fewer than steps x batch = " + steps + " x " + batch);
        }
        if (targets != null && targets.length < rows) {
            throw new RnnlabException("targets hold " + targets.length + " tokens, fewer than steps x batch = " + steps + " x " + batch);
        }
        int v = config.vocab();
        for (int r = 0; r < rows; r++) {
            if (inputs[r] < 0 || inputs[r] >= v || (targets != null && (targets[r] < IGNORE || targets[r] >= v))) {
                int bad = inputs[r] < 0 || inputs[r] >= v ? inputs[r] : targets[r];
                throw new RnnlabException("token index " + bad + " at step " + r / batch + ", stream " + r % batch
                        + " is outside the model's vocabulary of " + v + " (data and model use different vocabularies?)");
            }
        }
        if (initial != null) checkState(initial, batch, "initial state");
    }

    private void checkState(RecurrentState s, int batch, String what) {
        int slots = config.layers() * config.directions();
        if (s.slots() != slots || s.batch() != batch || s.hidden() != config.hidden() || s.hasCellState() != config.cell().hasCellState()) {
            throw new RnnlabException(what + " has shape " + s.describe() + " but the model needs [" + slots + " x " + batch + " x "
                    + config.hidden() + "]" + (config.cell().hasCellState() ? " with cell state" : ""));
        }
    }
}
