package dev.rnnlab.lm;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.rnnlab.RnnlabException;
import dev.rnnlab.io.IoErrors;
import dev.rnnlab.text.Normalizer;
import dev.rnnlab.text.Tokenizer;
import dev.rnnlab.text.Vocabulary;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * An n-gram model in the ARPA format that KenLM, SRILM and most decoders read, plus a small JSON sidecar
 * ({@code FILE.json}) saying how text becomes tokens. The ARPA file itself:
 * <pre>
 *   \data\
 *   ngram 1=28
 *   ngram 2=420
 *
 *   \1-grams:
 *   -1.2345678	e	-0.3010300
 *   ...
 *   \2-grams:
 *   -0.5000000	t h
 *   ...
 *   \end\
 * </pre>
 * Each entry is log10 P(w | h), a tab, the tokens separated by spaces, and (not at the top order) a tab
 * and the log10 backoff weight; log10 0 is written -99 as is customary. KenLM wants {@code \data\} as the
 * first non-blank line (older versions: the second line, after a blank one, which is how rnnlab writes it),
 * so rnnlab's own notes go to the sidecar, not to comment lines.
 *
 * <p>Token escape (so char-level tokens such as space and newline survive the whitespace-separated
 * fields): a backslash is written {@code \\}, space {@code \s}, tab {@code \t}, newline {@code \n},
 * carriage return {@code \r}, and any other whitespace or control character {@code \}{@code uXXXX}. The
 * sidecar's {@code "tokenEscape": "rnnlab-backslash"} says the file uses it; an ARPA file without sidecar
 * (from another tool) is read verbatim.
 *
 * <p>KenLM also refuses a file without the sentence markers {@code <s>} and {@code </s>} by default. rnnlab's
 * models have no sentences (a corpus is one stream), so the markers are written as unigrams of log10
 * probability -99 (effectively 0; KenLM writes {@code <s>} the same way), listed in the sidecar's
 * {@code "addedSentenceMarkers"} and skipped again when rnnlab reads the file.
 *
 * <p>Unigrams are written in vocabulary order, so a model read back has the same token indices.
 * {@code tokenizer} and {@code normalizer} are null when the file has no sidecar.
 */
public record ArpaFile(BackoffModel model, Tokenizer tokenizer, Normalizer normalizer, Map<String, Object> notes) {
    static final String ESCAPE = "rnnlab-backslash";
    /** KenLM refuses ARPA files without these (unless told to be silent); rnnlab's models have none. */
    private static final List<String> SENTENCE_MARKERS = List.of("<s>", "</s>");
    private static final String FORMAT = "rnnlab-ngram";
    private static final int VERSION = 1;
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /** The sidecar of {@code arpa}: the same name with {@code .json} appended. */
    public static Path sidecar(Path arpa) {
        return arpa.resolveSibling(arpa.getFileName() + ".json");
    }

