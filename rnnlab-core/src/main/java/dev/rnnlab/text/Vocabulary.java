package dev.rnnlab.text;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.rnnlab.RnnlabException;
import dev.rnnlab.io.IoErrors;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SequencedMap;

/**
 * The mapping between tokens and indices, built as D2L 8.2's {@code Vocab}: {@code <unk>} at 0, then the
 * reserved tokens, then corpus tokens by descending frequency with ties in order of first occurrence;
 * tokens seen fewer than {@code minFreq} times are left out and map to {@code <unk>}.
 */
public final class Vocabulary {
    /** The unknown token, always at index 0, that every token outside the vocabulary maps to. */
    public static final String UNKNOWN = "<unk>";
    private static final int FORMAT_VERSION = 1;
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final List<String> tokens;
    private final long[] counts;
    private final int reservedCount;
    private final Map<String, Integer> index;

    private Vocabulary(List<String> tokens, long[] counts, int reservedCount) {
        this.tokens = List.copyOf(tokens);
        this.counts = counts;
        this.reservedCount = reservedCount;
        this.index = new HashMap<>(tokens.size() * 2);
        for (int i = 0; i < tokens.size(); i++) index.put(tokens.get(i), i);
    }

    /**
     * The vocabulary of a corpus from its token counts in first-occurrence order (a {@link LinkedHashMap}
     * filled while reading gives exactly that).
     */
    public static Vocabulary fromCounts(SequencedMap<String, Long> countsInFirstOccurrenceOrder, int minFreq,
            List<String> reserved) {
        List<Map.Entry<String, Long>> byFrequency = new ArrayList<>(countsInFirstOccurrenceOrder.entrySet());
        // List.sort is stable, so equal counts keep first-occurrence order, like Python's sorted()
        byFrequency.sort((a, b) -> Long.compare(b.getValue(), a.getValue()));
        List<String> tokens = new ArrayList<>();
        tokens.add(UNKNOWN);
        for (String r : reserved) {
            if (!tokens.contains(r)) tokens.add(r);
        }
        int reservedCount = tokens.size() - 1;
        List<Long> counts = new ArrayList<>(Collections.nCopies(tokens.size(), 0L));
        long unknown = 0;
        Map<String, Integer> special = new HashMap<>();
        for (int i = 0; i < tokens.size(); i++) special.put(tokens.get(i), i);
        for (Map.Entry<String, Long> e : byFrequency) {
            Integer at = special.get(e.getKey()); // a corpus token spelled like <unk> or a reserved token
            if (e.getValue() < minFreq) {
                unknown += e.getValue();
            } else if (at != null) {
                counts.set(at, counts.get(at) + e.getValue());
            } else {
                tokens.add(e.getKey());
                counts.add(e.getValue());
            }
        }
        counts.set(0, counts.get(0) + unknown);
        return new Vocabulary(tokens, counts.stream().mapToLong(Long::longValue).toArray(), reservedCount);
    }

    /** The vocabulary of an in-memory token list. */
    public static Vocabulary of(List<String> corpusTokens, int minFreq, List<String> reserved) {
        LinkedHashMap<String, Long> counts = new LinkedHashMap<>();
        for (String t : corpusTokens) counts.merge(t, 1L, Long::sum);
        return fromCounts(counts, minFreq, reserved);
    }

    /**
     * A vocabulary whose index order is given, {@code <unk>} first (for models read from files that list
     * their tokens, such as ARPA n-gram models); no reserved tokens, and counts unknown (0).
     */
    public static Vocabulary ofTokens(List<String> tokensInIndexOrder) {
        if (tokensInIndexOrder.isEmpty() || !UNKNOWN.equals(tokensInIndexOrder.getFirst())) {
            throw new RnnlabException("a vocabulary's tokens must start with " + UNKNOWN);
        }
        if (tokensInIndexOrder.stream().distinct().count() != tokensInIndexOrder.size()) {
            throw new RnnlabException("a vocabulary's tokens must be distinct");
        }
        return new Vocabulary(tokensInIndexOrder, new long[tokensInIndexOrder.size()], 0);
    }

    /** Number of tokens, {@code <unk>} and reserved tokens included. */
    public int size() {
        return tokens.size();
    }

    /** The index of {@code token}, 0 ({@code <unk>}) when it is not in the vocabulary. */
    public int indexOf(String token) {
        Integer i = index.get(token);
        return i == null ? 0 : i;
    }

