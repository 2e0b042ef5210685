package dev.rnnlab.data;

/**
 * The state of an order-k Markov process over an alphabet of A symbols: its last k symbols read as a base-A
 * number, one of A^k states. Shared by the synthetic source ({@link MarkovSource}) and the exact chain the
 * language models are checked against ({@code lm.MarkovChain}), so both number the states the same way.
 */
public final class MarkovHistory {
    private MarkovHistory() {}

    /** The state after symbol {@code x} follows state {@code s}: (s * A + x) mod A^k; 0 for an order-0 process. */
    public static int next(int s, int x, int alphabet, int states) {
        return states == 1 ? 0 : (int) ((s * (long) alphabet + x) % states);
    }
}