    /** Writes the ARPA file (through a temporary file, renamed into place) and its sidecar. */
    public void write(Path arpa) {
        Path tmp = arpa.resolveSibling(arpa.getFileName() + ".tmp");
        Vocabulary vocab = model.vocabulary();
        String[] escaped = new String[vocab.size()];
        for (int i = 0; i < escaped.length; i++) escaped[i] = escape(vocab.tokenOf(i));
        int order = model.order();
        List<String> markers = new ArrayList<>();
        for (String marker : SENTENCE_MARKERS) if (vocab.indexOf(marker) == 0) markers.add(marker);
        try {
            Path parent = arpa.toAbsolutePath().getParent();
            if (parent != null) Files.createDirectories(parent);
            try (BufferedWriter w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
                w.write("\n\\data\\\n");  // a blank line first, as KenLM writes it (its older readers require it)
                for (int m = 1; m <= order; m++) {
                    w.write("ngram " + m + "=" + (model.count(m) + (m == 1 ? markers.size() : 0)) + "\n");
                }
                for (int m = 1; m <= order; m++) {
                    w.write("\n\\" + m + "-grams:\n");
                    boolean top = m == order;
                    if (m == 1) {
                        for (String marker : markers) w.write("-99\t" + marker + (top ? "" : "\t0") + "\n");
                    }
                    StringBuilder line = new StringBuilder();
                    try {
                        model.forEach(m, (tokens, logProb, logBackoff) -> {
                            line.setLength(0);
                            line.append(log10(logProb)).append('\t');
                            for (int i = 0; i < tokens.length; i++) {
                                if (i > 0) line.append(' ');
                                line.append(escaped[tokens[i]]);
                            }
                            if (!top) line.append('\t').append(log10(logBackoff));
                            line.append('\n');
                            try {
                                w.write(line.toString());
                            } catch (IOException e) {
                                throw new UncheckedIOException(e);
                            }
                        });
                    } catch (UncheckedIOException e) {
                        throw e.getCause();
                    }
                }
                w.write("\n\\end\\\n");
            }
            Map<String, Object> side = new LinkedHashMap<>();
            side.put("format", FORMAT);
            side.put("version", VERSION);
            side.put("tokens", tokenizer == null ? null : tokenizer.id());
            side.put("normalize", normalizer == null ? null : normalizer.id());
            side.put("tokenEscape", ESCAPE);
            side.put("addedSentenceMarkers", markers);
            side.put("model", model.describe());
            side.put("notes", notes);
            JSON.writeValue(sidecar(arpa).toFile(), side);
            Files.move(tmp, arpa, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            try {
                Files.deleteIfExists(tmp);
            } catch (IOException ignored) {
                // the write error below is the one to report
            }
            throw new RnnlabException("cannot write ARPA model '" + arpa + "': " + IoErrors.describeWrite(arpa, e));
        }
    }

    /** Eight decimals: a relative error of at most 1.2e-8 in each probability and weight. */
    private static String log10(double x) {
        if (!(x > -99)) return "-99";
        return String.format(Locale.ROOT, "%.8f", x);
    }

    /** Reads an ARPA file and, when present, its sidecar. */
    public static ArpaFile read(Path arpa) {
        Map<String, Object> side = readSidecar(arpa);
        boolean escaped = side != null && ESCAPE.equals(side.get("tokenEscape"));
        Tokenizer tokenizer = side != null && side.get("tokens") instanceof String t
                ? fromSidecar(arpa, () -> Tokenizer.parse(t)) : null;
        Normalizer normalizer = side != null && side.get("normalize") instanceof String n
                ? fromSidecar(arpa, () -> Normalizer.parse(n)) : null;
        @SuppressWarnings("unchecked")
        Map<String, Object> notes = side != null && side.get("notes") instanceof Map<?, ?> m
                ? (Map<String, Object>) m : Map.of();
        var decoder = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        try (BufferedReader in = new BufferedReader(new InputStreamReader(Files.newInputStream(arpa), decoder))) {
            List<String> added = side != null && side.get("addedSentenceMarkers") instanceof List<?> l
                    ? l.stream().map(String::valueOf).toList() : List.of();
            return new ArpaFile(new Parser(arpa, in, escaped, added).parse(), tokenizer, normalizer, notes);
        } catch (NoSuchFileException e) {
            throw problem(arpa, "no such file");
        } catch (CharacterCodingException e) {
            throw problem(arpa, "not valid UTF-8 text");
        } catch (IOException e) {
            throw problem(arpa, Files.isDirectory(arpa) ? "it is a directory" : IoErrors.describe(e));
        }
    }

    private static <T> T fromSidecar(Path arpa, java.util.function.Supplier<T> parse) {
        try {
            return parse.get();
        } catch (RnnlabException e) {
            throw new RnnlabException("cannot read sidecar '" + sidecar(arpa) + "': " + e.getMessage());
        }
    }

    private static Map<String, Object> readSidecar(Path arpa) {
        Path side = sidecar(arpa);
        if (!Files.isRegularFile(side)) return null;
        try {
            @SuppressWarnings("unchecked")
            Map<String, Object> m = JSON.readValue(side.toFile(), Map.class);
            if (m == null || !FORMAT.equals(m.get("format"))) {
                throw new RnnlabException("cannot read sidecar '" + side + "': \"format\" is not \"" + FORMAT + "\"");
            }
            return m;
        } catch (JacksonException e) {
            throw new RnnlabException("cannot read sidecar '" + side + "': not JSON (" + e.getOriginalMessage() + ")");
        } catch (IOException e) {
            throw new RnnlabException("cannot read sidecar '" + side + "': " + IoErrors.describe(e));
        }
    }

    static RnnlabException problem(Path arpa, String what) {
        return new RnnlabException("cannot read ARPA model '" + arpa + "': " + what);
    }

    /** The token as written in an n-gram field (see the class comment). */
    static String escape(String token) {
        StringBuilder sb = null;
        for (int i = 0; i < token.length(); i++) {
            char c = token.charAt(i);
            String e = switch (c) {
                case '\\' -> "\\\\";
                case ' ' -> "\\s";
                case '\t' -> "\\t";
                case '\n' -> "\\n";
                case '\r' -> "\\r";
                default -> Character.isWhitespace(c) || Character.isSpaceChar(c) || Character.isISOControl(c)
                        ? String.format(Locale.ROOT, "\\u%04X", (int) c) : null;
            };
            if (e != null && sb == null) sb = new StringBuilder(token.substring(0, i));
            if (sb != null) {
                if (e != null) sb.append(e);
                else sb.append(c);
            }
        }
        return sb == null ? token : sb.toString();
    }

    /** Inverse of {@link #escape}; null when {@code field} is not a valid escape. */
    static String unescape(String field) {
        if (field.indexOf('\\') < 0) return field;
        StringBuilder sb = new StringBuilder(field.length());
        for (int i = 0; i < field.length(); i++) {
            char c = field.charAt(i);
            if (c != '\\') {
                sb.append(c);
                continue;
            }
            if (++i == field.length()) return null;
            switch (field.charAt(i)) {
                case '\\' -> sb.append('\\');
                case 's' -> sb.append(' ');
                case 't' -> sb.append('\t');
                case 'n' -> sb.append('\n');
                case 'r' -> sb.append('\r');
                case 'u' -> {
                    if (i + 4 >= field.length()) return null;
                    try {
                        sb.append((char) Integer.parseInt(field.substring(i + 1, i + 5), 16));
                    } catch (NumberFormatException e) {
                        return null;
                    }
                    i += 4;
                }
                default -> {
                    return null;
                }
            }
        }
        return sb.toString();
    }

    /** Reads the sections in order: header counts, unigrams (which fix the vocabulary), the rest. */
    private static final class Parser {
        private final Path arpa;
        private final BufferedReader in;
        private final boolean escaped;
        private final List<String> skipped;
        private int lineNumber;

        Parser(Path arpa, BufferedReader in, boolean escaped, List<String> skipped) {
            this.arpa = arpa;
            this.in = in;
            this.escaped = escaped;
            this.skipped = skipped;
        }

        private String next() throws IOException {
            String line = in.readLine();
            if (line != null) lineNumber++;
            return line;
        }

        private String nextNonBlank() throws IOException {
            String line;
            do line = next(); while (line != null && line.isBlank());
            return line;
        }

        private RnnlabException bad(String what) {
            return problem(arpa, "line " + lineNumber + ": " + what);
        }

        BackoffModel parse() throws IOException {
            String line = nextNonBlank();
            if (line == null) throw problem(arpa, "the file is empty");
            if (!line.strip().equals("\\data\\")) {
                throw bad("expected \\data\\ (not an ARPA file?), got '" + abbreviate(line) + "'");
            }
            List<Long> declared = new ArrayList<>();
            while ((line = next()) != null && !line.isBlank()) {
                String s = line.strip();
                int eq = s.indexOf('=');
                if (!s.startsWith("ngram ") || eq < 0) throw bad("expected 'ngram N=COUNT', got '" + abbreviate(s) + "'");
                try {
                    int n = Integer.parseInt(s.substring(6, eq).strip());
                    long count = Long.parseLong(s.substring(eq + 1).strip());
                    if (n != declared.size() + 1) throw bad("ngram orders must run 1, 2, ..., got " + n);
                    if (count < 0) throw bad("negative n-gram count " + count);
                    declared.add(count);
                } catch (NumberFormatException e) {
                    throw bad("expected 'ngram N=COUNT', got '" + abbreviate(s) + "'");
                }
            }
            if (declared.isEmpty()) throw bad("no 'ngram N=COUNT' lines after \\data\\");
            int order = declared.size();
            if (order > CountedNGrams.MAX_ORDER) {
                throw bad("order " + order + " is above the " + CountedNGrams.MAX_ORDER + " rnnlab supports");
            }

            // unigrams first: they are the vocabulary
            expectSection(1);
            List<String> tokens = new ArrayList<>();
            List<double[]> unigramValues = new ArrayList<>();
            for (long i = 0; i < declared.getFirst(); i++) {
                String[] f = fields(1, order);
                if (skipped.contains(f[1])) continue;
                tokens.add(token(f[1]));
                unigramValues.add(new double[] {number(f[0]), f.length == 3 ? number(f[2]) : 0});
            }
            int unk = tokens.indexOf(Vocabulary.UNKNOWN);
            if (unk < 0) {
                throw problem(arpa, "no " + Vocabulary.UNKNOWN + " unigram; rnnlab maps tokens outside the "
                        + "vocabulary to it (train the model with <unk>, e.g. KenLM does by default)");
            }
            List<String> inOrder = new ArrayList<>(tokens.size());
            inOrder.add(Vocabulary.UNKNOWN);
            for (String t : tokens) if (!t.equals(Vocabulary.UNKNOWN)) inOrder.add(t);
            Vocabulary vocab;
            try {
                vocab = Vocabulary.ofTokens(inOrder);
            } catch (RnnlabException e) {
                throw problem(arpa, "the unigrams list a token twice");
            }
            CountedNGrams.checkOrder(order, vocab.size());
            Map<String, Integer> index = new HashMap<>();
            for (int i = 0; i < inOrder.size(); i++) index.put(inOrder.get(i), i);
            BackoffModel.Builder b = new BackoffModel.Builder(vocab, order);
            for (int i = 0; i < tokens.size(); i++) {
                b.add(1, index.get(tokens.get(i)), unigramValues.get(i)[0], unigramValues.get(i)[1]);
            }
            for (int m = 2; m <= order; m++) {
                expectSection(m);
                int[] gram = new int[m];
                for (long i = 0; i < declared.get(m - 1); i++) {
                    String[] f = fields(m, order);
                    for (int j = 0; j < m; j++) {
                        Integer t = index.get(token(f[1 + j]));
                        if (t == null) throw bad("token '" + f[1 + j] + "' is not among the unigrams");
                        gram[j] = t;
                    }
                    b.add(gram, number(f[0]), f.length == m + 2 ? number(f[m + 1]) : 0);
                }
            }
            line = nextNonBlank();
            if (line == null || !line.strip().equals("\\end\\")) {
                throw bad("expected \\end\\ after " + declared.getLast() + " " + order + "-grams, got "
                        + (line == null ? "the end of the file (truncated?)" : "'" + abbreviate(line) + "'"));
            }
            return b.build();
        }

        private void expectSection(int m) throws IOException {
            String line = nextNonBlank();
            String want = "\\" + m + "-grams:";
            if (line == null) throw bad("expected " + want + ", got the end of the file (truncated?)");
            if (!line.strip().equals(want)) throw bad("expected " + want + ", got '" + abbreviate(line) + "'");
        }

        /** The fields of one m-gram line: probability, m tokens, optional backoff weight. */
        private String[] fields(int m, int order) throws IOException {
            String line = next();
            if (line == null) throw bad("the file ends inside the " + m + "-grams (truncated?)");
            String[] f = line.strip().split("[ \t]+");
            if (line.isBlank() || line.strip().startsWith("\\")) {
                throw bad("fewer " + m + "-grams than 'ngram " + m + "=' declares");
            }
            if (f.length != m + 1 && f.length != m + 2) {
                throw bad("a " + m + "-gram line has log10 probability, " + m + " token" + (m > 1 ? "s" : "")
                        + " and " + (m < order ? "a" : "an optional") + " backoff weight; got " + f.length + " fields");
            }
            return f;
        }

        private double number(String s) {
            try {
                double x = Double.parseDouble(s);
                if (Double.isNaN(x)) throw new NumberFormatException();
                return x;
            } catch (NumberFormatException e) {
                throw bad("'" + abbreviate(s) + "' is not a number");
            }
        }

        private String token(String field) {
            if (!escaped) return field;
            String t = unescape(field);
            if (t == null) throw bad("bad escape in token '" + abbreviate(field) + "'");
            return t;
        }

        private static String abbreviate(String s) {
            return s.length() <= 60 ? s : s.substring(0, 57) + "...";
        }
    }
}
