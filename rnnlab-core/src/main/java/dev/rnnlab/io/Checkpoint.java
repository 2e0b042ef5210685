package dev.rnnlab.io;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rnnlab.RnnlabException;
import dev.rnnlab.nn.LanguageModel;
import dev.rnnlab.nn.MemoryBudget;
import dev.rnnlab.nn.ModelConfig;
import dev.rnnlab.nn.ModelKind;
import dev.rnnlab.nn.Models;
import dev.rnnlab.nn.Parameters;
import dev.rnnlab.tensor.Gemm;
import dev.rnnlab.text.Vocabulary;
import dev.rnnlab.train.EpochMetrics;
import dev.rnnlab.train.Trainer;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Writes and reads checkpoint directories (layout and the crash-safe save in the package description): the
 * model, its vocabulary and provenance, and, for resuming, the optimizer state and the trainer's progress.
 */
public final class Checkpoint {
    static final String MODEL = "model.safetensors", OPTIMIZER = "optimizer.safetensors", CONFIG = "config.json",
            VOCAB = "vocab.json", STATE = "state.json", HISTORY = "history.jsonl";
    private static final Set<String> OURS = Set.of(MODEL, OPTIMIZER, CONFIG, VOCAB, STATE, HISTORY);
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    private static final ObjectMapper LINES = new ObjectMapper().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    private static final int FORMAT = 1;

    /** The steps of a save, in order; a test makes each fail or "crash" to prove the design holds. */
    enum Step { CLEAN, WRITE, SYNC, SEAL, RETIRE, INSTALL, DROP }

    /** Called before each step of a save; tests throw from it to inject a failure (IOException) or a kill (Error). */
    interface StepHook {
        void before(Step step) throws IOException;
    }

    static volatile StepHook hook = step -> { };

    private Checkpoint() {}

    /**
     * Where the model came from: the corpus file's name and checksum, how it was tokenized, and the
     * checksum of the vocabulary ({@link Vocabulary#sha256()}; null in checkpoints older than the check).
     */
    public record Provenance(String corpus, String sha256, String normalizer, String tokenizer, long tokens,
                             String vocabularySha256) {}

    /**
     * What {@code config.json} holds: {@code kind} is "rnn" for the engine's models (PyTorch-compatible
     * names) or "scratch" for D2L's scratch RNN; {@code training} is the command's own settings, opaque here.
     */
    public record Info(String rnnlabVersion, String kind, ModelConfig model, Provenance provenance, JsonNode training) {
        /** The model kind {@code kind} names. */
        public ModelKind modelKind() {
            return ModelKind.fromId(kind);
        }
    }

    /** A checkpoint read back: a ready model, and what a resumed run needs (null when not saved). */
    public record Loaded(Path directory, Info info, Vocabulary vocabulary, LanguageModel model,
                         Map<String, float[]> optimizerState, long optimizerSteps, Trainer.Progress progress) {
        /** Whether the checkpoint can be resumed (it holds the optimizer state and the trainer's progress). */
        public boolean resumable() {
            return optimizerState != null && progress != null;
        }
    }

