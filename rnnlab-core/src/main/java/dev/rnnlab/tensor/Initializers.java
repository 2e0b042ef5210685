package dev.rnnlab.tensor;

import dev.rnnlab.Rng;

/** Weight initializers over a row-major block {@code w[off .. off + rows*cols)}, drawn from one {@link Rng}. */
public final class Initializers {
    private Initializers() {}

    /** N(0, std^2) entries; D2L's scratch models use std 0.01. */
    public static void normal(float[] w, int off, int len, double std, Rng rng) {
        for (int i = 0; i < len; i++) w[off + i] = (float) (std * rng.nextGaussian());
    }

    /** U(-bound, bound) entries; PyTorch's recurrent layers use bound 1/sqrt(hidden) for every tensor. */
    public static void uniform(float[] w, int off, int len, double bound, Rng rng) {
        for (int i = 0; i < len; i++) w[off + i] = (float) (bound * (2 * rng.nextDouble() - 1));
    }

    /** Xavier/Glorot uniform for a rows x cols matrix: bound sqrt(6 / (fan_in + fan_out)). */
    public static void xavierUniform(float[] w, int off, int rows, int cols, Rng rng) {
        uniform(w, off, rows * cols, Math.sqrt(6.0 / (rows + cols)), rng);
    }

    /**
     * A rows x cols matrix with orthonormal rows (rows &lt;= cols) or columns (rows &gt; cols), times
     * {@code gain}: Gaussian entries orthogonalised by modified Gram-Schmidt, computed in double. Used
     * for W_hh, whose powers then neither grow nor shrink (D2L 8.7's eigenvalue argument).
     */
    public static void orthogonal(float[] w, int off, int rows, int cols, double gain, Rng rng) {
        boolean tall = rows > cols;
        int n = tall ? cols : rows, dim = tall ? rows : cols;  // n orthonormal vectors of length dim
        double[][] v = new double[n][dim];
        for (double[] row : v) for (int j = 0; j < dim; j++) row[j] = rng.nextGaussian();
        for (int i = 0; i < n; i++) {
            for (int p = 0; p < i; p++) {
                double dot = 0;
                for (int j = 0; j < dim; j++) dot += v[i][j] * v[p][j];
                for (int j = 0; j < dim; j++) v[i][j] -= dot * v[p][j];
            }
            double norm = 0;
            for (int j = 0; j < dim; j++) norm += v[i][j] * v[i][j];
            norm = Math.sqrt(norm);
            for (int j = 0; j < dim; j++) v[i][j] /= norm;
        }
        for (int r = 0; r < rows; r++)
            for (int c = 0; c < cols; c++)
                w[off + r * cols + c] = (float) (gain * (tall ? v[c][r] : v[r][c]));
    }
}