    /** The token at {@code index}. */
    public String tokenOf(int index) {
        if (index < 0 || index >= tokens.size()) {
            throw new IndexOutOfBoundsException("token index " + index + " outside vocabulary of " + size());
        }
        return tokens.get(index);
    }

    /** All tokens, in index order. */
    public List<String> tokens() {
        return tokens;
    }

    /** How often the token at {@code index} occurred in the corpus ({@code <unk>}: tokens left out). */
    public long count(int index) {
        return counts[index];
    }

    /** The reserved tokens, in order (indices 1..n). */
    public List<String> reserved() {
        return tokens.subList(1, 1 + reservedCount);
    }

    /** Indices of {@code tokens}. */
    public int[] encode(List<String> tokens) {
        int[] out = new int[tokens.size()];
        for (int i = 0; i < out.length; i++) out[i] = indexOf(tokens.get(i));
        return out;
    }

    /** Tokens of {@code indices}. */
    public List<String> decode(int[] indices) {
        List<String> out = new ArrayList<>(indices.length);
        for (int i : indices) out.add(tokenOf(i));
        return out;
    }

    /**
     * The vocabulary's identity: sha256 over its tokens in index order (each as its UTF-8 length and bytes)
     * and its reserved count. Counts are left out: two vocabularies with the same checksum map every token to
     * the same index, which is all a model's weights depend on. Checkpoints record it and readers verify it.
     */
    public String sha256() {
        try {
            MessageDigest d = MessageDigest.getInstance("SHA-256");
            ByteBuffer len = ByteBuffer.allocate(4);
            for (String t : tokens) {
                byte[] b = t.getBytes(StandardCharsets.UTF_8);
                d.update(len.clear().putInt(b.length).array());
                d.update(b);
            }
            d.update(len.clear().putInt(reservedCount).array());
            return HexFormat.of().formatHex(d.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    /** The JSON file form: format tag and version, tokens in index order, counts, reserved count. */
    record Json(String format, int version, List<String> tokens, long[] counts, int reserved) {}

    /** Writes the vocabulary as JSON. */
    public void save(Path file) {
        try {
            JSON.writeValue(file.toFile(), new Json("rnnlab-vocabulary", FORMAT_VERSION, tokens, counts,
                    reservedCount));
        } catch (IOException e) {
            throw new RnnlabException("cannot write vocabulary '" + file + "': " + IoErrors.describeWrite(file, e));
        }
    }

    /** Reads a vocabulary written by {@link #save}. */
    public static Vocabulary load(Path file) {
        Json j;
        try {
            j = JSON.readValue(Files.readAllBytes(file), Json.class);
        } catch (NoSuchFileException e) {
            throw malformed(file, "no such file");
        } catch (JacksonException e) {
            throw malformed(file, "not a vocabulary JSON file (" + e.getOriginalMessage() + ")");
        } catch (IOException e) {
            throw malformed(file, IoErrors.describe(e));
        }
        if (j == null || !"rnnlab-vocabulary".equals(j.format())) {
            throw malformed(file, "\"format\" is not \"rnnlab-vocabulary\"");
        }
        if (j.version() != FORMAT_VERSION) {
            throw malformed(file, "format version " + j.version() + ", this rnnlab reads " + FORMAT_VERSION);
        }
        if (j.tokens() == null || j.tokens().isEmpty() || !UNKNOWN.equals(j.tokens().getFirst())) {
            throw malformed(file, "\"tokens\" must start with " + UNKNOWN);
        }
        if (j.counts() == null || j.counts().length != j.tokens().size()) {
            throw malformed(file, "\"counts\" must have one entry per token (" + j.tokens().size() + ")");
        }
        if (j.reserved() < 0 || j.reserved() >= j.tokens().size()) {
            throw malformed(file, "\"reserved\" must be between 0 and " + (j.tokens().size() - 1));
        }
        if (j.tokens().stream().distinct().count() != j.tokens().size()) {
            throw malformed(file, "\"tokens\" has duplicates");
        }
        if (j.tokens().contains(null)) throw malformed(file, "\"tokens\" has a null entry");
        return new Vocabulary(j.tokens(), j.counts(), j.reserved());
    }

    private static RnnlabException malformed(Path file, String what) {
        return new RnnlabException("cannot read vocabulary '" + file + "': " + what);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Vocabulary v && v.tokens.equals(tokens) && Arrays.equals(v.counts, counts)
                && v.reservedCount == reservedCount;
    }

    @Override
    public int hashCode() {
        return tokens.hashCode();
    }

    @Override
    public String toString() {
        return "Vocabulary(" + size() + " tokens)";
    }
}
