package dev.rnnlab.nn;

import dev.rnnlab.RnnlabException;
import java.util.Locale;

/**
 * Which implementation a language model is: {@link #ENGINE}, the engine's layers with PyTorch's equations and
 * weight names ({@link RecurrentLanguageModel}), or {@link #SCRATCH}, D2L 8.5's from-scratch RNN
 * ({@link ScratchRnn}). The {@link #id()} is what checkpoints record in {@code config.json}'s {@code kind}.
 */
public enum ModelKind {
    /** The engine's RNN, GRU and LSTM layers, any shape {@link ModelConfig} allows. */
    ENGINE("rnn"),
    /** D2L 8.5's scratch RNN: one tanh layer, one-hot input, one direction. */
    SCRATCH("scratch");

    private final String id;

    ModelKind(String id) {
        this.id = id;
    }

    /** The name checkpoints store: "rnn" for the engine (its weights are PyTorch's nn.RNN/GRU/LSTM), "scratch". */
    public String id() {
        return id;
    }

    /** The kind a checkpoint's {@code kind} names ("rnn" or "scratch"; the enum names are accepted too). */
    public static ModelKind fromId(String id) {
        String s = id == null ? "" : id.toLowerCase(Locale.ROOT);
        for (ModelKind k : values()) {
            if (k.id.equals(s) || k.name().toLowerCase(Locale.ROOT).equals(s)) return k;
        }
        throw new RnnlabException("unknown model kind '" + id + "' (expected rnn or scratch)");
    }
}
