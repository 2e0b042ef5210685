package dev.rnnlab.text;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.rnnlab.RnnlabException;
import dev.rnnlab.RnnlabVersion;
import dev.rnnlab.io.IoErrors;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.DigestException;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.LongConsumer;

/**
 * A corpus prepared once into a directory of token indices on disk, read back memory-mapped: for texts
 * larger than memory, or larger than the 2^31 tokens one array holds. The directory holds
 * {@value #TOKENS} (each token an unsigned little-endian integer of {@link #width} bytes), {@value #VOCABULARY}
 * and {@value #DESCRIPTION} (see the package description for the format).
 */
public final class TokenFile {
    /** The token indices. */
    public static final String TOKENS = "tokens.bin";
    /** The vocabulary, as {@link Vocabulary#save} writes it. */
    public static final String VOCABULARY = "vocab.json";
    /** What the directory holds and where it came from; written last, so its presence marks a whole corpus. */
    public static final String DESCRIPTION = "corpus.json";
    private static final String FORMAT = "rnnlab-tokens";
    private static final int FORMAT_VERSION = 1;
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final int BUFFER = 1 << 20;

    private TokenFile() {}

    /** One source file as it was read: its path, size and sha256. */
    public record Source(String path, long bytes, String sha256) {}

    /**
     * {@value #DESCRIPTION}: the format, the tokens' count and width, how they were made, and the sources.
     *
     * @param sha256 the sha256 of the sources' bytes one after the other (for one file, that file's sha256,
     *               so a checkpoint's provenance is the same whether it was trained from the text or from this)
     */
    public record Description(String format, int version, String name, long tokens, int width,
            @JsonProperty("byte_order") String byteOrder, String normalizer, String tokenizer,
            @JsonProperty("min_freq") int minFreq, List<String> reserved, String sha256,
            @JsonProperty("vocabulary_size") int vocabularySize, @JsonProperty("vocabulary_sha256") String vocabularySha256,
            List<Source> sources, String rnnlab) {}

    /** The bytes per token a vocabulary of {@code size} needs: 1 up to 256 tokens, 2 up to 65,536, else 4. */
    public static int width(int size) {
        return size <= 1 << 8 ? 1 : size <= 1 << 16 ? 2 : 4;
    }

    /** Whether {@code dir} holds a prepared corpus (its {@value #DESCRIPTION}). */
    public static boolean isPrepared(Path dir) {
        return Files.isDirectory(dir) && Files.isRegularFile(dir.resolve(DESCRIPTION));
    }

    /** What to prepare: the texts, in order, and how to cut them into tokens. */
    public record Request(List<Path> files, Normalizer normalizer, Tokenizer tokenizer, int minFreq, List<String> reserved) {
        /** Checks that there is at least one file. */
        public Request {
            files = List.copyOf(files);
            Objects.requireNonNull(normalizer, "normalizer");
            Objects.requireNonNull(tokenizer, "tokenizer");
            reserved = List.copyOf(reserved);
            if (files.isEmpty()) throw new RnnlabException("give at least one text file to prepare");
            if (minFreq < 0) throw new RnnlabException("--min-freq must be >= 0, got " + minFreq);
        }

        /** These files with no reserved tokens and no frequency cut-off. */
        public static Request of(List<Path> files, Normalizer normalizer, Tokenizer tokenizer) {
            return new Request(files, normalizer, tokenizer, 0, List.of());
        }
    }

