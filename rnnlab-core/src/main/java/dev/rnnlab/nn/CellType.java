package dev.rnnlab.nn;

import java.util.Locale;

/** The recurrent cells, with the number of gate blocks G (W_ih is [G*H, I]) and of state vectors. */
public enum CellType {
    /** Elman RNN with tanh, D2L 8.4 (8.4.5). */
    RNN_TANH(1, 1),
    /** Elman RNN with ReLU. */
    RNN_RELU(1, 1),
    /** Gated recurrent unit, D2L 9.1 (PyTorch's equations). */
    GRU(3, 1),
    /** Long short-term memory, D2L 9.2 (PyTorch's equations). */
    LSTM(4, 2),
    /**
     * The layer-normalised LSTM of Ba, Kiros and Hinton (2016, eqs. 20-22): both products and the cell state
     * normalised over their units before the gates and the output nonlinearity read them.
     */
    LSTM_LN(4, 2);

    final int gates;
    final int states;

    CellType(int gates, int states) {
        this.gates = gates;
        this.states = states;
    }

    /** True for the LSTM, whose state is (h, c). */
    public boolean hasCellState() {
        return states == 2;
    }

    /**
     * Whether a layer of this cell can split its time loop between threads by hidden units: not the
     * layer-normalised LSTM, whose normalisations need every unit of a row at each step.
     */
    public boolean splitsByUnits() {
        return this != LSTM_LN;
    }

    /** The cells' command-line names, as error messages list them. */
    public static final String NAMES = "rnn, rnn_relu, gru, lstm or lstm_ln";

    /** Parses "rnn" (tanh), "rnn_tanh", "rnn_relu", "gru", "lstm", "lstm_ln". */
    public static CellType parse(String s) {
        return switch (s.toLowerCase(Locale.ROOT)) {
            case "rnn", "rnn_tanh", "rnn-tanh", "tanh" -> RNN_TANH;
            case "rnn_relu", "rnn-relu", "relu" -> RNN_RELU;
            case "gru" -> GRU;
            case "lstm" -> LSTM;
            case "lstm_ln", "lstm-ln", "ln_lstm", "ln-lstm" -> LSTM_LN;
            default -> throw new IllegalArgumentException("unknown cell '" + s + "': use " + NAMES);
        };
    }

    /** The lower-case name, e.g. {@code rnn_tanh} or {@code lstm}. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