    /**
     * Writes a complete checkpoint to {@code dir}, replacing any there so that a complete one exists at every
     * instant (see the package description). {@code optimizerState} and {@code progress} may be null (a
     * model-only checkpoint). Weights that are not all finite are refused: such a checkpoint would only
     * replace a good one with a diverged one.
     */
    public static void write(Path dir, Info info, LanguageModel model, Vocabulary vocabulary,
                             Map<String, float[]> optimizerState, long optimizerSteps, Trainer.Progress progress) {
        String bad = firstNonFinite(model.parameters());
        if (bad != null) {
            throw new RnnlabException("refusing to write checkpoint '" + dir + "': the weights are not finite (" + bad
                    + "); the training diverged, and the previous checkpoint, if any, is kept");
        }
        if (Files.exists(dir) && !Files.isDirectory(dir)) {
            throw new RnnlabException("cannot write checkpoint '" + dir + "': it is a file, not a directory; choose another --checkpoint");
        }
        Path tmp = sibling(dir, ".tmp"), fresh = sibling(dir, ".new"), prev = sibling(dir, ".prev");
        Step at = Step.CLEAN;
        try {
            hook.before(at);
            recover(dir);
            hook.before(at = Step.WRITE);
            Files.createDirectories(tmp);
            SafeTensors.write(tmp.resolve(MODEL), tensorsOf(model.parameters()),
                    weightsMetadata(info.rnnlabVersion(), info.model(), info.kind()));
            if (optimizerState != null) {
                Map<String, SafeTensors.Tensor> opt = new LinkedHashMap<>();
                optimizerState.forEach((k, v) -> opt.put(k, new SafeTensors.Tensor(new int[] {v.length}, v.clone())));
                SafeTensors.write(tmp.resolve(OPTIMIZER), opt, Map.of("steps", Long.toString(optimizerSteps)));
            }
            ObjectNode config = JSON.createObjectNode();
            config.put("format", FORMAT);
            config.set("info", JSON.valueToTree(info));
            JSON.writeValue(tmp.resolve(CONFIG).toFile(), config);
            vocabulary.save(tmp.resolve(VOCAB));
            carryOverOtherFiles(dir, tmp);
            if (progress != null) {
                writeHistory(dir, tmp, progress.history());
                ObjectNode state = JSON.valueToTree(progress);
                state.remove("history");
                state.put("historyFile", HISTORY);
                JSON.writeValue(tmp.resolve(STATE).toFile(), state);
            }
            hook.before(at = Step.SYNC);
            try (Stream<Path> files = Files.list(tmp)) {
                for (Path f : files.toList()) if (OURS.contains(f.getFileName().toString())) fsync(f);
            }
            fsync(tmp);
            hook.before(at = Step.SEAL);
            move(tmp, fresh);
            fsyncParent(dir);
            hook.before(at = Step.RETIRE);
            if (Files.exists(dir)) move(dir, prev);
            hook.before(at = Step.INSTALL);
            move(fresh, dir);
            fsyncParent(dir);
        } catch (IOException e) {
            undo(at, dir, tmp, fresh, prev);
            throw new RnnlabException("cannot write checkpoint '" + dir + "': " + IoErrors.describe(e)
                    + "; the previous checkpoint, if any, is untouched");
        }
        try {
            hook.before(Step.DROP);
            deleteTree(prev);
        } catch (IOException e) {
            // the new checkpoint is in place; the old one is removed by the next save's CLEAN step
        }
    }

    /**
     * Brings the directory back to one checkpoint after a save that was cut off, never passing through a
     * state without a complete one: a sealed {@code DIR.new} is installed (it is newer than {@code DIR}), a
     * lone {@code DIR.prev} is moved back, and what is left over ({@code DIR.tmp}, a superseded
     * {@code DIR.prev}) is deleted.
     */
    static void recover(Path dir) throws IOException {
        Path tmp = sibling(dir, ".tmp"), fresh = sibling(dir, ".new"), prev = sibling(dir, ".prev");
        deleteTree(tmp);
        if (Files.isDirectory(fresh)) {
            if (Files.exists(dir)) {
                deleteTree(prev);
                move(dir, prev);
            }
            move(fresh, dir);
        } else if (!Files.exists(dir) && Files.isDirectory(prev)) {
            move(prev, dir);
        }
        deleteTree(prev);
    }

    /** What a failed save takes back: everything it wrote, and the old checkpoint back in its place. */
    private static void undo(Step failed, Path dir, Path tmp, Path fresh, Path prev) {
        try {
            deleteTree(tmp);
            if (failed.compareTo(Step.SEAL) > 0) {
                if (!Files.exists(dir) && Files.isDirectory(prev)) move(prev, dir);
                if (Files.exists(dir)) deleteTree(fresh);
            }
        } catch (IOException ignored) {
            // what remains is consistent: the next save's CLEAN step, or read(), finds the complete checkpoint
        }
    }

