package dev.rnnlab.spark;

import dev.rnnlab.RnnlabException;
import dev.rnnlab.text.Normalizer;
import dev.rnnlab.text.Tokenizer;
import java.io.ByteArrayOutputStream;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.Serializable;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.function.Consumer;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * A corpus of text files as Spark reads it (see the package description): the files in order, cut into
 * line-aligned chunks, each chunk's tokens read with the core library's normalizer and tokenizer.
 * Serializable, so tasks get it in their closures; it holds names and sizes, never text.
 */
public final class SparkCorpus implements Serializable {
    private static final long serialVersionUID = 1L;
    /** Chunks of this many bytes by default (a task's share of a large file). */
    public static final long DEFAULT_CHUNK_BYTES = 32L << 20;

    /** One input file: its URI and size. */
    public record InputFile(String uri, long size) implements Serializable {}

    /** Bytes [start, end) of file {@code file}; it owns the lines that start there. Numbered in stream order. */
    public record Chunk(int index, int file, long start, long end) implements Serializable {}

    private final List<InputFile> files;
    private final Normalizer normalizer;
    private final Tokenizer tokenizer;
    private final long chunkBytes;

    private SparkCorpus(List<InputFile> files, Normalizer normalizer, Tokenizer tokenizer, long chunkBytes) {
        this.files = List.copyOf(files);
        this.normalizer = normalizer;
        this.tokenizer = tokenizer;
        this.chunkBytes = chunkBytes;
    }

    /**
     * The files named by {@code inputs}, in the order given; a directory gives its files (hidden ones, whose
     * names start with '.' or '_', left out) and a glob its matches, each in name order. A missing input, or
     * one without a single non-empty file, is a one-line error.
     */
    public static SparkCorpus of(List<String> inputs, Normalizer normalizer, Tokenizer tokenizer, long chunkBytes, Configuration conf) {
        if (inputs.isEmpty()) throw new RnnlabException("give at least one input: a file, a directory or a glob");
        if (chunkBytes < 1) throw new RnnlabException("chunk size must be >= 1 byte, got " + chunkBytes);
        List<InputFile> files = new ArrayList<>();
        for (String input : inputs) {
            Path p = new Path(input);
            try {
                FileSystem fs = p.getFileSystem(conf);
                List<FileStatus> found = new ArrayList<>();
                if (input.matches(".*[*?\\[{].*")) {
                    FileStatus[] matches = fs.globStatus(p);
                    if (matches == null || matches.length == 0) throw new RnnlabException("no file matches '" + input + "'");
                    for (FileStatus s : matches) found.addAll(filesOf(fs, s));
                } else {
                    FileStatus s;
                    try {
                        s = fs.getFileStatus(p);
                    } catch (FileNotFoundException e) {
                        throw new RnnlabException("no such input '" + input + "': give a text file, a directory of them or a glob");
                    }
                    found.addAll(filesOf(fs, s));
                }
                for (FileStatus s : found) files.add(new InputFile(s.getPath().toString(), s.getLen()));
            } catch (IOException e) {
                throw new RnnlabException("cannot list '" + input + "': " + e.getMessage());
            }
        }
        if (files.stream().allMatch(f -> f.size() == 0)) {
            throw new RnnlabException("no text in " + String.join(", ", inputs) + ": every file is empty");
        }
        return new SparkCorpus(files, normalizer, tokenizer, chunkBytes);
    }

    private static List<FileStatus> filesOf(FileSystem fs, FileStatus s) throws IOException {
        if (!s.isDirectory()) return List.of(s);
        List<FileStatus> out = new ArrayList<>();
        for (FileStatus c : fs.listStatus(s.getPath())) {
            String name = c.getPath().getName();
            if (c.isFile() && !name.startsWith(".") && !name.startsWith("_")) out.add(c);
        }
        out.sort(Comparator.comparing(f -> f.getPath().getName()));
        return out;
    }

    /** The files in stream order. */
    public List<InputFile> files() {
        return files;
    }

    public Normalizer normalizer() {
        return normalizer;
    }

    public Tokenizer tokenizer() {
        return tokenizer;
    }

    /** The total size in bytes. */
    public long bytes() {
        return files.stream().mapToLong(InputFile::size).sum();
    }

    /** The chunks, in stream order: each file cut every {@code chunkBytes} bytes (a chunk may own no line). */
    public List<Chunk> chunks() {
        List<Chunk> chunks = new ArrayList<>();
        for (int f = 0; f < files.size(); f++) {
            long size = files.get(f).size();
            for (long start = 0; start < size; start += chunkBytes) {
                chunks.add(new Chunk(chunks.size(), f, start, Math.min(size, start + chunkBytes)));
            }
        }
        return chunks;
    }

    /** A name for reports: the file's name, or how many files. */
    public String name() {
        return files.size() == 1 ? new Path(files.getFirst().uri()).getName() : files.size() + " files";
    }

