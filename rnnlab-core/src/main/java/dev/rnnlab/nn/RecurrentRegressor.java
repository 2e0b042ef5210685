package dev.rnnlab.nn;

import dev.rnnlab.Rng;
import dev.rnnlab.RnnlabException;
import dev.rnnlab.tensor.Gemm;
import dev.rnnlab.tensor.Initializers;

/**
 * A recurrent network over dense real-valued inputs with a linear read-out at every step and the mean
 * squared error: D2L 8.1.1's latent autoregressive model, h_t = g(h_{t-1}, x_t), x_hat_{t+1} = W h_t + b.
 * The same {@link RecurrentLayer}s as {@link RecurrentLanguageModel} (RNN, GRU or LSTM, stacked), fed
 * {@code [T][B][I]} inputs instead of tokens, and a {@link Linear} head of O outputs.
 *
 * <p>Use: {@link #forward} a time-major batch from an initial state (null = zeros), {@link #backward} to
 * accumulate dL/dtheta into {@link #parameters()}, {@link #finalState} to carry the state on (for
 * feeding predictions back as inputs, one step at a time). Not thread-safe.
 */
public final class RecurrentRegressor {
    private final CellType cell;
    private final int inputSize, hidden, outputs;
    private final ModelConfig stateShape;  // only the shape of states: layers x hidden, cell state or not
    private final Parameters params = new Parameters();
    private final RecurrentLayer[] layers;
    private final Linear head;

    private int steps, batch;
    private float[] targets;
    private float[] topOutput;
    private float[] dPredictions = new float[0];

    /** A stack of {@code layers} {@code cell} layers of {@code hidden} units, I = {@code inputSize}, O = {@code outputs}. */
    public RecurrentRegressor(CellType cell, int inputSize, int hidden, int layers, int outputs, Gemm gemm) {
        if (inputSize < 1 || outputs < 1) {
            throw new RnnlabException("a regressor needs at least one input and one output, got " + inputSize + " and " + outputs);
        }
        this.cell = cell;
        this.inputSize = inputSize;
        this.hidden = hidden;
        this.outputs = outputs;
        this.stateShape = new ModelConfig(cell, inputSize, 0, hidden, layers, false, 0f);
        this.layers = new RecurrentLayer[layers];
        for (int l = 0; l < layers; l++) {
            this.layers[l] = new RecurrentLayer(cell, l, l == 0 ? inputSize : hidden, hidden, false, params, gemm);
        }
        head = new Linear(hidden, outputs, params, gemm);
        params.allocate();
    }

    /** The network's parameters and their gradients. */
    public Parameters parameters() {
        return params;
    }

    /** The cell type of every layer. */
    public CellType cell() {
        return cell;
    }

    /** PyTorch's default: every tensor U(-1/sqrt(H), 1/sqrt(H)) (the head's fan-in is H too). */
    public void initPyTorchDefault(Rng rng) {
        Initializers.uniform(params.values(), 0, params.size(), 1 / Math.sqrt(hidden), rng);
    }

    /** Zero states for {@code batch} streams. */
    public RecurrentState zeroState(int batch) {
        return RecurrentState.zeros(stateShape, batch);
    }

    /**
     * Runs the network over {@code x} ([T][B][I], time-major) from {@code initial} (null = zeros) and returns
     * the mean of (prediction - target)^2 over all T*B*O outputs, or NaN when {@code targets} is null.
     * {@link #predictions()} then holds the [T][B][O] read-outs.
     */
    public double forward(float[] x, float[] targets, int steps, int batch, RecurrentState initial) {
        if (steps < 1 || batch < 1) throw new RnnlabException("a batch needs steps >= 1 and batch >= 1, got " + steps + " x " + batch);
        int rows = steps * batch;
        if (x.length < rows * inputSize) {
            throw new RnnlabException("inputs hold " + x.length + " values, fewer than T x B x I = " + rows * inputSize);
        }
        if (targets != null && targets.length < rows * outputs) {
            throw new RnnlabException("targets hold " + targets.length + " values, fewer than T x B x O = " + rows * outputs);
        }
        if (initial != null) checkState(initial, batch);
        this.steps = steps;
        this.batch = batch;
        this.targets = targets;
        float[][] h0 = initial == null ? null : initial.h;
        float[][] c0 = initial == null ? null : initial.c;
        float[] in = x;
        for (int l = 0; l < layers.length; l++) in = layers[l].forward(in, null, steps, batch, h0, c0, l);
        topOutput = in;
        float[] y = head.forward(in, rows);
        if (targets == null) return Double.NaN;
        int n = rows * outputs;
        if (dPredictions.length < n) dPredictions = new float[n];
        double sum = 0;
        for (int i = 0; i < n; i++) {
            double e = (double) y[i] - targets[i];
            sum += e * e;
            dPredictions[i] = (float) (2 * e / n);  // d mean(e^2) / d y_i
        }
        return sum / n;
    }

    /** The read-outs of the last forward, [T][B][O] (valid until the next forward). */
    public float[] predictions() {
        return head.logits();
    }

    /** Backpropagates the last forward's loss; writes dL/d(initial state) into {@code gradInitial} if given. */
    public void backward(RecurrentState gradInitial) {
        if (targets == null) throw new IllegalStateException("backward needs a forward with targets");
        if (gradInitial != null) checkState(gradInitial, batch);
        float[] dy = head.backward(dPredictions, topOutput, steps * batch);
        for (int l = layers.length - 1; l >= 0; l--) {
            dy = layers[l].backward(dy, null, null, null, gradInitial == null ? null : gradInitial.h,
                    gradInitial == null ? null : gradInitial.c, l, l > 0);
        }
    }

    /** Copies the state after the last forward's final step into {@code into}. */
    public void finalState(RecurrentState into) {
        checkState(into, batch);
        for (int l = 0; l < layers.length; l++) {
            layers[l].directions[0].finalState(into.h[l], false);
            if (into.c != null) layers[l].directions[0].finalState(into.c[l], true);
        }
    }

    private void checkState(RecurrentState s, int batch) {
        if (s.slots() != layers.length || s.batch() != batch || s.hidden() != hidden
                || s.hasCellState() != cell.hasCellState()) {
            throw new RnnlabException("state has shape " + s.describe() + " but the regressor needs [" + layers.length
                    + " x " + batch + " x " + hidden + "]" + (cell.hasCellState() ? " with cell state" : ""));
        }
    }
}