    /**
     * The epochs' metrics, one JSON line each, kept in {@code history.jsonl} so a save does not rewrite them
     * all: when {@code DIR}'s history is a prefix of this one, the carried-over file (a hard link to it) is
     * cut back to that prefix and only the new epochs are appended. {@code DIR}'s own state names how many
     * lines are its own, so the lines appended past them do not change what {@code DIR} holds.
     */
    private static void writeHistory(Path dir, Path tmp, List<EpochMetrics> history) throws IOException {
        Path file = tmp.resolve(HISTORY);
        int keep = reusableHistoryLines(dir, history);
        long cut = keep > 0 ? endOfLine(file, keep) : -1;
        if (cut < 0) {
            Files.deleteIfExists(file);
            keep = 0;
            cut = 0;
        }
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
            ch.truncate(cut);
        }
        try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.APPEND)) {
            for (EpochMetrics m : history.subList(keep, history.size())) {
                w.write(LINES.writeValueAsString(m));
                w.newLine();
            }
        }
    }

    /** How many of {@code DIR}'s history lines the new history starts with (checked by its last one). */
    private static int reusableHistoryLines(Path dir, List<EpochMetrics> history) {
        try {
            if (!Files.isRegularFile(dir.resolve(STATE)) || !Files.isRegularFile(dir.resolve(HISTORY))) return 0;
            int n = JSON.readTree(dir.resolve(STATE).toFile()).path("epochsDone").asInt(0);
            if (n < 1 || n > history.size()) return 0;
            List<EpochMetrics> old = readHistory(dir.resolve(HISTORY), n);
            return old.size() == n && old.getLast().equals(history.get(n - 1)) ? n : 0;
        } catch (IOException | RuntimeException e) {
            return 0;  // anything unreadable is simply written afresh
        }
    }

    /** The byte offset just past the {@code lines}-th newline of {@code file}, or -1 when it has fewer. */
    private static long endOfLine(Path file, int lines) throws IOException {
        if (!Files.isRegularFile(file)) return -1;
        long offset = 0;
        int seen = 0;
        byte[] buf = new byte[1 << 16];
        try (InputStream in = Files.newInputStream(file)) {
            for (int r; (r = in.read(buf)) > 0; offset += r) {
                for (int i = 0; i < r; i++) if (buf[i] == '\n' && ++seen == lines) return offset + i + 1;
            }
        }
        return -1;
    }

    private static List<EpochMetrics> readHistory(Path file, int lines) throws IOException {
        List<EpochMetrics> out = new ArrayList<>(lines);
        try (var reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            for (String line; out.size() < lines && (line = reader.readLine()) != null; ) {
                out.add(LINES.readValue(line, EpochMetrics.class));
            }
        }
        return out;
    }

    /**
     * Reads the checkpoint at {@code dir}: the complete one a cut-off save left ({@code DIR.new} when sealed,
     * else {@code DIR}, else {@code DIR.prev}), verifying the vocabulary's checksum, that the model fits in
     * memory before building it, and that its weights are finite.
     */
    public static Loaded read(Path dir, Gemm gemm) {
        if (Files.isRegularFile(dir)) {
            throw new RnnlabException("'" + dir + "' is a file, not a checkpoint directory (train one with rnnlab train --checkpoint DIR)");
        }
        Path from = locate(dir);
        if (from == null) {
            throw new RnnlabException("no checkpoint at '" + dir + "': it is not a directory (train one with rnnlab train --checkpoint DIR)");
        }
        for (String f : new String[] {CONFIG, MODEL, VOCAB}) {
            if (!Files.isRegularFile(from.resolve(f))) {
                throw new RnnlabException("'" + dir + "' is not a complete checkpoint: " + f + " is missing");
            }
        }
        Info info = readInfo(from);
        Vocabulary vocab = Vocabulary.load(from.resolve(VOCAB));
        if (vocab.size() != info.model().vocab()) {
            throw new RnnlabException("checkpoint '" + dir + "' is inconsistent: vocab.json has " + vocab.size()
                    + " tokens but the model's vocabulary size is " + info.model().vocab());
        }
        String recorded = info.provenance().vocabularySha256();
        if (recorded != null && !recorded.equals(vocab.sha256())) {
            throw new RnnlabException("checkpoint '" + dir + "' is inconsistent: vocab.json is not the vocabulary the model was"
                    + " trained with (sha256 " + vocab.sha256().substring(0, 12) + ", config.json says " + abbreviate(recorded)
                    + "); put back the checkpoint's own vocab.json");
        }
        MemoryBudget.require(info.model(), MemoryBudget.inferenceBytes(info.model()), "the checkpoint's model (" + dir + ")");
        LanguageModel model;
        try {
            model = Models.empty(info.modelKind(), info.model(), gemm);
        } catch (RnnlabException e) {
            throw new RnnlabException("checkpoint '" + dir + "': " + e.getMessage());
        }
        SafeTensors.Contents weights = SafeTensors.read(from.resolve(MODEL));
        loadParameters(model.parameters(), weights, from.resolve(MODEL));
        String bad = firstNonFinite(model.parameters());
        if (bad != null) {
            throw new RnnlabException("checkpoint '" + dir + "' holds weights that are not finite (" + bad + "): the run diverged"
                    + " before it was saved; use an earlier checkpoint, or its best/ one");
        }
        Map<String, float[]> optState = null;
        long optSteps = 0;
        if (Files.isRegularFile(from.resolve(OPTIMIZER))) {
            SafeTensors.Contents opt = SafeTensors.read(from.resolve(OPTIMIZER));
            optState = new LinkedHashMap<>();
            for (var e : opt.tensors().entrySet()) optState.put(e.getKey(), e.getValue().data());
            try {
                optSteps = Long.parseLong(opt.metadata().getOrDefault("steps", "0"));
            } catch (NumberFormatException e) {
                throw new RnnlabException("'" + from.resolve(OPTIMIZER) + "' has a garbled step count");
            }
        }
        Trainer.Progress progress = Files.isRegularFile(from.resolve(STATE)) ? readProgress(from) : null;
        return new Loaded(from, info, vocab, model, optState, optSteps, progress);
    }

    /** The complete checkpoint of {@code dir} after any cut-off save, or null when there is none. */
    private static Path locate(Path dir) {
        Path fresh = sibling(dir, ".new"), prev = sibling(dir, ".prev");
        if (Files.isRegularFile(fresh.resolve(CONFIG))) return fresh;
        if (Files.isRegularFile(dir.resolve(CONFIG))) return dir;
        if (Files.isRegularFile(prev.resolve(CONFIG))) return prev;
        return Files.isDirectory(dir) ? dir : null;
    }

    private static Info readInfo(Path from) {
        Path file = from.resolve(CONFIG);
        Info info;
        try {
            JsonNode root = JSON.readTree(file.toFile());
            if (root == null || root.path("format").asInt() != FORMAT || !root.has("info")) {
                throw new RnnlabException("'" + file + "' is not an rnnlab checkpoint config (format " + FORMAT + ")");
            }
            info = JSON.treeToValue(root.get("info"), Info.class);
        } catch (IOException | IllegalArgumentException e) {
            throw new RnnlabException("cannot read '" + file + "': " + firstLine(e.getMessage()));
        }
        if (info == null || info.model() == null) throw new RnnlabException("'" + file + "' has no model config");
        if (info.provenance() == null || info.provenance().normalizer() == null || info.provenance().tokenizer() == null) {
            throw new RnnlabException("'" + file + "' does not say how its text was read (info.provenance: normalizer, tokenizer)");
        }
        return info;
    }

    private static Trainer.Progress readProgress(Path from) {
        Path file = from.resolve(STATE);
        try {
            ObjectNode state = (ObjectNode) JSON.readTree(file.toFile());
            if (!state.has("history")) {
                int n = state.path("epochsDone").asInt(0);
                List<EpochMetrics> history = Files.isRegularFile(from.resolve(HISTORY)) ? readHistory(from.resolve(HISTORY), n) : List.of();
                if (history.size() != n) {
                    throw new RnnlabException("checkpoint '" + from + "' is inconsistent: " + HISTORY + " has " + history.size()
                            + " complete epochs, state.json says " + n);
                }
                state.set("history", LINES.valueToTree(history));
            }
            state.remove("historyFile");
            return JSON.treeToValue(state, Trainer.Progress.class);
        } catch (IOException | ClassCastException | IllegalArgumentException e) {
            throw new RnnlabException("cannot read '" + file + "': " + firstLine(e.getMessage()));
        }
    }

    /** Copies every tensor of {@code weights} into {@code params}, insisting on the same names and shapes. */
    public static void loadParameters(Parameters params, SafeTensors.Contents weights, Path file) {
        for (Parameters.Tensor t : params.tensors()) {
            SafeTensors.Tensor w = weights.tensors().get(t.name());
            if (w == null) {
                throw new RnnlabException("'" + file + "' lacks tensor '" + t.name() + "' that the model needs (it has "
                        + weights.tensors().keySet() + ")");
            }
            if (!Arrays.equals(w.shape(), t.shape())) {
                throw new RnnlabException("'" + file + "': tensor '" + t.name() + "' has shape " + Arrays.toString(w.shape())
                        + " but the model needs " + t.shapeString());
            }
            params.set(t.name(), t.shape(), w.data());
        }
        for (String name : weights.tensors().keySet()) {
            if (!params.has(name)) throw new RnnlabException("'" + file + "' has tensor '" + name + "' that the model does not (different model?)");
        }
        // a tied model's file holds both names with the same values (as PyTorch saves one); different values cannot both hold
        for (var tie : params.aliases().entrySet()) {
            if (!Arrays.equals(weights.tensors().get(tie.getKey()).data(), weights.tensors().get(tie.getValue()).data())) {
                throw new RnnlabException("'" + file + "': the model ties '" + tie.getKey() + "' to '" + tie.getValue()
                        + "', but the file holds different values for them");
            }
        }
    }

    /** "NaN in rnn.weight_hh_l0" for the first tensor holding a NaN or an infinity; null when all are finite. */
    static String firstNonFinite(Parameters params) {
        float[] v = params.values();
        for (Parameters.Tensor t : params.tensors()) {
            for (int i = t.offset(); i < t.offset() + t.size(); i++) {
                if (!Float.isFinite(v[i])) return (Float.isNaN(v[i]) ? "NaN" : "infinity") + " in " + t.name();
            }
        }
        return null;
    }

    /**
     * Files a user or a listener keeps in the directory (the metrics log, the curve, diagnostics, best/)
     * survive the swap: each is hard-linked into the new directory (copied where links are not supported), so
     * a save costs the same however long the logs grow.
     */
    private static void carryOverOtherFiles(Path dir, Path tmp) throws IOException {
        if (!Files.isDirectory(dir)) return;
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.toList()) {
                String name = f.getFileName().toString();
                if ((OURS.contains(name) && !name.equals(HISTORY)) || Files.exists(tmp.resolve(name))) continue;
                try (Stream<Path> tree = Files.walk(f)) {
                    for (Path from : tree.toList()) {
                        Path to = tmp.resolve(dir.relativize(from).toString());
                        if (Files.isDirectory(from)) Files.createDirectories(to);
                        else linkOrCopy(from, to);
                    }
                }
            }
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    private static void linkOrCopy(Path from, Path to) throws IOException {
        try {
            Files.createLink(to, from);
        } catch (UnsupportedOperationException | IOException e) {
            Files.deleteIfExists(to);
            Files.copy(from, to, StandardCopyOption.COPY_ATTRIBUTES);
        }
    }

    /**
     * Writes the weights alone as one safetensors file under PyTorch's names, the same tensors as a
     * checkpoint's {@code model.safetensors}; the file appears whole or not at all (a synced temporary sibling,
     * renamed), and weights that are not finite are refused.
     */
    public static void exportWeights(Path file, LanguageModel model, String rnnlabVersion) {
        String bad = firstNonFinite(model.parameters());
        if (bad != null) throw new RnnlabException("refusing to export '" + file + "': the weights are not finite (" + bad + ")");
        Path tmp = sibling(file, ".tmp");
        try {
            Files.createDirectories(tmp.getParent());
            SafeTensors.write(tmp, tensorsOf(model.parameters()),
                    weightsMetadata(rnnlabVersion, model.config(), Models.kindOf(model).id()));
            fsync(tmp);
            move(tmp, file);
            fsyncParent(file);
        } catch (IOException e) {
            try {
                Files.deleteIfExists(tmp);
            } catch (IOException ignored) {
                // the write's own error is the one to report
            }
            throw new RnnlabException("cannot write '" + file + "': " + IoErrors.describeWrite(file, e));
        }
    }

    private static Map<String, SafeTensors.Tensor> tensorsOf(Parameters p) {
        Map<String, SafeTensors.Tensor> tensors = new LinkedHashMap<>();
        for (Parameters.Tensor t : p.tensors()) tensors.put(t.name(), new SafeTensors.Tensor(t.shape(), p.get(t.name())));
        return tensors;
    }

    private static Map<String, String> weightsMetadata(String version, ModelConfig model, String kind) {
        return Map.of("format", "pt", "generator", "rnnlab " + version, "cell", model.cell().label(), "kind", kind);
    }

    static Path sibling(Path dir, String suffix) {
        Path abs = dir.toAbsolutePath().normalize();
        return abs.resolveSibling(abs.getFileName() + suffix);
    }

    private static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to);
        }
    }

    private static void fsyncParent(Path dir) {
        Path parent = dir.toAbsolutePath().normalize().getParent();
        if (parent != null) fsync(parent);
    }

    private static void fsync(Path p) {
        try (FileChannel ch = FileChannel.open(p, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException ignored) {
            // directories cannot be opened for fsync on every platform; the renames still order the writes
        }
    }

    static void deleteTree(Path p) throws IOException {
        if (!Files.exists(p)) return;
        try (Stream<Path> walk = Files.walk(p)) {
            for (Path q : walk.sorted(Comparator.reverseOrder()).toList()) Files.delete(q);
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    private static String abbreviate(String sha) {
        return sha.length() > 12 ? sha.substring(0, 12) : sha;
    }

    private static String firstLine(String s) {
        if (s == null) return "unreadable";
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
