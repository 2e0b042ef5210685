package dev.rnnlab.data;

import dev.rnnlab.RnnlabException;
import dev.rnnlab.Rng;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A random k-th order Markov chain over an alphabet of m characters. Each of the m^k histories gets a
 * transition row drawn from a symmetric Dirichlet(concentration) (small concentration: peaked rows, low
 * entropy). Its entropy rate is H = -sum_s pi(s) sum_x P(x|s) log P(x|s), with pi the stationary
 * distribution over histories, found by power iteration.
 *
 * <p>History encoding: the last k symbols x_{t-k+1}..x_t as the base-m number with x_t least significant;
 * after symbol x the history s becomes (s * m + x) mod m^k.
 */
public final class MarkovSource implements SyntheticSource {
    /** Symbols in order: space first, then letters by English frequency, so samples read like text. */
    public static final String SYMBOLS = " etaoinshrdlcumwfgypbvkjxqzETAOINSHRDLCUMWFGYPBVKJXQZ0123456789";
    private static final int MAX_STATES = 1 << 22;

    private final int order;
    private final int alphabet;
    private final double concentration;
    private final long seed;
    private final double[][] transitions;
    private final double[] stationary;
    private final double entropyRate;

    /** The chain drawn from {@code seed}: the same arguments always give the same chain. */
    public MarkovSource(int order, int alphabet, double concentration, long seed) {
        if (order < 0) throw new RnnlabException("Markov order must be 0 or more, got " + order);
        if (alphabet < 2 || alphabet > SYMBOLS.length()) {
            throw new RnnlabException("Markov alphabet must have 2 to " + SYMBOLS.length() + " symbols, got " + alphabet);
        }
        if (!(concentration > 0)) throw new RnnlabException("Dirichlet concentration must be positive, got " + concentration);
        double states = Math.pow(alphabet, order);
        if (states * alphabet > MAX_STATES) {
            throw new RnnlabException("Markov chain of order " + order + " over " + alphabet + " symbols has "
                    + (long) states + " histories, too many to tabulate; lower --order or --alphabet");
        }
        this.order = order;
        this.alphabet = alphabet;
        this.concentration = concentration;
        this.seed = seed;
        Rng rng = new Rng(seed);
        this.transitions = new double[(int) states][];
        for (int s = 0; s < transitions.length; s++) transitions[s] = dirichlet(rng, alphabet, concentration);
        this.stationary = stationaryDistribution();
        double h = 0;
        for (int s = 0; s < transitions.length; s++) {
            double rowEntropy = 0;
            for (double p : transitions[s]) if (p > 0) rowEntropy -= p * Math.log(p);
            h += stationary[s] * rowEntropy;
        }
        this.entropyRate = h;
    }

    /** Symmetric Dirichlet sample: independent Gamma(a, 1) draws, normalized. */
    private static double[] dirichlet(Rng rng, int m, double a) {
        double[] row = new double[m];
        double sum = 0;
        while (sum == 0) { // all draws can underflow to 0 for tiny a; draw again
            sum = 0;
            for (int i = 0; i < m; i++) sum += row[i] = gamma(rng, a);
        }
        for (int i = 0; i < m; i++) row[i] /= sum;
        return row;
    }

    /** Gamma(a, 1) by Marsaglia and Tsang (2000); for a &lt; 1, Gamma(a + 1) * U^(1/a). */
    private static double gamma(Rng rng, double a) {
        if (a < 1) return gamma(rng, a + 1) * Math.pow(rng.nextDouble(), 1 / a);
        double d = a - 1.0 / 3, c = 1 / Math.sqrt(9 * d);
        while (true) {
            double x = rng.nextGaussian();
            double v = 1 + c * x;
            if (v <= 0) continue;
            v = v * v * v;
            double u = rng.nextDouble();
            if (Math.log(u) < 0.5 * x * x + d - d * v + d * Math.log(v)) return d * v;
        }
    }

