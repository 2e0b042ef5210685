package dev.rnnlab.run;

import static dev.rnnlab.run.InvalidSpecException.parses;
import static dev.rnnlab.run.InvalidSpecException.require;

import dev.rnnlab.data.Sampling;
import dev.rnnlab.data.Split;
import dev.rnnlab.text.Normalizer;
import dev.rnnlab.text.Tokenizer;
import java.io.Serializable;

/**
 * What a run trains on and how it is cut into batches.
 *
 * @param corpus    a named corpus (timemachine, tinyshakespeare) or a file; "" for the default, The Time Machine,
 *                  shipped with rnnlab (see {@link dev.rnnlab.data.CorpusChoice#load(String, java.nio.file.Path,
 *                  dev.rnnlab.text.Normalizer, dev.rnnlab.text.Tokenizer)} for the names)
 * @param tokens    characters or words
 * @param normalize "d2l" or "raw"; "" for the corpus's own (The Time Machine and files d2l, tinyshakespeare raw)
 * @param minFreq   tokens seen fewer times in the training part become {@code <unk>}; 0 keeps all
 * @param maxTokens train on the first N tokens only (D2L's {@code max_tokens}); 0 for all;
 *                  {@link RunSpec#CORPUS_DEFAULT} for D2L's 10,000 on The Time Machine's characters, else all
 * @param split     contiguous train,validation[,test] fractions such as "0.9,0.1"; "" to train on everything
 * @param sampling  sequential partitioning or random sampling (D2L 8.3.4); strategies that need whole streams
 *                  override it
 * @param batch     streams per mini-batch
 * @param steps     time steps per mini-batch
 */
public record DataSpec(String corpus, Tokenizer tokens, String normalize, int minFreq, int maxTokens, String split,
                       Sampling sampling, int batch, int steps) implements Serializable {
    /** Checks every field, naming the first bad one. */
    public DataSpec {
        corpus = corpus == null ? "" : corpus;
        normalize = normalize == null ? "" : normalize;
        split = split == null ? "" : split;
        require(tokens != null, "data.tokens", "must be char or word");
        require(sampling != null, "data.sampling", "must be sequential or random");
        require(minFreq >= 0, "data.minFreq", "must be >= 0, got " + minFreq);
        require(maxTokens >= 0 || maxTokens == RunSpec.CORPUS_DEFAULT, "data.maxTokens", "must be >= 0 (0 = all tokens), got " + maxTokens);
        require(batch >= 1, "data.batch", "must be >= 1, got " + batch);
        require(steps >= 1, "data.steps", "must be >= 1, got " + steps);
        String n = normalize, s = split;
        if (!n.isEmpty()) parses("data.normalize", () -> Normalizer.parse(n));
        if (!s.isEmpty()) parses("data.split", () -> Split.parse(s));
    }

    /** D2L 8.5's data: The Time Machine's characters, D2L normalization, batch 32 x 35 steps, sequential. */
    public static DataSpec d2l() {
        return new DataSpec("", Tokenizer.CHAR, "", 0, RunSpec.CORPUS_DEFAULT, "", Sampling.SEQUENTIAL, 32, 35);
    }

    /** The normalizer asked for, or null for the corpus's own. */
    public Normalizer normalizer() {
        return normalize.isEmpty() ? null : Normalizer.parse(normalize);
    }

    /** Whether a validation split is asked for. */
    public boolean hasSplit() {
        return !split.isEmpty();
    }
}
