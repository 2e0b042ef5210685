package dev.rnnlab.nn;

import dev.rnnlab.RnnlabException;

/**
 * The shape of a recurrent language model: {@code embed == 0} means one-hot input (D2L's choice);
 * {@code dropout} applies between stacked layers during training only.
 */
public record ModelConfig(CellType cell, int vocab, int embed, int hidden, int layers, boolean bidirectional,
                          float dropout) {
    public ModelConfig {
        if (cell == null) throw new RnnlabException("model config needs a cell type");
        if (vocab < 1) throw new RnnlabException("vocabulary size must be >= 1, got " + vocab);
        if (embed < 0) throw new RnnlabException("embedding size must be >= 0 (0 = one-hot), got " + embed);
        if (hidden < 1) throw new RnnlabException("hidden size must be >= 1, got " + hidden);
        if (layers < 1) throw new RnnlabException("layers must be >= 1, got " + layers);
        if (!(dropout >= 0f && dropout < 1f)) throw new RnnlabException("dropout must be in [0, 1), got " + dropout);
    }

    /** One-layer, one-direction, one-hot model without dropout. */
    public static ModelConfig simple(CellType cell, int vocab, int hidden) {
        return new ModelConfig(cell, vocab, 0, hidden, 1, false, 0f);
    }

    public int directions() {
        return bidirectional ? 2 : 1;
    }

    /** Width of the features a layer's input has: the vocabulary (one-hot), the embedding, or D*H. */
    int inputSize(int layer) {
        return layer > 0 ? directions() * hidden : (embed > 0 ? embed : vocab);
    }
}