    /**
     * pi = pi P by power iteration on the lazy chain (I + P) / 2, which has the same stationary distribution
     * and is aperiodic, so the iteration converges whatever the rows look like.
     */
    private double[] stationaryDistribution() {
        int n = transitions.length;
        double[] pi = new double[n];
        java.util.Arrays.fill(pi, 1.0 / n);
        double[] next = new double[n];
        for (int iteration = 0; iteration < 1_000_000; iteration++) {
            for (int s = 0; s < n; s++) next[s] = 0.5 * pi[s];
            for (int s = 0; s < n; s++) {
                double mass = 0.5 * pi[s];
                if (mass == 0) continue;
                int shifted = (int) ((s * (long) alphabet) % n);
                double[] row = transitions[s];
                for (int x = 0; x < alphabet; x++) next[n == 1 ? 0 : shifted + x] += mass * row[x];
            }
            double change = 0, total = 0;
            for (int s = 0; s < n; s++) {
                change += Math.abs(next[s] - pi[s]);
                total += next[s];
            }
            for (int s = 0; s < n; s++) pi[s] = next[s] / total;
            if (change < 1e-14) return pi;
        }
        throw new IllegalStateException("stationary distribution did not converge");
    }

    /** The order k: how many preceding symbols the next one depends on. */
    public int order() {
        return order;
    }

    /** The alphabet size m: how many of {@link #SYMBOLS} the chain uses. */
    public int alphabet() {
        return alphabet;
    }

    /** The character of symbol {@code x}. */
    public char symbol(int x) {
        return SYMBOLS.charAt(x);
    }

    /** Number of histories, m^k. */
    public int histories() {
        return transitions.length;
    }

    /** P(next = x | history s) as {@code [s][x]}, a copy (history encoding in the class comment). */
    public double[][] transitions() {
        double[][] copy = new double[transitions.length][];
        for (int s = 0; s < copy.length; s++) copy[s] = transitions[s].clone();
        return copy;
    }

    /** The stationary distribution over histories, a copy. */
    public double[] stationary() {
        return stationary.clone();
    }

    @Override
    public String kind() {
        return "markov";
    }

    @Override
    public Map<String, Object> parameters() {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("order", order);
        p.put("alphabet", alphabet);
        p.put("symbols", SYMBOLS.substring(0, alphabet));
        p.put("concentration", concentration);
        p.put("chainSeed", seed);
        return p;
    }

    @Override
    public double entropyRateNats() {
        return entropyRate;
    }

    /** Starts in a history drawn from the stationary distribution, so the whole sample is stationary. */
    @Override
    public String generate(int length, Rng rng) {
        StringBuilder sb = new StringBuilder(length);
        int n = transitions.length;
        int s = rng.categorical(stationary);
        // write out the starting history's symbols, most significant (oldest) first
        for (int i = order - 1; i >= 0 && sb.length() < length; i--) {
            sb.append(symbol((int) (s / (long) Math.pow(alphabet, i)) % alphabet));
        }
        while (sb.length() < length) {
            int x = rng.categorical(transitions[s]);
            sb.append(symbol(x));
            s = MarkovHistory.next(s, x, alphabet, n);
        }
        return sb.toString();
    }


    @Override
    public double meanLogLoss(String text) {
        int n = transitions.length;
        int s = 0;
        double loss = 0;
        int counted = 0;
        for (int i = 0; i < text.length(); i++) {
            int x = SYMBOLS.indexOf(text.charAt(i));
            if (x < 0 || x >= alphabet) throw new RnnlabException("character '" + text.charAt(i) + "' at " + i
                    + " is not in this chain's alphabet");
            if (i >= order) {
                loss -= Math.log(transitions[s][x]);
                counted++;
            }
            s = MarkovHistory.next(s, x, alphabet, n);
        }
        return loss / counted;
    }
}
