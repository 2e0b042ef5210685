package dev.rnnlab.nn;

import dev.rnnlab.RnnlabException;
import java.util.Arrays;

/**
 * The hidden state of a recurrent stack for B streams: h (and c for an LSTM) for each layer and direction,
 * indexed {@code layer * D + direction} as PyTorch's h_n is, each a [B][H] array. Also used for the
 * gradient with respect to an initial state.
 */
public final class RecurrentState {
    final float[][] h;
    final float[][] c;  // null unless LSTM
    private final int batch, hidden;

    private RecurrentState(int slots, int batch, int hidden, boolean cell) {
        this.batch = batch;
        this.hidden = hidden;
        h = new float[slots][batch * hidden];
        c = cell ? new float[slots][batch * hidden] : null;
    }

    /** A zero state for {@code batch} streams of a model with this config (D2L's begin_state). */
    public static RecurrentState zeros(ModelConfig config, int batch) {
        if (batch < 1) throw new RnnlabException("batch size must be >= 1, got " + batch);
        return new RecurrentState(config.layers() * config.directions(), batch, config.hidden(), config.cell().hasCellState());
    }

    /** The number of streams B. */
    public int batch() {
        return batch;
    }

    /** The hidden size H. */
    public int hidden() {
        return hidden;
    }

    /** The number of slots: layers times directions. */
    public int slots() {
        return h.length;
    }

    /** h of slot {@code layer * D + direction}, [B][H], live (not a copy). */
    public float[] h(int slot) {
        return h[slot];
    }

    /** c of slot {@code layer * D + direction}, [B][H], live; LSTM only. */
    public float[] c(int slot) {
        if (c == null) throw new IllegalStateException("this state has no cell state (not an LSTM)");
        return c[slot];
    }

    /** Whether the state has a cell state c (LSTM). */
    public boolean hasCellState() {
        return c != null;
    }

    /** Sets every entry of h (and c) to {@code v}. */
    public void fill(float v) {
        for (float[] a : h) Arrays.fill(a, v);
        if (c != null) for (float[] a : c) Arrays.fill(a, v);
    }

    /** Copies {@code other}'s entries into this state; the shapes must match. */
    public void copyFrom(RecurrentState other) {
        checkCompatible(other);
        for (int i = 0; i < h.length; i++) System.arraycopy(other.h[i], 0, h[i], 0, h[i].length);
        if (c != null) for (int i = 0; i < c.length; i++) System.arraycopy(other.c[i], 0, c[i], 0, c[i].length);
    }

    void checkCompatible(RecurrentState other) {
        if (other.h.length != h.length || other.batch != batch || other.hidden != hidden || (other.c == null) != (c == null)) {
            throw new RnnlabException("state shapes differ: " + describe() + " vs " + other.describe());
        }
    }

    String describe() {
        return "[" + h.length + " x " + batch + " x " + hidden + "]" + (c != null ? " with cell state" : "");
    }

    /** Sum of squares of every entry, for gradient diagnostics. */
    public double sumOfSquares() {
        double s = 0;
        for (float[] a : h) for (float v : a) s += (double) v * v;
        if (c != null) for (float[] a : c) for (float v : a) s += (double) v * v;
        return s;
    }
}
