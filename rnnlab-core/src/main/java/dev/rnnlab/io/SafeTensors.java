package dev.rnnlab.io;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rnnlab.RnnlabException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The safetensors format, float32 tensors only (F64 is read and rounded): what
 * {@code safetensors.torch.save_file}/{@code load_file} write and read.
 */
public final class SafeTensors {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long MAX_HEADER = 100L << 20;

    private SafeTensors() {}

    /** A tensor: row-major float data of the given shape. */
    public record Tensor(int[] shape, float[] data) {
        /** Checks that {@code data} holds as many values as {@code shape} calls for. */
        public Tensor {
            long n = 1;
            for (int d : shape) n *= d;
            if (n != data.length) throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " needs " + n + " values, got " + data.length);
        }
    }

    /** The tensors of a file, in header order, and its {@code __metadata__}. */
    public record Contents(Map<String, Tensor> tensors, Map<String, String> metadata) {}

    /** Writes {@code tensors} as F32 in map order, with {@code metadata} (may be null) sorted into {@code __metadata__}. */
    public static void write(Path file, Map<String, Tensor> tensors, Map<String, String> metadata) throws IOException {
        ObjectNode header = JSON.createObjectNode();
        if (metadata != null && !metadata.isEmpty()) {
            ObjectNode meta = header.putObject("__metadata__");
            new java.util.TreeMap<>(metadata).forEach(meta::put);  // sorted, so the same checkpoint is the same bytes
        }
        long offset = 0;
        for (Map.Entry<String, Tensor> e : tensors.entrySet()) {
            ObjectNode t = header.putObject(e.getKey());
            t.put("dtype", "F32");
            var shape = t.putArray("shape");
            for (int d : e.getValue().shape()) shape.add(d);
            long bytes = 4L * e.getValue().data().length;
            t.putArray("data_offsets").add(offset).add(offset + bytes);
            offset += bytes;
        }
        byte[] json = JSON.writeValueAsBytes(header);
        int padded = (json.length + 7) / 8 * 8;  // the data starts 8-byte aligned
        ByteBuffer head = ByteBuffer.allocate(8 + padded).order(ByteOrder.LITTLE_ENDIAN);
        head.putLong(padded).put(json);
        while (head.hasRemaining()) head.put((byte) ' ');
        try (OutputStream out = Files.newOutputStream(file)) {
            out.write(head.array());
            for (Tensor t : tensors.values()) {
                ByteBuffer buf = ByteBuffer.allocate(4 * t.data().length).order(ByteOrder.LITTLE_ENDIAN);
                buf.asFloatBuffer().put(t.data());
                out.write(buf.array());
            }
        }
    }

    /** The tensors and metadata of {@code file}; a file that is not valid safetensors is an error naming the problem. */
    public static Contents read(Path file) {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = ch.size();
            if (size < 8) throw corrupt(file, "it has " + size + " bytes, fewer than the 8-byte header length");
            ByteBuffer lenBuf = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
            readFully(ch, lenBuf, 0);
            long headerLen = lenBuf.getLong(0);
            if (headerLen <= 0 || headerLen > MAX_HEADER || 8 + headerLen > size) {
                throw corrupt(file, "its header length " + headerLen + " does not fit a file of " + size + " bytes");
            }
            ByteBuffer hb = ByteBuffer.allocate((int) headerLen);
            readFully(ch, hb, 8);
            JsonNode header;
            try {
                header = JSON.readTree(new String(hb.array(), StandardCharsets.UTF_8));
            } catch (IOException e) {
                throw corrupt(file, "its header is not valid JSON");
            }
            if (header == null || !header.isObject()) throw corrupt(file, "its header is not a JSON object");
            long dataStart = 8 + headerLen, dataLen = size - dataStart;
            Map<String, Tensor> tensors = new LinkedHashMap<>();
            Map<String, String> metadata = new LinkedHashMap<>();
            Iterator<Map.Entry<String, JsonNode>> it = header.fields();
            while (it.hasNext()) {
                var e = it.next();
                if (e.getKey().equals("__metadata__")) {
                    e.getValue().fields().forEachRemaining(m -> metadata.put(m.getKey(), m.getValue().asText()));
                    continue;
                }
                tensors.put(e.getKey(), readTensor(ch, file, e.getKey(), e.getValue(), dataStart, dataLen));
            }
            return new Contents(tensors, metadata);
        } catch (NoSuchFileException e) {
            throw new RnnlabException("cannot read '" + file + "': no such file");
        } catch (IOException e) {
            throw new RnnlabException("cannot read '" + file + "': " + IoErrors.describe(e));
        }
    }

    private static Tensor readTensor(FileChannel ch, Path file, String name, JsonNode t, long dataStart, long dataLen) throws IOException {
        String dtype = t.path("dtype").asText("");
        JsonNode shapeNode = t.path("shape"), offsets = t.path("data_offsets");
        if (!shapeNode.isArray() || !offsets.isArray() || offsets.size() != 2) {
            throw corrupt(file, "tensor '" + name + "' lacks a shape or data_offsets");
        }
        int width = switch (dtype) {
            case "F32" -> 4;
            case "F64" -> 8;
            default -> throw corrupt(file, "tensor '" + name + "' has dtype " + dtype + "; rnnlab reads F32 and F64");
        };
        int[] shape = new int[shapeNode.size()];
        long n = 1;
        for (int i = 0; i < shape.length; i++) {
            shape[i] = shapeNode.get(i).asInt(-1);
            if (shape[i] < 0) throw corrupt(file, "tensor '" + name + "' has a negative dimension");
            n *= shape[i];
        }
        long begin = offsets.get(0).asLong(-1), end = offsets.get(1).asLong(-1);
        if (begin < 0 || end < begin || end > dataLen || end - begin != n * width || n > Integer.MAX_VALUE) {
            throw corrupt(file, "tensor '" + name + "' (shape " + Arrays.toString(shape) + ", bytes " + begin + ".." + end
                    + ") does not fit the " + dataLen + " data bytes (truncated?)");
        }
        ByteBuffer buf = ByteBuffer.allocate((int) (end - begin)).order(ByteOrder.LITTLE_ENDIAN);
        readFully(ch, buf, dataStart + begin);
        buf.flip();
        float[] data = new float[(int) n];
        if (width == 4) buf.asFloatBuffer().get(data);
        else for (int i = 0; i < n; i++) data[i] = (float) buf.getDouble(8 * i);
        return new Tensor(shape, data);
    }

    private static void readFully(FileChannel ch, ByteBuffer buf, long position) throws IOException {
        while (buf.hasRemaining()) {
            int r = ch.read(buf, position + buf.position());
            if (r < 0) throw new IOException("unexpected end of file");
        }
    }

    private static RnnlabException corrupt(Path file, String why) {
        return new RnnlabException("'" + file + "' is not a valid safetensors file: " + why);
    }
}
