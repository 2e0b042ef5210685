package dev.rnnlab.generate;

import dev.rnnlab.Rng;
import java.util.Locale;

/** Temperature, top-k and top-p sampling (see {@link TokenSampler#sampling}). */
final class CategoricalSampler implements TokenSampler {
    private final double temperature, topP;
    private final int topK;
    private double[] probs = new double[0];
    private Integer[] order = new Integer[0];

    CategoricalSampler(double temperature, int topK, double topP) {
        this.temperature = temperature;
        this.topK = topK;
        this.topP = topP;
    }

    @Override
    public int next(float[] logits, int off, int vocab, Rng rng) {
        if (probs.length < vocab) {
            probs = new double[vocab];
            order = new Integer[vocab];
        }
        double max = Double.NEGATIVE_INFINITY;
        for (int j = 0; j < vocab; j++) max = Math.max(max, logits[off + j] / temperature);
        double sum = 0;
        for (int j = 0; j < vocab; j++) {
            probs[j] = Math.exp(logits[off + j] / temperature - max);
            sum += probs[j];
        }
        int keep = vocab;
        if (topK > 0 || topP < 1) {
            // rank tokens by probability; keep the top k, then the shortest prefix reaching mass topP
            for (int j = 0; j < vocab; j++) order[j] = j;
            java.util.Arrays.sort(order, 0, vocab, (a, b) -> Double.compare(probs[b], probs[a]));
            keep = topK > 0 ? Math.min(topK, vocab) : vocab;
            double kept = 0;
            for (int i = 0; i < keep; i++) kept += probs[order[i]];
            if (topP < 1) {
                double mass = 0;
                for (int i = 0; i < keep; i++) {
                    mass += probs[order[i]];
                    if (mass >= topP * kept) {
                        keep = i + 1;
                        break;
                    }
                }
            }
            double total = 0;
            for (int i = 0; i < keep; i++) total += probs[order[i]];
            double u = rng.nextDouble() * total;
            for (int i = 0; i < keep; i++) {
                u -= probs[order[i]];
                if (u < 0) return order[i];
            }
            return order[keep - 1];
        }
        double u = rng.nextDouble() * sum;
        for (int j = 0; j < vocab; j++) {
            u -= probs[j];
            if (u < 0) return j;
        }
        return vocab - 1;
    }

    @Override
    public String describe() {
        return String.format(Locale.ROOT, "sampling(temperature %.2f%s%s)", temperature,
                topK > 0 ? ", top-k " + topK : "", topP < 1 ? String.format(Locale.ROOT, ", top-p %.2f", topP) : "");
    }
}
