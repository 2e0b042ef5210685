package dev.rnnlab.nn;

import dev.rnnlab.RnnlabException;

/**
 * The shape of a recurrent language model: {@code embed == 0} means one-hot input (D2L's choice);
 * {@code dropout} applies between stacked layers during training only (PyTorch's, a new mask at every
 * step), and so do the AWD-LSTM {@link Regularization}s (null: none).
 */
public record ModelConfig(CellType cell, int vocab, int embed, int hidden, int layers, boolean bidirectional,
                          float dropout, Regularization regularization) implements java.io.Serializable {
    /** A model without the AWD-LSTM regularisers. */
    public ModelConfig(CellType cell, int vocab, int embed, int hidden, int layers, boolean bidirectional, float dropout) {
        this(cell, vocab, embed, hidden, layers, bidirectional, dropout, Regularization.NONE);
    }

    /** Checks that every size is in range, that {@code dropout} is in [0, 1), and that the regularisers fit the shape. */
    public ModelConfig {
        if (regularization == null) regularization = Regularization.NONE;
        if (cell == null) throw new RnnlabException("model config needs a cell type");
        if (vocab < 1) throw new RnnlabException("vocabulary size must be >= 1, got " + vocab);
        if (embed < 0) throw new RnnlabException("embedding size must be >= 0 (0 = one-hot), got " + embed);
        if (hidden < 1) throw new RnnlabException("hidden size must be >= 1, got " + hidden);
        if (layers < 1) throw new RnnlabException("layers must be >= 1, got " + layers);
        if (!(dropout >= 0f && dropout < 1f)) throw new RnnlabException("dropout must be in [0, 1), got " + dropout);
        if (regularization.needsEmbedding() && embed == 0) {
            throw new RnnlabException("embedding dropout, input dropout and weight tying act on an embedding; give one (--embed N)");
        }
        int topWidth = (bidirectional ? 2 : 1) * hidden;  // the fields are not set yet in a compact constructor
        if (regularization.tieWeights() && embed != topWidth) {
            throw new RnnlabException("weight tying makes the output layer's weight the embedding, so the embedding must be as wide as the"
                    + " top layer's output: --embed " + topWidth + ", not " + embed);
        }
        if (regularization.hiddenDropout() > 0 && layers < 2) {
            throw new RnnlabException("hidden dropout acts between stacked layers; it needs 2 layers or more (--layers)");
        }
    }

    /** The same model with these regularisers. */
    public ModelConfig withRegularization(Regularization r) {
        return new ModelConfig(cell, vocab, embed, hidden, layers, bidirectional, dropout, r);
    }

    /** One-layer, one-direction, one-hot model without dropout. */
    public static ModelConfig simple(CellType cell, int vocab, int hidden) {
        return new ModelConfig(cell, vocab, 0, hidden, 1, false, 0f);
    }

    /** The number of directions D: 2 when bidirectional, else 1. */
    public int directions() {
        return bidirectional ? 2 : 1;
    }

    /**
     * How many parameters the engine's model of this shape has, in 64-bit arithmetic (a shape whose count
     * overflows a long is refused): per layer and direction G*H*(I + H) weights and 2*G*H biases (PyTorch's
     * layout), the embedding V*E, and the output layer D*H*V + V (only V when tied to the embedding).
     */
    public long parameterCount() {
        try {
            long g = cell.gates, h = hidden, count = 0;
            for (int l = 0; l < layers; l++) {
                long perDirection = Math.addExact(Math.multiplyExact(g * h, Math.addExact(inputSize(l), h)), 2 * g * h);
                count = Math.addExact(count, Math.multiplyExact(perDirection, directions()));
            }
            count = Math.addExact(count, Math.multiplyExact((long) vocab, embed));
            long outputWeight = regularization.tieWeights() ? 0 : Math.multiplyExact((long) directions() * hidden, vocab);  // tied: the embedding's
            return Math.addExact(count, Math.addExact(outputWeight, vocab));
        } catch (ArithmeticException e) {
            throw new RnnlabException("a model of " + layers + " layers x " + hidden + " hidden units over " + vocab
                    + " tokens has more parameters than can be counted; choose a smaller --hidden or --layers");
        }
    }

    /**
     * Bytes of activations a forward over {@code steps} x {@code batch} caches for its backward: per layer
     * and direction the states, the gate activations and their gradient (LSTM: c_t and tanh(c_t) too; GRU:
     * the recurrent side and its gradient), the layer's output and input gradient, dropout masks, and at the
     * top the embedding, the logits and their gradient. The one formula for this, so the BPTT strategies'
     * memory bounds and the memory check agree.
     */
    public long activationBytes(int steps, int batch) {
        long rows = (long) steps * batch, floats = 0;
        long h = hidden, g = cell.gates, d = directions();
        for (int l = 0; l < layers; l++) {
            long perCell = h + 2L * g * h;
            if (cell == CellType.LSTM) perCell += 2L * h;
            // c_t, LN(c_t) normalised and its tanh; both products normalised and dRec; three row statistics
            if (cell == CellType.LSTM_LN) perCell += 3L * h + 3L * g * h + 3;
            if (cell == CellType.GRU) perCell += 2L * g * h;
            floats += d * perCell + d * h + inputSize(l);
            if (l < layers - 1 && dropout > 0) floats += 2L * d * h;
            if (l < layers - 1 && regularization.hiddenDropout() > 0) floats += d * h;  // the locked copy
        }
        floats += embed + 2L * vocab + d * h;
        // the masked copies of the embedding's output and of the top layer's
        if (regularization.embeddingDropout() > 0) floats += embed;
        if (regularization.inputDropout() > 0) floats += embed;
        if (regularization.outputDropout() > 0) floats += d * h;
        try {
            return Math.multiplyExact(Math.multiplyExact(4L, rows), floats);
        } catch (ArithmeticException e) {
            return Long.MAX_VALUE;
        }
    }

    /**
     * Bytes of one recurrent state for {@code batch} streams: h (and the LSTM's c) for every layer and
     * direction. What a BPTT strategy pays per state it keeps.
     */
    public long stateBytes(int batch) {
        return 4L * layers * directions() * batch * hidden * (cell.hasCellState() ? 2 : 1);
    }

    /** Width of the features a layer's input has: the vocabulary (one-hot), the embedding, or D*H. */
    int inputSize(int layer) {
        return layer > 0 ? directions() * hidden : (embed > 0 ? embed : vocab);
    }
}
