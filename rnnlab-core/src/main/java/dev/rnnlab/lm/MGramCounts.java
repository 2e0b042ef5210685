package dev.rnnlab.lm;

import dev.rnnlab.RnnlabException;
import java.util.List;

/**
 * The counts an n-gram model is estimated from, made elsewhere (on a cluster, say): for each order
 * m = 1..order, the distinct m-grams as packed keys (base V, the oldest token most significant: the key of
 * tokens t1..tm is sum t_i V^(m-i)) in order of first occurrence in the stream, and their counts; the
 * number of tokens; and the stream's first min(order, tokens) tokens. From these
 * {@link KneserNeyModel#fromCounts} and {@link AdditiveSmoothingModel#fromCounts} give exactly the model
 * that training on the tokens gives, so its ARPA file is the same byte for byte.
 */
public record MGramCounts(int order, int vocabularySize, long tokens, int[] head, List<long[]> keys, List<long[]> counts) {
    /** Checks the shapes (the keys themselves are checked when a model is made). */
    public MGramCounts {
        head = head.clone();
        keys = List.copyOf(keys);
        counts = List.copyOf(counts);
        if (keys.size() != order || counts.size() != order) {
            throw new RnnlabException("counts of order " + order + " need " + order + " key and count arrays, got " + keys.size()
                    + " and " + counts.size());
        }
        for (int m = 0; m < order; m++) {
            if (keys.get(m).length != counts.get(m).length) throw new RnnlabException((m + 1) + "-gram keys and counts differ in length");
        }
        if (head.length != Math.min(order, tokens)) {
            throw new RnnlabException("the head must hold the first " + Math.min(order, tokens) + " tokens, got " + head.length);
        }
    }
}
