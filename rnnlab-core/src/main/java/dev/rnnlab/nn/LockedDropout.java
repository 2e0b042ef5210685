package dev.rnnlab.nn;

import dev.rnnlab.Rng;

/**
 * Locked (variational) dropout on a time-major activation [T][B][W]: one mask m[b][j] in {0, 1/(1-p)} per
 * stream and feature for the whole batch. Forward y[t][b][j] = m[b][j] x[t][b][j]; backward
 * dx[t][b][j] = m[b][j] dy[t][b][j] (the same mask, as y is linear in x).
 */
final class LockedDropout {
    private float[] mask = new float[0], out = new float[0];
    private int batch, width;

    /** Draws a new mask from {@code rng} and returns the masked copy of {@code x} (a buffer of its own). */
    float[] forward(float[] x, int steps, int batch, int width, float p, Rng rng) {
        this.batch = batch;
        this.width = width;
        int n = batch * width, all = steps * n;
        if (mask.length < n) mask = new float[n];
        if (out.length < all) out = new float[all];
        float keep = 1f / (1f - p);
        for (int i = 0; i < n; i++) mask[i] = rng.nextFloat() < p ? 0f : keep;
        for (int t = 0; t < steps; t++) {
            int o = t * n;
            for (int i = 0; i < n; i++) out[o + i] = x[o + i] * mask[i];
        }
        return out;
    }

    /** dx = m . dy in place, over {@code steps} steps of the last forward's shape. */
    void backward(float[] dy, int steps) {
        int n = batch * width;
        for (int t = 0; t < steps; t++) {
            int o = t * n;
            for (int i = 0; i < n; i++) dy[o + i] *= mask[i];
        }
    }
}
