package dev.rnnlab.text;

import dev.rnnlab.RnnlabException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongConsumer;

/**
 * A text as token indices plus everything needed to say later where they came from: the vocabulary, the
 * normalization and tokenization, and the sha256 of the source file (for checkpoint provenance).
 * D2L 8.2's {@code load_corpus_time_machine}, for files of any size.
 */
public final class Corpus {
    private final String name;
    private final String sha256;
    private final Normalizer normalizer;
    private final Tokenizer tokenizer;
    private final Vocabulary vocabulary;
    private final TokenSequence tokens;

    Corpus(String name, String sha256, Normalizer normalizer, Tokenizer tokenizer, Vocabulary vocabulary,
            TokenSequence tokens) {
        this.name = name;
        this.sha256 = sha256;
        this.normalizer = normalizer;
        this.tokenizer = tokenizer;
        this.vocabulary = vocabulary;
        this.tokens = tokens;
    }

    private Corpus(String name, String sha256, Normalizer normalizer, Tokenizer tokenizer, Vocabulary vocabulary,
            int[] indices) {
        this(name, sha256, normalizer, tokenizer, vocabulary, TokenSequence.of(indices));
    }

    /** Reads {@code path} with no reserved tokens and no frequency cut-off. */
    public static Corpus load(Path path, Normalizer normalizer, Tokenizer tokenizer) {
        return load(path, normalizer, tokenizer, 0, List.of(), null);
    }

    /** Reads {@code path} (see {@link #load(Path, Normalizer, Tokenizer, int, List, LongConsumer)}). */
    public static Corpus load(Path path, Normalizer normalizer, Tokenizer tokenizer, int minFreq,
            List<String> reserved) {
        return load(path, normalizer, tokenizer, minFreq, reserved, null);
    }

    /**
     * Reads {@code path} in two streaming passes, counting tokens and then encoding them into one int[],
     * so the text itself is never in memory (for more than 2^31 tokens, or to keep them out of memory, use a
     * {@link TokenFile}). {@code progress}, if not null, receives bytes read so far,
     * counting both passes (so it runs to twice the file size).
     */
    public static Corpus load(Path path, Normalizer normalizer, Tokenizer tokenizer, int minFreq,
            List<String> reserved, LongConsumer progress) {
        long size = TextFileReader.checkReadable(path);
        MessageDigest digest = sha256Digest();
        LinkedHashMap<String, long[]> counts = new LinkedHashMap<>();
        long[] total = new long[1];
        TextFileReader.read(path, normalizer.wrap(tokenizer.wrap(token -> {
            long[] c = counts.get(token);
            if (c == null) counts.put(token, c = new long[1]);
            c[0]++;
            total[0]++;
        })), digest, progress);
        if (total[0] == 0) {
            throw TextFileReader.problem(path, "no tokens after " + normalizer.id() + " normalization");
        }
        if (total[0] > TokenSequence.MAX_ARRAY) {
            throw TextFileReader.problem(path, String.format(java.util.Locale.ROOT, "%,d tokens is more than memory"
                    + " holds as one array; prepare a token file and read that (rnnlab prepare FILE --out DIR)", total[0]));
        }
        LinkedHashMap<String, Long> firstOccurrenceCounts = new LinkedHashMap<>();
        for (Map.Entry<String, long[]> e : counts.entrySet()) firstOccurrenceCounts.put(e.getKey(), e.getValue()[0]);
        Vocabulary vocabulary = Vocabulary.fromCounts(firstOccurrenceCounts, minFreq, reserved);

        int[] indices = new int[(int) total[0]];
        int[] at = new int[1];
        LongConsumer secondPass = progress == null ? null : bytes -> progress.accept(size + bytes);
        TextFileReader.read(path, normalizer.wrap(tokenizer.wrap(token -> {
            if (at[0] == indices.length) throw new RnnlabException("corpus '" + path + "' changed while reading");
            indices[at[0]++] = vocabulary.indexOf(token);
        })), null, secondPass);
        if (at[0] != indices.length) throw new RnnlabException("corpus '" + path + "' changed while reading");
        return new Corpus(path.getFileName().toString(), HexFormat.of().formatHex(digest.digest()), normalizer,
                tokenizer, vocabulary, indices);
    }

    /**
     * Reads {@code path} in one streaming pass into indices of an existing {@code vocabulary} (a trained
     * model's), tokens outside it becoming {@code <unk>}: for evaluating a model on new text.
     */
    public static Corpus encode(Path path, Normalizer normalizer, Tokenizer tokenizer, Vocabulary vocabulary) {
        TextFileReader.checkReadable(path);
        MessageDigest digest = sha256Digest();
        int[][] buf = {new int[1 << 16]};
        int[] at = new int[1];
        TextFileReader.read(path, normalizer.wrap(tokenizer.wrap(token -> {
            if (at[0] == buf[0].length) {
                if (buf[0].length >= Integer.MAX_VALUE / 2) {
                    throw TextFileReader.problem(path, "more tokens than memory holds as one array; prepare a token"
                            + " file and read that (rnnlab prepare FILE --out DIR)");
                }
                buf[0] = java.util.Arrays.copyOf(buf[0], buf[0].length * 2);
            }
            buf[0][at[0]++] = vocabulary.indexOf(token);
        })), digest, null);
        if (at[0] == 0) throw TextFileReader.problem(path, "no tokens after " + normalizer.id() + " normalization");
        return new Corpus(path.getFileName().toString(), HexFormat.of().formatHex(digest.digest()), normalizer,
                tokenizer, vocabulary, java.util.Arrays.copyOf(buf[0], at[0]));
    }