    /**
     * Streams the tokens of the lines {@code chunk} owns to {@code owned}, then up to {@code lookahead} more
     * tokens of the stream after it (the following lines, then the next files) to {@code after}.
     */
    public void read(Chunk chunk, int lookahead, Consumer<String> owned, Consumer<String> after) throws IOException {
        Configuration conf = new Configuration();
        Owned lines = ownedLines(chunk, conf);
        tokens(chunk.file(), lines.from(), lines.bytes(), owned);
        if (lookahead <= 0 || lines.bytes().length == 0) return;  // no n-gram starts in a chunk without lines
        int[] taken = {0};
        Consumer<String> limited = t -> {
            if (taken[0] < lookahead) {
                taken[0]++;
                after.accept(t);
            }
        };
        // the rest of this file, then the next files, a line at a time, until enough tokens are seen
        int file = chunk.file();
        long from = lines.from() + lines.bytes().length;
        while (taken[0] < lookahead && file < files.size()) {
            if (from < files.get(file).size()) {
                try (FSDataInputStream in = open(file, conf)) {
                    in.seek(from);
                    InputStream buffered = new java.io.BufferedInputStream(in, 1 << 12);
                    while (taken[0] < lookahead) {
                        byte[] line = readLine(buffered);
                        if (line.length == 0) break;
                        tokens(file, from, line, limited);
                        from += line.length;
                    }
                }
            }
            file++;
            from = 0;
        }
    }

    /** The owned lines' bytes and where they start in the file. */
    private record Owned(long from, byte[] bytes) {}

    /** The bytes of the lines that start in [start, end), the last read to its line end. */
    private Owned ownedLines(Chunk c, Configuration conf) throws IOException {
        try (FSDataInputStream in = open(c.file(), conf)) {
            long first = c.start() + skippedBefore(c, in);
            if (first >= c.end()) return new Owned(first, new byte[0]);
            in.seek(first);
            InputStream buffered = new java.io.BufferedInputStream(in, 1 << 16);
            ByteArrayOutputStream out = new ByteArrayOutputStream((int) Math.min(Integer.MAX_VALUE - 8, c.end() - c.start() + 256));
            long position = first;
            while (position < c.end()) {
                byte[] line = readLine(buffered);
                if (line.length == 0) break;
                out.write(line);
                position += line.length;
            }
            return new Owned(first, out.toByteArray());
        }
    }

    /** How many bytes from the chunk's start belong to the line before it (0 when a line starts at start). */
    private static long skippedBefore(Chunk c, FSDataInputStream in) throws IOException {
        if (c.start() == 0) return 0;
        in.seek(c.start() - 1);
        if (in.read() == '\n') return 0;
        return readLine(in).length;  // the end of the line that began in the previous chunk
    }

    private FSDataInputStream open(int file, Configuration conf) throws IOException {
        Path p = new Path(files.get(file).uri());
        return p.getFileSystem(conf).open(p);
    }

    /** One line with its '\n' (the last line of a file may have none); empty at the end of the file. */
    private static byte[] readLine(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream(128);
        int b;
        while ((b = in.read()) >= 0) {
            line.write(b);
            if (b == '\n') break;
        }
        return line.toByteArray();
    }

    /** Decodes UTF-8 strictly (a one-line error names the file) and streams the tokens. */
    private void tokens(int file, long offset, byte[] bytes, Consumer<String> out) {
        for (int i = 0; i < bytes.length; i++) {
            if (bytes[i] == 0) {
                throw new RnnlabException("'" + files.get(file).uri() + "': binary file (NUL byte at byte " + (offset + i)
                        + "); give UTF-8 text");
            }
        }
        // a UTF-8 byte-order mark is not text (as rnnlab reads a file)
        int skip = offset == 0 && bytes.length >= 3 && (bytes[0] & 0xFF) == 0xEF && (bytes[1] & 0xFF) == 0xBB && (bytes[2] & 0xFF) == 0xBF ? 3 : 0;
        CharBuffer chars;
        try {
            chars = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes, skip, bytes.length - skip));
        } catch (CharacterCodingException e) {
            throw new RnnlabException("'" + files.get(file).uri() + "' is not UTF-8 text (in the line at byte " + offset
                    + "); convert it, e.g. iconv -f latin1 -t utf-8");
        }
        tokenizer.forEachToken(chars.array(), chars.arrayOffset() + chars.position(), chars.remaining(), normalizer, out);
    }

    /** The sha256 of every byte of the files in order, as {@code rnnlab prepare} records a corpus's (one sequential read). */
    public String sha256(Configuration conf) {
        try {
            MessageDigest d = MessageDigest.getInstance("SHA-256");
            byte[] buf = new byte[1 << 16];
            for (int f = 0; f < files.size(); f++) {
                try (FSDataInputStream in = open(f, conf)) {
                    int n;
                    while ((n = in.read(buf)) > 0) d.update(buf, 0, n);
                }
            }
            return HexFormat.of().formatHex(d.digest());
        } catch (IOException | java.security.NoSuchAlgorithmException e) {
            throw new RnnlabException("cannot read the corpus to checksum it: " + e.getMessage());
        }
    }

    @Override
    public String toString() {
        return name() + " (" + files.size() + " files, " + bytes() + " bytes)";
    }
}
