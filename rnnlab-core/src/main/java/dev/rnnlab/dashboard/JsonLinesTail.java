package dev.rnnlab.dashboard;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.zip.CRC32;

/**
 * Follows a JSON-lines file that is appended to, as {@code tail -F} does: each {@link #poll} returns the
 * whole lines written since the last (a line still being written waits for its newline). A file that is
 * missing is not yet there, or briefly gone while a checkpoint swaps the directory; a file replaced by
 * one that no longer begins with what was read (a resumed run rewrote it shorter) makes {@link #poll}
 * report {@link Poll#rewritten} and start over from its first byte.
 */
final class JsonLinesTail {
    /** The most bytes one poll reads, so a huge log arrives over several polls rather than all in memory at once. */
    static final int MAX_READ = 8 << 20;
    private static final ObjectMapper JSON = new ObjectMapper();

    /** New lines, and whether the file was rewritten (the lines then start from the top). */
    record Poll(List<JsonNode> lines, boolean rewritten) {
        static final Poll NOTHING = new Poll(List.of(), false);
    }

    private final Path file;
    private long offset;
    private Object fileKey;
    private CRC32 consumed = new CRC32();

    JsonLinesTail(Path file) {
        this.file = file;
    }

    /** The lines appended since the last poll. */
    Poll poll() throws IOException {
        BasicFileAttributes attrs;
        try {
            attrs = Files.readAttributes(file, BasicFileAttributes.class);
        } catch (NoSuchFileException e) {
            return Poll.NOTHING;
        }
        if (!attrs.isRegularFile()) return Poll.NOTHING;
        long size = attrs.size();
        boolean rewritten = false;
        if (offset > 0 && (size < offset || !Objects.equals(attrs.fileKey(), fileKey))) {
            if (size < offset || prefixChecksum(offset) != consumed.getValue()) {
                offset = 0;
                consumed = new CRC32();
                rewritten = true;
            }
        }
        fileKey = attrs.fileKey();
        if (size <= offset) return rewritten ? new Poll(List.of(), true) : Poll.NOTHING;
        byte[] bytes = read(offset, (int) Math.min(size - offset, MAX_READ));
        int end = lastNewline(bytes);
        if (end < 0) return rewritten ? new Poll(List.of(), true) : Poll.NOTHING;
        consumed.update(bytes, 0, end + 1);
        offset += end + 1;
        List<JsonNode> lines = new ArrayList<>();
        int start = 0;
        for (int i = 0; i <= end; i++) {
            if (bytes[i] != '\n') continue;
            String line = new String(bytes, start, i - start, StandardCharsets.UTF_8).strip();
            start = i + 1;
            if (line.isEmpty()) continue;
            try {
                JsonNode node = JSON.readTree(line);
                if (node != null && node.isObject()) lines.add(node);
            } catch (IOException garbled) {
                // a line a killed run left half written: skipped, as the run's own readers skip it
            }
        }
        return new Poll(lines, rewritten);
    }

    private static int lastNewline(byte[] bytes) {
        for (int i = bytes.length - 1; i >= 0; i--) if (bytes[i] == '\n') return i;
        return -1;
    }

    private byte[] read(long from, int length) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            ByteBuffer buf = ByteBuffer.allocate(length);
            while (buf.hasRemaining()) {
                if (ch.read(buf, from + buf.position()) < 0) break;
            }
            byte[] out = new byte[buf.position()];
            buf.flip().get(out);
            return out;
        }
    }

    private long prefixChecksum(long length) throws IOException {
        CRC32 crc = new CRC32();
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buf = new byte[1 << 16];
            long left = length;
            while (left > 0) {
                int n = in.read(buf, 0, (int) Math.min(buf.length, left));
                if (n < 0) break;
                crc.update(buf, 0, n);
                left -= n;
            }
            if (left > 0) return -1;
        }
        return crc.getValue();
    }
}
