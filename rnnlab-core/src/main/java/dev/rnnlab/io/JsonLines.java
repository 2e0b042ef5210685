package dev.rnnlab.io;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rnnlab.RnnlabException;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * The run logs' file format: one JSON object per line, appended one line at a time and closed at once, so
 * a killed run keeps every line it finished (a line it was cut off in is skipped by readers). Lines carry
 * their {@code epoch}, so a resumed run can drop those of the epochs it replays.
 */
public final class JsonLines {
    private static final ObjectMapper JSON = new ObjectMapper();

    private JsonLines() {}

    /** Appends {@code line} to {@code file}, creating the file and its directories. */
    public static void append(Path file, JsonNode line) {
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) Files.createDirectories(parent);
            try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND)) {
                w.write(JSON.writeValueAsString(line));
                w.newLine();
            }
        } catch (IOException e) {
            throw new RnnlabException("cannot append to log '" + file + "': " + IoErrors.describeWrite(file, e));
        }
    }

    /**
     * Rewrites {@code file} without the lines of epochs {@code epoch} and later, and without a garbled last
     * line (atomically, by a renamed sibling; a no-op when nothing is to go or the file does not exist).
     */
    public static void dropEpochsFrom(Path file, int epoch) {
        if (!Files.isRegularFile(file)) return;
        try {
            List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            List<String> kept = new ArrayList<>();
            for (String line : lines) {
                try {
                    if (JSON.readTree(line).path("epoch").asInt(Integer.MAX_VALUE) < epoch) kept.add(line);
                } catch (IOException garbled) {
                    // a line cut off by a kill: dropped
                }
            }
            if (kept.size() == lines.size()) return;
            Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
            Files.write(tmp, kept, StandardCharsets.UTF_8);
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new RnnlabException("cannot rewrite log '" + file + "': " + IoErrors.describe(e));
        }
    }
}
