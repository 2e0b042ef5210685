package dev.rnnlab.lm;

import dev.rnnlab.RnnlabException;
import dev.rnnlab.Rng;
import dev.rnnlab.data.MarkovHistory;
import java.util.Arrays;

/**
 * A k-th order Markov chain over m symbols (D2L 8.1.3): P(x_t | x_{t-1}, ..., x_1) = P(x_t | x_{t-k}..x_{t-1}).
 * Its states are the m^k histories, encoded as in {@link dev.rnnlab.data.MarkovSource}: the last k symbols
 * as a base-m number with the newest least significant, so after symbol x state s becomes (s m + x) mod m^k.
 *
 * <p>What the chain implies is computed exactly by dynamic programming along the chain rather than by
 * enumerating paths: a forward pass carries the probability of each state, summing over the symbols that
 * were not observed, so a sequence of length T costs T m^(k+1) operations instead of m^T. D2L's example
 * P(x_{t+1} | x_{t-1}) = sum_{x_t} P(x_{t+1} | x_t) P(x_t | x_{t-1}) is {@link #kStepDistribution} with
 * k = 2 for a first-order chain.
 */
public final class MarkovChain {
    /** A position of a sequence whose symbol is not observed and is summed over. */
    public static final int MISSING = -1;
    private static final int MAX_STATES = 1 << 22;

    private final int order, symbols, states;
    private final double[][] transitions;  // [state][symbol]
    private double[] stationary;           // computed on first use

    /** The chain with these rows, P(next = x | state s) as {@code transitions[s][x]}; rows must sum to 1. */
    public MarkovChain(int order, int symbols, double[][] transitions) {
        this.order = order;
        this.symbols = symbols;
        this.states = checkedStates(order, symbols);
        if (transitions.length != states) {
            throw new RnnlabException("a chain of order " + order + " over " + symbols + " symbols has " + states
                    + " states, but " + transitions.length + " transition rows were given");
        }
        this.transitions = new double[states][];
        for (int s = 0; s < states; s++) {
            double[] row = transitions[s];
            if (row.length != symbols) throw new RnnlabException("transition row " + s + " has " + row.length
                    + " entries for " + symbols + " symbols");
            double sum = 0;
            for (double p : row) {
                if (!(p >= 0)) throw new RnnlabException("transition row " + s + " has a negative or NaN entry");
                sum += p;
            }
            if (Math.abs(sum - 1) > 1e-9) throw new RnnlabException("transition row " + s + " sums to " + sum + ", not 1");
            this.transitions[s] = row.clone();
        }
    }

    private static int checkedStates(int order, int symbols) {
        if (order < 0) throw new RnnlabException("Markov order must be 0 or more, got " + order);
        if (symbols < 1) throw new RnnlabException("a Markov chain needs at least one symbol, got " + symbols);
        double states = Math.pow(symbols, order);
        if (states * symbols > MAX_STATES) {
            throw new RnnlabException("a Markov chain of order " + order + " over " + symbols + " symbols has "
                    + (long) states + " states, too many to tabulate; lower the order");
        }
        return (int) states;
    }

    /**
     * Fits a chain to {@code tokens} (symbols in [0, symbols)) by counting, with add-alpha smoothing:
     * P(x | s) = (n(s, x) + alpha) / (n(s) + alpha m). The maximum-likelihood estimate is alpha = 0; a state
     * never seen then gets the uniform row, the alpha -&gt; infinity limit, as no count says otherwise.
     */
    public static MarkovChain fit(int[] tokens, int symbols, int order, double alpha) {
        if (!(alpha >= 0) || Double.isInfinite(alpha)) throw new RnnlabException("alpha must be >= 0, got " + alpha);
        int states = checkedStates(order, symbols);
        long[][] n = new long[states][symbols];
        int s = 0;
        for (int t = 0; t < tokens.length; t++) {
            int x = tokens[t];
            if (x < 0 || x >= symbols) {
                throw new RnnlabException("symbol " + x + " at " + t + " is outside [0, " + symbols + ")");
            }
            if (t >= order) n[s][x]++;
            s = MarkovHistory.next(s, x, symbols, states);
        }
        double[][] rows = new double[states][symbols];
        for (int h = 0; h < states; h++) {
            long total = 0;
            for (long c : n[h]) total += c;
            for (int x = 0; x < symbols; x++) {
                rows[h][x] = total == 0 && alpha == 0 ? 1.0 / symbols : (n[h][x] + alpha) / (total + alpha * symbols);
            }
        }
        return new MarkovChain(order, symbols, rows);
    }


    /** The order k: how many preceding symbols a transition depends on. */
    public int order() {
        return order;
    }

    /** The number of symbols m. */
    public int symbols() {
        return symbols;
    }

    /** m^k. */
    public int states() {
        return states;
    }

    /** P(next = x | state s) as {@code [s][x]}, a copy. */
    public double[][] transitions() {
        double[][] copy = new double[states][];
        for (int s = 0; s < states; s++) copy[s] = transitions[s].clone();
        return copy;
    }

