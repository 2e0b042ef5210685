package dev.rnnlab.data;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.rnnlab.RnnlabException;
import dev.rnnlab.Rng;
import dev.rnnlab.io.IoErrors;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A generated text with its provenance: the process, the seed it was drawn from, and the exact entropy
 * rate. {@link #write} stores the text and, beside it, {@code FILE.json} describing it.
 */
public record SyntheticCorpus(SyntheticSource source, long seed, String text) {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /** A Markov chain and its sample, both drawn from {@code seed}. */
    public static SyntheticCorpus markov(int order, int alphabet, double concentration, int length, long seed) {
        checkLength(length);
        Rng root = new Rng(seed);
        MarkovSource source = new MarkovSource(order, alphabet, concentration, root.nextLong());
        return new SyntheticCorpus(source, seed, source.generate(length, root.split()));
    }

    /** A recall task sample drawn from {@code seed}. */
    public static SyntheticCorpus recall(int gap, int keys, int fillers, int length, long seed) {
        checkLength(length);
        RecallSource source = new RecallSource(gap, keys, fillers);
        return new SyntheticCorpus(source, seed, source.generate(length, new Rng(seed)));
    }

    /**
     * The built-in corpus {@code synthetic-markov} (see {@link CorpusChoice#SYNTHETIC}): an order-3 chain over space and
     * "etaoi" with peaked rows (concentration 0.2), 200,000 characters, seed 0. Its words come out with
     * book-like statistics: about 31,000 word tokens, 6,500 distinct, Zipf exponent near 1.
     */
    public static SyntheticCorpus builtIn() {
        return markov(3, 6, 0.2, 200_000, 0);
    }

    private static void checkLength(int length) {
        if (length < 1) throw new RnnlabException("synthetic corpus length must be positive, got " + length);
    }

    /** Short name for messages and provenance, e.g. {@code markov(order=2, alphabet=27, ...)}. */
    public String name() {
        Map<String, Object> shown = new LinkedHashMap<>(source.parameters());
        shown.remove("symbols");
        shown.remove("keySymbols");
        shown.remove("fillerSymbols");
        shown.remove("chainSeed");
        StringBuilder sb = new StringBuilder(source.kind()).append('(');
        shown.forEach((k, v) -> sb.append(k).append('=').append(v).append(", "));
        return sb.append("seed=").append(seed).append(')').toString();
    }

    /** The sidecar description: kind, parameters, seed, length, entropy rate in nats and bits per token. */
    public Map<String, Object> description() {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("kind", source.kind());
        d.put("parameters", source.parameters());
        d.put("seed", seed);
        d.put("length", text.length());
        d.put("entropyRateNatsPerToken", source.entropyRateNats());
        d.put("entropyRateBitsPerToken", source.entropyRateBits());
        return d;
    }

    /** Writes the text to {@code file} (UTF-8) and its description to {@code file.json}. */
    public Path write(Path file) {
        Path sidecar = file.resolveSibling(file.getFileName() + ".json");
        try {
            Files.writeString(file, text, StandardCharsets.UTF_8);
            JSON.writeValue(sidecar.toFile(), description());
        } catch (IOException e) {
            throw new RnnlabException("cannot write synthetic corpus '" + file + "': " + IoErrors.describeWrite(file, e));
        }
        return sidecar;
    }
}
