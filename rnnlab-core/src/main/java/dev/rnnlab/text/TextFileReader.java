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
    /** Bytes looked at for a byte-order mark or UTF-16's every-other-byte NULs. */
    private static final int HEAD = 64;

    private TextFileReader() {}

    /** Checks that {@code path} names a non-empty regular file, with a one-line error otherwise. */
    static long checkReadable(Path path) {
        if (Files.isDirectory(path)) {
            throw problem(path, "it is a directory, not a text file (nor a corpus made by rnnlab prepare: no " + TokenFile.DESCRIPTION + ")");
        }
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
        boolean headChecked = false;
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ)) {
            boolean eof = false;
            while (!eof) {
                eof = channel.read(bytes) < 0;
                bytes.flip();
                if (!headChecked) {
                    if (bytes.limit() < HEAD && !eof) {
                        bytes.compact();
                        continue;
                    }
                    headChecked = true;
                    // UTF-16 and UTF-32 text is full of NULs: say what it is rather than "binary"
                    WideEncoding wide = WideEncoding.sniff(bytes);
                    if (wide != null) throw problem(path, wide.explain(path));
                    if (bytes.limit() >= 3 && (bytes.get(0) & 0xFF) == 0xEF && (bytes.get(1) & 0xFF) == 0xBB
                            && (bytes.get(2) & 0xFF) == 0xBF) {
                        bytes.position(3);  // a UTF-8 byte-order mark is not text
                    }
                }
                for (int i = (int) (scanned - base); i < bytes.limit(); i++) {
                    if (bytes.get(i) == 0) throw problem(path, "binary file (NUL byte at byte " + (base + i)
                            + "); rnnlab reads UTF-8 text");
                }
                if (digest != null) {
                    int from = (int) (scanned - base);
                    digest.update(bytes.array(), from, bytes.limit() - from);
                }
                scanned = base + bytes.limit();
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

    /**
     * A file in UTF-16 or UTF-32 (as Windows tools write "Unicode" text), told by its byte-order mark or, for
     * UTF-16 without one, by ASCII's zero high byte: a NUL in every other byte of the first characters.
     */
    record WideEncoding(String name, String iconvName, String evidence) {
        static WideEncoding sniff(ByteBuffer head) {
            int n = head.limit();
            int b0 = n > 0 ? head.get(0) & 0xFF : -1, b1 = n > 1 ? head.get(1) & 0xFF : -1;
            int b2 = n > 2 ? head.get(2) & 0xFF : -1, b3 = n > 3 ? head.get(3) & 0xFF : -1;
            // UTF-32 LE's mark FF FE 00 00 begins with UTF-16 LE's, so it is tested first
            if (b0 == 0xFF && b1 == 0xFE && b2 == 0 && b3 == 0) return withMark("UTF-32 LE", "UTF-32", "FF FE 00 00");
            if (b0 == 0 && b1 == 0 && b2 == 0xFE && b3 == 0xFF) return withMark("UTF-32 BE", "UTF-32", "00 00 FE FF");
            if (b0 == 0xFF && b1 == 0xFE) return withMark("UTF-16 LE", "UTF-16", "FF FE");
            if (b0 == 0xFE && b1 == 0xFF) return withMark("UTF-16 BE", "UTF-16", "FE FF");
            int units = Math.min(n, HEAD) / 2;
            if (units < 2) return null;  // one character is too little to tell UTF-16 from binary
            boolean evenNul = true, oddNul = true, evenText = true, oddText = true;
            for (int i = 0; i < units; i++) {
                boolean even = head.get(2 * i) == 0, odd = head.get(2 * i + 1) == 0;
                evenNul &= even;
                evenText &= !even;
                oddNul &= odd;
                oddText &= !odd;
            }
            String pattern = "a NUL in every other byte";
            if (oddNul && evenText) return new WideEncoding("UTF-16 LE", "UTF-16LE", pattern);
            if (evenNul && oddText) return new WideEncoding("UTF-16 BE", "UTF-16BE", pattern);
            return null;
        }

        private static WideEncoding withMark(String name, String iconvName, String mark) {
            return new WideEncoding(name, iconvName, "it starts with the byte-order mark " + mark);
        }

        String explain(Path path) {
            String file = shellWord(path.toString());
            return (evidence.startsWith("it starts") ? "it is " : "it looks like ") + name + " text (" + evidence
                    + "), and rnnlab reads UTF-8: convert it with iconv -f " + iconvName + " -t UTF-8 " + file + " > "
                    + shellWord(path + ".utf8");
        }

        /** The path as one word of a POSIX shell command line, quoted only when it needs to be. */
        private static String shellWord(String s) {
            return s.matches("[A-Za-z0-9._/+=:,@%-]+") ? s : "'" + s.replace("'", "'\\''") + "'";
        }
    }
}