    /** The state of a history: its last {@code order} symbols (it must have at least that many). */
    public int state(int[] history) {
        if (history.length < order) {
            throw new RnnlabException("a chain of order " + order + " needs a history of " + order + " symbols, got "
                    + history.length);
        }
        int s = 0;
        for (int i = history.length - order; i < history.length; i++) {
            checkSymbol(history[i]);
            s = MarkovHistory.next(s, history[i], symbols, states);
        }
        return s;
    }

    private void checkSymbol(int x) {
        if (x < 0 || x >= symbols) throw new RnnlabException("symbol " + x + " is outside [0, " + symbols + ")");
    }

    /**
     * P(x_{t+k} = x | the history up to x_t), for every x, k &gt;= 1: the state distribution pushed k steps
     * forward, each step summing over the symbol just drawn, then read off for the newest symbol.
     */
    public double[] kStepDistribution(int[] history, int k) {
        if (k < 1) throw new RnnlabException("steps ahead must be 1 or more, got " + k);
        double[] alpha = new double[states];
        alpha[state(history)] = 1;
        for (int step = 1; step < k; step++) alpha = forward(alpha, MISSING);
        double[] out = new double[symbols];
        for (int s = 0; s < states; s++) {
            if (alpha[s] == 0) continue;
            for (int x = 0; x < symbols; x++) out[x] += alpha[s] * transitions[s][x];
        }
        return out;
    }

    /** One step of the forward pass: alpha'(s') = sum over s, x with s' = next(s, x) of alpha(s) P(x | s). */
    private double[] forward(double[] alpha, int observed) {
        double[] out = new double[states];
        for (int s = 0; s < states; s++) {
            if (alpha[s] == 0) continue;
            for (int x = 0; x < symbols; x++) {
                if (observed != MISSING && x != observed) continue;
                out[MarkovHistory.next(s, x, symbols, states)] += alpha[s] * transitions[s][x];
            }
        }
        return out;
    }

    /**
     * The probability of a sequence, some of whose positions may be {@link #MISSING} (summed over), for
     * the chain started in its stationary distribution: P(x_1..x_T) = pi(x_1..x_k) prod_{t&gt;k} P(x_t | state).
     * A sequence shorter than k is the marginal of pi. Exact, by the forward pass.
     */
    public double probability(int[] sequence) {
        double[] pi = stationary();
        double[] alpha = new double[states];
        int head = Math.min(order, sequence.length);
        for (int i = 0; i < sequence.length; i++) if (sequence[i] != MISSING) checkSymbol(sequence[i]);
        for (int s = 0; s < states; s++) {
            boolean compatible = true;
            for (int i = 0; i < head && compatible; i++) {
                // symbol i of the first k is digit k-1-i of s (the oldest is the most significant)
                int digit = (int) (s / (long) Math.pow(symbols, order - 1 - i)) % symbols;
                compatible = sequence[i] == MISSING || sequence[i] == digit;
            }
            if (compatible) alpha[s] = pi[s];
        }
        for (int t = order; t < sequence.length; t++) alpha = forward(alpha, sequence[t]);
        double p = 0;
        for (double a : alpha) p += a;
        return p;
    }

    /**
     * The stationary distribution over states, pi = pi P, by power iteration on the lazy chain (I + P)/2:
     * same fixed point, and aperiodic, so it converges for every chain (to one of its stationary
     * distributions when there are several).
     */
    public double[] stationary() {
        if (stationary == null) {
            double[] pi = new double[states];
            Arrays.fill(pi, 1.0 / states);
            for (int iteration = 0; ; iteration++) {
                double[] next = forward(pi, MISSING);
                double change = 0, total = 0;
                for (int s = 0; s < states; s++) {
                    next[s] = 0.5 * next[s] + 0.5 * pi[s];
                    change += Math.abs(next[s] - pi[s]);
                    total += next[s];
                }
                for (int s = 0; s < states; s++) pi[s] = next[s] / total;
                if (change < 1e-14) break;
                if (iteration == 1_000_000) throw new IllegalStateException("stationary distribution did not converge");
            }
            stationary = pi;
        }
        return stationary.clone();
    }

    /** H = -sum_s pi(s) sum_x P(x | s) ln P(x | s), nats per symbol: the best loss any model can reach. */
    public double entropyRateNats() {
        double[] pi = stationary();
        double h = 0;
        for (int s = 0; s < states; s++) {
            double row = 0;
            for (double p : transitions[s]) if (p > 0) row -= p * Math.log(p);
            h += pi[s] * row;
        }
        return h;
    }

    /** {@code length} symbols from the chain started in its stationary distribution. */
    public int[] sample(int length, Rng rng) {
        if (length < 0) throw new RnnlabException("sample length must be 0 or more, got " + length);
        int[] out = new int[length];
        int s = rng.categorical(stationary());
        int written = 0;
        for (int i = order - 1; i >= 0 && written < length; i--) {
            out[written++] = (int) (s / (long) Math.pow(symbols, i)) % symbols;
        }
        while (written < length) {
            int x = rng.categorical(transitions[s]);
            out[written++] = x;
            s = MarkovHistory.next(s, x, symbols, states);
        }
        return out;
    }

}
