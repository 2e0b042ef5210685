package dev.rnnlab.run;

import static dev.rnnlab.run.InvalidSpecException.require;

import dev.rnnlab.nn.CellType;
import dev.rnnlab.nn.Initialization;
import dev.rnnlab.nn.ModelConfig;
import dev.rnnlab.nn.ModelKind;
import dev.rnnlab.nn.Regularization;
import java.io.Serializable;

/**
 * The model a run trains; the vocabulary size comes from the corpus.
 *
 * @param kind          the engine's layers, or D2L 8.5's scratch RNN (one tanh layer, one-hot, one direction)
 * @param cell          RNN (tanh or ReLU), GRU or LSTM
 * @param hidden        hidden units per layer and direction
 * @param layers        stacked layers
 * @param embed         embedding size; 0 feeds one-hot vectors, as D2L does
 * @param bidirectional both directions (evaluation only: such a model reads each token's future)
 * @param dropout       dropout between stacked layers, in [0, 1)
 * @param init          how the weights are drawn
 * @param regularization the AWD-LSTM regularisers (null: none)
 */
public record ModelSpec(ModelKind kind, CellType cell, int hidden, int layers, int embed, boolean bidirectional,
                        float dropout, Initialization init, Regularization regularization) implements Serializable {
    /** A model without the AWD-LSTM regularisers. */
    public ModelSpec(ModelKind kind, CellType cell, int hidden, int layers, int embed, boolean bidirectional, float dropout,
                     Initialization init) {
        this(kind, cell, hidden, layers, embed, bidirectional, dropout, init, Regularization.NONE);
    }

    /** Checks every field, naming the first bad one. */
    public ModelSpec {
        if (regularization == null) regularization = Regularization.NONE;
        require(kind != null, "model.kind", "must be ENGINE or SCRATCH");
        require(cell != null, "model.cell", "must be RNN_TANH, RNN_RELU, GRU or LSTM");
        require(init != null, "model.init", "must be AUTO, D2L or PYTORCH");
        require(hidden >= 1, "model.hidden", "must be >= 1, got " + hidden);
        require(layers >= 1, "model.layers", "must be >= 1, got " + layers);
        require(embed >= 0, "model.embed", "must be >= 0 (0 = one-hot), got " + embed);
        require(dropout >= 0 && dropout < 1, "model.dropout", "must be in [0, 1), got " + dropout);
        Regularization r = regularization;
        require(r.embeddingDropout() == 0 || embed > 0, "model.embeddingDropout", "drops rows of an embedding; give one (--embed N)");
        require(r.inputDropout() == 0 || embed > 0, "model.inputDropout", "acts on an embedding; give one (--embed N)");
        require(r.hiddenDropout() == 0 || layers >= 2, "model.hiddenDropout", "acts between stacked layers; it needs --layers 2 or more");
        int topWidth = (bidirectional ? 2 : 1) * hidden;
        require(!r.tieWeights() || embed == topWidth, "model.tieWeights", "makes the output layer's weight the embedding, so it needs"
                + " --embed equal to the top layer's width, " + topWidth + (embed == 0 ? "" : " (not " + embed + ")"));
        if (kind == ModelKind.SCRATCH) {
            require(!r.any(), "model.kind", "scratch is D2L 8.5's RNN, without the AWD-LSTM regularisers; use the engine's rnn for them");
            require(cell == CellType.RNN_TANH && layers == 1 && embed == 0 && !bidirectional && dropout == 0, "model.kind",
                    "scratch is D2L 8.5's RNN: one tanh layer, one-hot, one direction, no dropout; use the engine's rnn for more");
            require(init != Initialization.PYTORCH, "model.init", "pytorch is for the engine's models; the scratch model uses d2l");
        }
    }

    /** D2L 8.6's model: the engine's tanh RNN, one layer of 512, one-hot input. */
    public static ModelSpec d2l() {
        return new ModelSpec(ModelKind.ENGINE, CellType.RNN_TANH, 512, 1, 0, false, 0f, Initialization.AUTO);
    }

    /** The model's shape over a vocabulary of {@code vocab} tokens. */
    public ModelConfig config(int vocab) {
        return new ModelConfig(cell, vocab, embed, hidden, layers, bidirectional, dropout, regularization);
    }

    /** The kind and cell a model name stands for (see {@link #parseName}). */
    public record Named(ModelKind kind, CellType cell) {}

    /** The models' command-line names, as error messages list them. */
    public static final String NAMES = "scratch, " + CellType.NAMES;

    /** The inverse of {@link #name()}: "scratch", "rnn" (tanh), "rnn_relu", "gru", "lstm" or "lstm_ln", any case. */
    public static Named parseName(String name) {
        String n = name == null ? "" : name.toLowerCase(java.util.Locale.ROOT);
        if (n.equals("scratch")) return new Named(ModelKind.SCRATCH, CellType.RNN_TANH);
        try {
            return new Named(ModelKind.ENGINE, CellType.parse(n));
        } catch (IllegalArgumentException e) {
            throw new dev.rnnlab.RnnlabException("unknown model '" + name + "': use " + NAMES);
        }
    }

    /** The command line's name for the model: "scratch", or the cell's ("rnn", "rnn_relu", "gru", "lstm", "lstm_ln"). */
    public String name() {
        if (kind == ModelKind.SCRATCH) return "scratch";
        return switch (cell) {
            case RNN_TANH -> "rnn";
            case RNN_RELU -> "rnn_relu";
            case GRU -> "gru";
            case LSTM -> "lstm";
            case LSTM_LN -> "lstm_ln";
        };
    }
}
