package dev.rnnlab.generate;

import dev.rnnlab.RnnlabException;
import dev.rnnlab.nn.LanguageModel;
import dev.rnnlab.tensor.Activations;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Beam search (D2L 9.8.3): keep the {@code width} most probable continuations; at every step extend each
 * by every token and keep the {@code width} best of the {@code width x vocab} candidates by
 * log P(y_1..y_t | prefix). A hypothesis that {@link Finished finishes} (a stop string, say) leaves the
 * beam. Among the finished hypotheses and the beam at the end, the result maximises D2L's (9.8.4)
 * {@code log P(y_1..y_L) / L^alpha}, which with {@code alpha} > 0 stops long outputs from losing merely
 * for being long (D2L uses alpha = 0.75). Width 1 is greedy search.
 */
public final class BeamSearch {
    private final LanguageModel model;

    /** Decides whether a hypothesis is complete, from its generated tokens {@code tokens[0 .. n)}. */
    @FunctionalInterface
    public interface Finished {
        /** Whether the hypothesis of {@code n} generated tokens is complete. */
        boolean test(int[] tokens, int n);
    }

    /**
     * The chosen continuation: its tokens, its log probability (natural log) given the prefix, its score
     * {@code logProbability / L^alpha}, and whether it finished before the length limit.
     */
    public record Result(int[] tokens, double logProbability, double score, boolean finished) {}

    /** Beam search over {@code model}, which must not be bidirectional. */
    public BeamSearch(LanguageModel model) {
        new GenerationSession(model);  // checks the model can generate
        this.model = model;
    }

    /** Searches up to {@code length} tokens after {@code prefix} with {@code width} hypotheses. */
    public Result search(int[] prefix, int length, int width, double alpha, Finished finished) {
        if (prefix.length == 0) throw new RnnlabException("generation needs a prefix of at least one token");
        GenerationSession start = new GenerationSession(model);
        start.feed(prefix);
        return search(start, length, width, alpha, finished);
    }

    /** Searches on from where {@code from} stands (which it leaves as it was), e.g. an interactive session's context. */
    public Result search(GenerationSession from, int length, int width, double alpha, Finished finished) {
        if (!from.hasContext()) throw new RnnlabException("generation needs a prefix of at least one token");
        if (length < 1) throw new RnnlabException("beam search needs a length >= 1, got " + length);
        if (width < 1) throw new RnnlabException("beam width must be >= 1, got " + width);
        if (!(alpha >= 0) || Double.isInfinite(alpha)) throw new RnnlabException("length penalty must be >= 0, got " + alpha);
        int vocab = model.config().vocab();
        GenerationSession[] beam = new GenerationSession[width], next = new GenerationSession[width];
        for (int i = 0; i < width; i++) {
            beam[i] = new GenerationSession(model);
            next[i] = new GenerationSession(model);
        }
        beam[0].copyFrom(from);
        int alive = 1;
        int[][] tokens = new int[width][length], nextTokens = new int[width][length];
        double[] logP = new double[width], nextLogP = new double[width];
        List<Result> done = new ArrayList<>();
        // candidates of one step: (log P, parent, token), the best `width` kept in a small sorted array
        double[] candScore = new double[width];
        int[] candParent = new int[width], candToken = new int[width];
        float[][] logProbs = new float[width][];
        for (int t = 0; t < length && alive > 0; t++) {
            int kept = 0;
            for (int b = 0; b < alive; b++) {
                logProbs[b] = logSoftmax(beam[b].advance(), vocab, logProbs[b]);
                for (int v = 0; v < vocab; v++) {
                    double s = logP[b] + logProbs[b][v];
                    if (kept == width && !(s > candScore[kept - 1])) continue;
                    int at = kept < width ? kept++ : kept - 1;  // insertion sort, best first, ties to the earlier
                    while (at > 0 && s > candScore[at - 1]) {
                        candScore[at] = candScore[at - 1];
                        candParent[at] = candParent[at - 1];
                        candToken[at] = candToken[at - 1];
                        at--;
                    }
                    candScore[at] = s;
                    candParent[at] = b;
                    candToken[at] = v;
                }
            }
            int nextAlive = 0;
            for (int c = 0; c < kept; c++) {
                int parent = candParent[c];
                int[] seq = nextTokens[nextAlive];
                System.arraycopy(tokens[parent], 0, seq, 0, t);
                seq[t] = candToken[c];
                if (finished != null && finished.test(seq, t + 1)) {
                    done.add(result(Arrays.copyOf(seq, t + 1), candScore[c], alpha, true));
                    continue;
                }
                next[nextAlive].copyFrom(beam[parent]);
                next[nextAlive].choose(candToken[c]);
                nextLogP[nextAlive] = candScore[c];
                nextAlive++;
            }
            GenerationSession[] s = beam; beam = next; next = s;
            int[][] tk = tokens; tokens = nextTokens; nextTokens = tk;
            double[] lp = logP; logP = nextLogP; nextLogP = lp;
            alive = nextAlive;
            if (t == length - 1) {
                for (int b = 0; b < alive; b++) done.add(result(Arrays.copyOf(tokens[b], length), logP[b], alpha, false));
            }
        }
        Result best = done.getFirst();
        for (Result r : done) if (r.score() > best.score()) best = r;
        return best;
    }

    private static Result result(int[] tokens, double logP, double alpha, boolean finished) {
        return new Result(tokens, logP, logP / Math.pow(tokens.length, alpha), finished);
    }

    /** log softmax of {@code logits[0 .. vocab)} into {@code into} (allocated when null). */
    static float[] logSoftmax(float[] logits, int vocab, float[] into) {
        if (into == null) into = new float[vocab];
        float logZ = (float) Activations.logSumExp(logits, 0, vocab);
        for (int v = 0; v < vocab; v++) into[v] = logits[v] - logZ;
        return into;
    }
}
