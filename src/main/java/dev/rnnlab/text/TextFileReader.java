package dev.rnnlab.text;

import dev.rnnlab.RnnlabException;
import dev.rnnlab.io.IoErrors;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.function.LongConsumer;

/**
 * Streams a UTF-8 file into a {@link TextSink} in 64 KiB chunks, so memory does not grow with the file.
 * Checks what a person can get wrong (missing, directory, empty, binary, not UTF-8) and says where.
 */
final class TextFileReader {
    private static final int CHUNK = 1 << 16;

    private TextFileReader() {}

    /** Checks that {@code path} names a non-empty regular file, with a one-line error otherwise. */
    static long checkReadable(Path path) {
        if (Files.isDirectory(path)) throw problem(path, "it is a directory, not a text file");
        if (!Files.exists(path)) throw problem(path, "no such file");
        try {
            long size = Files.size(path);
            if (size == 0) throw problem(path, "the file is empty");
            return size;
        } catch (IOException e) {
            throw problem(path, IoErrors.describe(e));
        }
    }

    /**
     * Decodes the file into {@code sink}, feeding the raw bytes to {@code digest} (may be null) and the
     * running byte count to {@code progress} (may be null).
     */
    static void read(Path path, TextSink sink, MessageDigest digest, LongConsumer progress) {
        checkReadable(path);
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer bytes = ByteBuffer.allocate(CHUNK);
        CharBuffer chars = CharBuffer.allocate(CHUNK);
        long base = 0;        // file offset of bytes[0]
        long scanned = 0;     // file offset up to which bytes were checked for NUL and digested
        boolean bomChecked = false;
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ)) {
            boolean eof = false;
            while (!eof) {
                eof = channel.read(bytes) < 0;
                bytes.flip();
                for (int i = (int) (scanned - base); i < bytes.limit(); i++) {
                    if (bytes.get(i) == 0) throw problem(path, "binary file (NUL byte at byte " + (base + i)
                            + "); rnnlab reads UTF-8 text");
                }
                if (digest != null) {
                    int from = (int) (scanned - base);
                    digest.update(bytes.array(), from, bytes.limit() - from);
                }
                scanned = base + bytes.limit();
                if (!bomChecked && (bytes.limit() >= 3 || eof)) {
                    bomChecked = true;
                    if (bytes.limit() >= 3 && (bytes.get(0) & 0xFF) == 0xEF && (bytes.get(1) & 0xFF) == 0xBB
                            && (bytes.get(2) & 0xFF) == 0xBF) {
                        bytes.position(3);
                    }
                }
                if (!bomChecked) {
                    bytes.compact();
                    continue;
                }
                CoderResult result;
                do {
                    result = decoder.decode(bytes, chars, eof);
                    if (result.isError()) throw invalidUtf8(path, base + bytes.position());
                    drain(chars, sink);
                } while (result.isOverflow());
                if (eof) {
                    if (bytes.hasRemaining()) throw invalidUtf8(path, base + bytes.position());
                    while (decoder.flush(chars).isOverflow()) drain(chars, sink);
                    drain(chars, sink);
                }
                base += bytes.position();
                bytes.compact();
                if (progress != null) progress.accept(scanned);
            }
        } catch (NoSuchFileException e) {
            throw problem(path, "no such file");
        } catch (IOException e) {
            throw problem(path, IoErrors.describe(e));
        }
        sink.end();
    }

    private static void drain(CharBuffer chars, TextSink sink) {
        chars.flip();
        if (chars.hasRemaining()) sink.append(chars.array(), chars.position(), chars.remaining());
        chars.clear();
    }

    private static RnnlabException invalidUtf8(Path path, long offset) {
        return problem(path, "not valid UTF-8 at byte " + offset);
    }

    static RnnlabException problem(Path path, String what) {
        return new RnnlabException("cannot read corpus '" + path + "': " + what);
    }

}