    /**
     * The same text with the vocabulary rebuilt from its first {@code trainTokens} tokens only, keeping
     * tokens seen at least {@code minFreq} times there (reserved tokens kept): what a model trained on that
     * part can know. Other tokens become {@code <unk>}, as held-out text should be scored. The tokens are a
     * remapped view, not a copy, so this costs one pass over the training part whatever the corpus's size.
     */
    public Corpus withVocabularyOfFirst(long trainTokens, int minFreq) {
        if (trainTokens < 1 || trainTokens > tokens.length()) {
            throw new IllegalArgumentException("training part of " + trainTokens + " tokens in a corpus of " + tokens.length());
        }
        int size = vocabulary.size();
        long[] counts = new long[size];
        long[] first = new long[size];
        Arrays.fill(first, Long.MAX_VALUE);
        int[] chunk = new int[1 << 16];
        for (long at = 0; at < trainTokens; at += chunk.length) {
            int n = (int) Math.min(chunk.length, trainTokens - at);
            tokens.copyTo(at, chunk, 0, n);
            for (int i = 0; i < n; i++) {
                int t = chunk[i];
                if (counts[t]++ == 0) first[t] = at + i;
            }
        }
        // counts in order of first occurrence in the training part: Vocabulary's tie-break
        Integer[] seen = new Integer[size];
        for (int t = 0; t < size; t++) seen[t] = t;
        Arrays.sort(seen, (a, b) -> Long.compare(first[a], first[b]));
        LinkedHashMap<String, Long> inOrder = new LinkedHashMap<>();
        for (int t : seen) {
            if (counts[t] > 0 && t != 0) inOrder.put(vocabulary.tokenOf(t), counts[t]);
        }
        Vocabulary v = Vocabulary.fromCounts(inOrder, minFreq, vocabulary.reserved());
        return inVocabulary(v);
    }

    /** The same text indexed by {@code target}: tokens it lacks become {@code <unk>} (a view, not a copy). */
    public Corpus inVocabulary(Vocabulary target) {
        int[] map = new int[vocabulary.size()];
        for (int t = 0; t < map.length; t++) map[t] = target.indexOf(vocabulary.tokenOf(t));
        return new Corpus(name, sha256, normalizer, tokenizer, target, tokens.remap(map));
    }

    /**
     * The first {@code maxTokens} tokens with the whole corpus's vocabulary: D2L's {@code max_tokens}
     * (load_corpus_time_machine keeps {@code corpus[:max_tokens]} after building the vocabulary from all of
     * it; its chapter 8 figures come from the first 10,000 characters). A longer limit keeps everything.
     */
    public Corpus firstTokens(long maxTokens) {
        if (maxTokens < 1) throw new IllegalArgumentException("maxTokens must be >= 1, got " + maxTokens);
        if (maxTokens >= tokens.length()) return this;
        return new Corpus(name, sha256, normalizer, tokenizer, vocabulary, tokens.slice(0, maxTokens));
    }

    /** A corpus from an in-memory text (for small texts, synthetic data and tests). */
    public static Corpus fromText(String name, String text, Normalizer normalizer, Tokenizer tokenizer, int minFreq,
            List<String> reserved) {
        List<String> tokens = tokenizer.tokenize(text, normalizer);
        if (tokens.isEmpty()) {
            throw new RnnlabException("corpus '" + name + "' has no tokens after " + normalizer.id()
                    + " normalization");
        }
        Vocabulary vocabulary = Vocabulary.of(tokens, minFreq, reserved);
        MessageDigest digest = sha256Digest();
        digest.update(text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        return new Corpus(name, HexFormat.of().formatHex(digest.digest()), normalizer, tokenizer, vocabulary,
                vocabulary.encode(tokens));
    }

    static MessageDigest sha256Digest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    /** The file name (or the name given to {@link #fromText}). */
    public String name() {
        return name;
    }

    /** Hex sha256 of the source bytes (UTF-8 bytes for {@link #fromText}). */
    public String sha256() {
        return sha256;
    }

    /** The normalization applied to the text before tokenizing. */
    public Normalizer normalizer() {
        return normalizer;
    }

    /** The tokenizer that cut the text into tokens. */
    public Tokenizer tokenizer() {
        return tokenizer;
    }

    /** The vocabulary the token indices refer to. */
    public Vocabulary vocabulary() {
        return vocabulary;
    }

    /** The token indices in corpus order, wherever they are (in memory, or a mapped token file). */
    public TokenSequence tokens() {
        return tokens;
    }

    /**
     * The token indices in corpus order as one array (the array itself for a text loaded into memory, so do
     * not modify it); a corpus of more than 2^31 tokens is a one-line error.
     */
    public int[] indices() {
        return tokens.toArray();
    }

    /** Number of tokens. */
    public long length() {
        return tokens.length();
    }

    @Override
    public String toString() {
        return "Corpus(" + name + ", " + tokens.length() + " " + tokenizer.id() + " tokens, vocabulary "
                + vocabulary.size() + ", " + normalizer.id() + ")";
    }
}