    /**
     * Streams the request's files twice (counting, then encoding) into {@code dir}, in memory bounded by the
     * vocabulary and the buffers. Several files are read one after the other, each as a text of its own.
     * The files are written under temporary names and renamed into place, {@value #DESCRIPTION} last, so a
     * killed prepare leaves no corpus that looks whole. A directory that already holds one is refused
     * unless {@code overwrite}. {@code progress}, if not null, receives the bytes read so far over both
     * passes (twice the files' total size at the end).
     */
    public static Description prepare(Request request, Path dir, boolean overwrite, LongConsumer progress) {
        if (isPrepared(dir) && !overwrite) {
            throw new RnnlabException("'" + dir + "' holds a prepared corpus already: give another --out, or --overwrite to replace it");
        }
        long total = 0;
        for (Path f : request.files()) total += TextFileReader.checkReadable(f);
        final long totalBytes = total;

        // pass 1: counts in first-occurrence order, and each file's sha256
        LinkedHashMap<String, long[]> counts = new LinkedHashMap<>();
        long[] seen = new long[1];
        MessageDigest all = Corpus.sha256Digest();
        List<Source> sources = new ArrayList<>();
        long base = 0;
        for (Path f : request.files()) {
            MessageDigest own = Corpus.sha256Digest();
            long from = base;
            TextFileReader.read(f, request.normalizer().wrap(request.tokenizer().wrap(token -> {
                long[] c = counts.get(token);
                if (c == null) counts.put(token, c = new long[1]);
                c[0]++;
                seen[0]++;
            })), new Tee(own, all), progress == null ? null : bytes -> progress.accept(from + bytes));
            long size = size(f);
            sources.add(new Source(f.toString(), size, HexFormat.of().formatHex(own.digest())));
            base += size;
        }
        if (seen[0] == 0) {
            throw new RnnlabException("no tokens in " + describe(request.files()) + " after " + request.normalizer().id()
                    + " normalization");
        }
        LinkedHashMap<String, Long> inOrder = new LinkedHashMap<>();
        for (Map.Entry<String, long[]> e : counts.entrySet()) inOrder.put(e.getKey(), e.getValue()[0]);
        counts.clear();
        Vocabulary vocabulary = Vocabulary.fromCounts(inOrder, request.minFreq(), request.reserved());
        inOrder.clear();
        int width = width(vocabulary.size());

        // pass 2: the tokens, then the vocabulary, then the description
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new RnnlabException("cannot create '" + dir + "': " + IoErrors.describeWrite(dir, e));
        }
        Path tokensPart = dir.resolve(TOKENS + ".part");
        long written = 0;
        try (OutputStream out = Files.newOutputStream(tokensPart)) {
            TokenWriter writer = new TokenWriter(out, width);
            base = 0;
            for (Path f : request.files()) {
                long from = totalBytes + base;
                TextFileReader.read(f, request.normalizer().wrap(request.tokenizer().wrap(
                        token -> writer.write(vocabulary.indexOf(token)))), null,
                        progress == null ? null : bytes -> progress.accept(from + bytes));
                base += size(f);
            }
            writer.flush();
            written = writer.count;
        } catch (IOException | java.io.UncheckedIOException e) {
            deleteQuietly(tokensPart);
            IOException cause = e instanceof java.io.UncheckedIOException u ? u.getCause() : (IOException) e;
            throw new RnnlabException("cannot write '" + tokensPart + "': " + IoErrors.describeWrite(tokensPart, cause));
        } catch (RuntimeException e) {
            deleteQuietly(tokensPart);
            throw e;
        }
        if (written != seen[0]) {
            deleteQuietly(tokensPart);
            throw new RnnlabException(describe(request.files()) + " changed while being prepared (" + seen[0] + " tokens, then "
                    + written + "); prepare again");
        }
        String name = request.files().size() == 1 ? request.files().getFirst().getFileName().toString()
                : Objects.requireNonNullElse(dir.toAbsolutePath().getFileName(), dir).toString();
        Description d = new Description(FORMAT, FORMAT_VERSION, name, written, width, "little-endian",
                request.normalizer().id(), request.tokenizer().id(), request.minFreq(), request.reserved(),
                HexFormat.of().formatHex(all.digest()), vocabulary.size(), vocabulary.sha256(), sources, RnnlabVersion.get());
        Path vocabPart = dir.resolve(VOCABULARY + ".part");
        Path descriptionPart = dir.resolve(DESCRIPTION + ".part");
        try {
            vocabulary.save(vocabPart);
            JSON.writeValue(descriptionPart.toFile(), d);
            // the description goes last: without it the directory is not a corpus
            Files.deleteIfExists(dir.resolve(DESCRIPTION));
            move(tokensPart, dir.resolve(TOKENS));
            move(vocabPart, dir.resolve(VOCABULARY));
            move(descriptionPart, dir.resolve(DESCRIPTION));
        } catch (IOException e) {
            throw new RnnlabException("cannot write the prepared corpus in '" + dir + "': " + IoErrors.describeWrite(dir, e));
        } finally {
            deleteQuietly(tokensPart);
            deleteQuietly(vocabPart);
            deleteQuietly(descriptionPart);
        }
        return d;
    }

    /**
     * Maps the corpus prepared in {@code dir}. Its sizes are checked against {@value #DESCRIPTION} and every
     * token against the vocabulary (one pass at memory speed), so a damaged file is a one-line error here,
     * not a wrong index deep in training.
     */
    public static Corpus open(Path dir) {
        Path descriptionFile = dir.resolve(DESCRIPTION);
        if (!Files.isRegularFile(descriptionFile)) {
            throw new RnnlabException("'" + dir + "' is not a prepared corpus (no " + DESCRIPTION + "); make one with rnnlab prepare FILE --out " + dir);
        }
        Description d;
        try {
            d = JSON.readValue(Files.readAllBytes(descriptionFile), Description.class);
        } catch (JacksonException e) {
            throw damaged(descriptionFile, "not a prepared-corpus description (" + e.getOriginalMessage() + ")");
        } catch (IOException e) {
            throw damaged(descriptionFile, IoErrors.describe(e));
        }
        if (d == null || !FORMAT.equals(d.format())) throw damaged(descriptionFile, "\"format\" is not \"" + FORMAT + "\"");
        if (d.version() != FORMAT_VERSION) {
            throw damaged(descriptionFile, "format version " + d.version() + ", this rnnlab reads " + FORMAT_VERSION);
        }
        if (d.width() != 1 && d.width() != 2 && d.width() != 4) throw damaged(descriptionFile, "\"width\" must be 1, 2 or 4");
        if (d.tokens() < 1) throw damaged(descriptionFile, "\"tokens\" must be positive");
        Vocabulary vocabulary = Vocabulary.load(dir.resolve(VOCABULARY));
        if (!vocabulary.sha256().equals(d.vocabularySha256())) {
            throw damaged(dir.resolve(VOCABULARY), "it is not the vocabulary the tokens were written with (sha256 differs); prepare again");
        }
        Path tokensFile = dir.resolve(TOKENS);
        MemorySegment bytes;
        try (FileChannel channel = FileChannel.open(tokensFile, StandardOpenOption.READ)) {
            long expected = Math.multiplyExact(d.tokens(), d.width());
            if (channel.size() != expected) {
                throw damaged(tokensFile, String.format(Locale.ROOT, "%,d bytes, but %s says %,d tokens of %d byte(s): %,d;"
                        + " it is truncated or from another corpus; prepare again", channel.size(), DESCRIPTION, d.tokens(),
                        d.width(), expected));
            }
            // an automatic arena: the mapping lives as long as the corpus (and its views) are reachable
            bytes = channel.map(FileChannel.MapMode.READ_ONLY, 0, expected, Arena.ofAuto());
        } catch (NoSuchFileException e) {
            throw damaged(tokensFile, "no such file; prepare again");
        } catch (IOException e) {
            throw damaged(tokensFile, IoErrors.describe(e));
        }
        TokenSequence tokens = new TokenSequence.Mapped(bytes, d.width(), 0, d.tokens());
        checkIndices(tokens, vocabulary.size(), tokensFile);
        return new Corpus(d.name(), d.sha256(), Normalizer.parse(d.normalizer()), Tokenizer.parse(d.tokenizer()), vocabulary, tokens);
    }

    /** The description of the corpus prepared in {@code dir}, without mapping it. */
    public static Description describe(Path dir) {
        try {
            return JSON.readValue(Files.readAllBytes(dir.resolve(DESCRIPTION)), Description.class);
        } catch (IOException e) {
            throw damaged(dir.resolve(DESCRIPTION), IoErrors.describe(e));
        }
    }

    private static void checkIndices(TokenSequence tokens, int vocabularySize, Path file) {
        if (tokens instanceof TokenSequence.Mapped m && (m.width() == 1 && vocabularySize >= 256)) return;
        int[] chunk = new int[1 << 16];
        for (long at = 0; at < tokens.length(); at += chunk.length) {
            int n = (int) Math.min(chunk.length, tokens.length() - at);
            tokens.copyTo(at, chunk, 0, n);
            for (int i = 0; i < n; i++) {
                if (chunk[i] < 0 || chunk[i] >= vocabularySize) {
                    throw damaged(file, String.format(Locale.ROOT, "token %d at position %,d is outside the vocabulary of %,d;"
                            + " prepare again", Integer.toUnsignedLong(chunk[i]), at + i, vocabularySize));
                }
            }
        }
    }

    private static RnnlabException damaged(Path file, String what) {
        return new RnnlabException("cannot read prepared corpus file '" + file + "': " + what);
    }

    private static String describe(List<Path> files) {
        return files.size() == 1 ? "'" + files.getFirst() + "'" : files.size() + " files";
    }

    private static long size(Path f) {
        try {
            return Files.size(f);
        } catch (IOException e) {
            throw new RnnlabException("cannot read '" + f + "': " + IoErrors.describe(e));
        }
    }

    private static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private static void deleteQuietly(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException ignored) {
            // the error that brought us here is the one to report
        }
    }

    /** Little-endian tokens of one width into a byte buffer, flushed a megabyte at a time. */
    private static final class TokenWriter {
        private final OutputStream out;
        private final int width;
        private final byte[] buffer = new byte[BUFFER];
        private int at;
        long count;

        TokenWriter(OutputStream out, int width) {
            this.out = out;
            this.width = width;
        }

        void write(int token) {
            if (at + width > buffer.length) flush();
            buffer[at++] = (byte) token;
            if (width > 1) {
                buffer[at++] = (byte) (token >>> 8);
                if (width > 2) {
                    buffer[at++] = (byte) (token >>> 16);
                    buffer[at++] = (byte) (token >>> 24);
                }
            }
            count++;
        }

        void flush() {
            try {
                out.write(buffer, 0, at);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            at = 0;
        }
    }

    /** Feeds the same bytes to two digests: each file's own sha256 and the whole corpus's. */
    private static final class Tee extends MessageDigest {
        private final MessageDigest a, b;

        Tee(MessageDigest a, MessageDigest b) {
            super("tee");
            this.a = a;
            this.b = b;
        }

        @Override
        protected void engineUpdate(byte input) {
            a.update(input);
            b.update(input);
        }

        @Override
        protected void engineUpdate(byte[] input, int offset, int len) {
            a.update(input, offset, len);
            b.update(input, offset, len);
        }

        @Override
        protected byte[] engineDigest() {
            throw new UnsupportedOperationException("read the two digests themselves");
        }

        @Override
        protected int engineDigest(byte[] buf, int offset, int len) throws DigestException {
            throw new UnsupportedOperationException("read the two digests themselves");
        }

        @Override
        protected void engineReset() {
            a.reset();
            b.reset();
        }
    }
}
