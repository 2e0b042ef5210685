package dev.rnnlab.stats;

/**
 * Zipf's law fitted to a rank-frequency table (D2L 8.3.2, eq. 8.3.7: log n_i = -alpha log i + c): least
 * squares of log frequency on log rank over ranks [fromRank, toRank], with alpha reported as a positive
 * number (frequency ~ rank^-alpha) and R^2 of the fit in log-log space.
 *
 * @param fromRank first rank used (1-based)
 * @param toRank last rank used, at most the number of distinct items
 * @param alpha the exponent; NaN when fewer than two ranks were available
 * @param logIntercept c, the fitted log frequency at rank 1
 * @param rSquared coefficient of determination of the fit
 */
public record ZipfFit(int fromRank, int toRank, double alpha, double logIntercept, double rSquared) {
    /** Default rank range: the head of the distribution bends away from the power law, so skip it. */
    public static final int DEFAULT_FROM = 10;
    public static final int DEFAULT_TO = 1000;

    /** Fits {@code frequenciesByRank} (most frequent first) over ranks [fromRank, toRank], clipped to the data. */
    public static ZipfFit fit(long[] frequenciesByRank, int fromRank, int toRank) {
        if (fromRank < 1 || toRank < fromRank) {
            throw new IllegalArgumentException("rank range " + fromRank + ":" + toRank + " is not 1 <= from <= to");
        }
        int to = Math.min(toRank, frequenciesByRank.length);
        int points = to - fromRank + 1;
        if (points < 2) return new ZipfFit(fromRank, to, Double.NaN, Double.NaN, Double.NaN);
        double sx = 0, sy = 0;
        for (int r = fromRank; r <= to; r++) {
            sx += Math.log(r);
            sy += Math.log(frequenciesByRank[r - 1]);
        }
        double mx = sx / points, my = sy / points;
        double sxx = 0, sxy = 0, syy = 0;
        for (int r = fromRank; r <= to; r++) {
            double dx = Math.log(r) - mx, dy = Math.log(frequenciesByRank[r - 1]) - my;
            sxx += dx * dx;
            sxy += dx * dy;
            syy += dy * dy;
        }
        double slope = sxy / sxx;
        double intercept = my - slope * mx;
        // all frequencies equal over the range: a flat line fits perfectly
        double r2 = syy == 0 ? 1 : (sxy * sxy) / (sxx * syy);
        return new ZipfFit(fromRank, to, -slope, intercept, r2);
    }

    /** Whether there were enough ranks to fit. */
    public boolean isValid() {
        return !Double.isNaN(alpha);
    }

    /** The fitted frequency at {@code rank}. */
    public double frequencyAt(double rank) {
        return Math.exp(logIntercept - alpha * Math.log(rank));
    }
}
