package dev.rnnlab.bptt;

import dev.rnnlab.nn.LanguageModel;
import dev.rnnlab.nn.RecurrentState;

/**
 * The recent past of a batch of streams that truncated BPTT replays: the input tokens of the last
 * {@link #length()} steps (at most the capacity) and the state before each of them, {@link #state(int)
 * state(length())} being the state now. Two rings allocated once per batch shape, so a chunk allocates
 * nothing: appending a step past the capacity drops the oldest.
 */
final class StateHistory {
    private final int capacity, batch;
    private final int[] tokens;               // ring of capacity steps x batch tokens
    private final RecurrentState[] states;    // ring of capacity + 1 states
    private int tokenStart, stateStart, length;

    /** An empty history whose only state, the present, is {@code now}'s copy. */
    StateHistory(LanguageModel model, int capacity, RecurrentState now) {
        this.capacity = capacity;
        this.batch = now.batch();
        this.tokens = new int[capacity * batch];
        this.states = new RecurrentState[capacity + 1];
        for (int i = 0; i <= capacity; i++) states[i] = model.zeroState(batch);
        states[0].copyFrom(now);
    }

    /** Steps held. */
    int length() {
        return length;
    }

    /** Streams per step. */
    int batch() {
        return batch;
    }

    /** The state before history step {@code i} (0 &lt;= i &lt;= length; {@code length} is now). */
    RecurrentState state(int i) {
        return states[(stateStart + i) % (capacity + 1)];
    }

    /** Copies the tokens of history steps [from, length) into {@code into}, time-major, from offset 0. */
    void copyTokens(int from, int[] into) {
        for (int i = from; i < length; i++) {
            System.arraycopy(tokens, ((tokenStart + i) % capacity) * batch, into, (i - from) * batch, batch);
        }
    }

    /**
     * Appends one step: its {@code batch} tokens from {@code x} at {@code offset}. The state before it is the
     * present state, already held; the caller then writes the new present into {@code state(length())}.
     */
    void append(int[] x, int offset) {
        if (capacity == 0) return;  // nothing kept but the present
        if (length == capacity) {   // drop the oldest step and the state before it
            tokenStart = (tokenStart + 1) % capacity;
            stateStart = (stateStart + 1) % (capacity + 1);
            length--;
        }
        System.arraycopy(x, offset, tokens, ((tokenStart + length) % capacity) * batch, batch);
        length++;
    }
}
