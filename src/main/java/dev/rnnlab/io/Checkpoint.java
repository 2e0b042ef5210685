package dev.rnnlab.io;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rnnlab.RnnlabException;
import dev.rnnlab.nn.LanguageModel;
import dev.rnnlab.nn.ModelConfig;
import dev.rnnlab.nn.Parameters;
import dev.rnnlab.nn.RecurrentLanguageModel;
import dev.rnnlab.nn.ScratchRnn;
import dev.rnnlab.tensor.Gemm;
import dev.rnnlab.text.Vocabulary;
import dev.rnnlab.train.Trainer;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Writes and reads checkpoint directories (layout in the package description): the model, its vocabulary
 * and provenance, and, for resuming, the optimizer state and the trainer's progress.
 */
public final class Checkpoint {
    static final String MODEL = "model.safetensors", OPTIMIZER = "optimizer.safetensors", CONFIG = "config.json",
            VOCAB = "vocab.json", STATE = "state.json";
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    private static final int FORMAT = 1;

    private Checkpoint() {}

    /** Where the model came from: the corpus file's name and checksum and how it was tokenized. */
    public record Provenance(String corpus, String sha256, String normalizer, String tokenizer, long tokens) {}

    /**
     * What {@code config.json} holds: {@code kind} is "rnn" for the engine's models (PyTorch-compatible
     * names) or "scratch" for D2L's scratch RNN; {@code training} is the command's own settings, opaque here.
     */
    public record Info(String rnnlabVersion, String kind, ModelConfig model, Provenance provenance, JsonNode training) {}

    /** A checkpoint read back: a ready model, and what a resumed run needs (null when not saved). */
    public record Loaded(Path directory, Info info, Vocabulary vocabulary, LanguageModel model,
                         Map<String, float[]> optimizerState, long optimizerSteps, Trainer.Progress progress) {}

    /** Builds an empty model of the kind and shape a checkpoint describes. */
    public static LanguageModel newModel(String kind, ModelConfig config, Gemm gemm) {
        return switch (kind) {
            case "scratch" -> new ScratchRnn(config.vocab(), config.hidden(), gemm);
            case "rnn" -> new RecurrentLanguageModel(config, gemm);
            default -> throw new RnnlabException("unknown model kind '" + kind + "' in checkpoint (expected rnn or scratch)");
        };
    }

    /**
     * Writes a complete checkpoint to {@code dir}, replacing any there atomically. {@code optimizerState}
     * and {@code progress} may be null (a model-only checkpoint).
     */
    public static void write(Path dir, Info info, LanguageModel model, Vocabulary vocabulary,
                             Map<String, float[]> optimizerState, long optimizerSteps, Trainer.Progress progress) {
        Path tmp = sibling(dir, ".tmp"), prev = sibling(dir, ".prev");
        try {
            deleteTree(tmp);
            Files.createDirectories(tmp);
            Map<String, SafeTensors.Tensor> tensors = new LinkedHashMap<>();
            Parameters p = model.parameters();
            for (Parameters.Tensor t : p.tensors()) tensors.put(t.name(), new SafeTensors.Tensor(t.shape(), p.get(t.name())));
            SafeTensors.write(tmp.resolve(MODEL), tensors, Map.of("format", "pt", "generator", "rnnlab " + info.rnnlabVersion(),
                    "cell", info.model().cell().label(), "kind", info.kind()));
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
            if (progress != null) JSON.writeValue(tmp.resolve(STATE).toFile(), progress);
            carryOverOtherFiles(dir, tmp);
            try (Stream<Path> files = Files.list(tmp)) {
                for (Path f : files.toList()) fsync(f);
            }
            fsync(tmp);
            // swap: DIR -> DIR.prev, DIR.tmp -> DIR, drop DIR.prev; a complete checkpoint exists at every instant
            deleteTree(prev);
            if (Files.exists(dir)) move(dir, prev);
            move(tmp, dir);
            deleteTree(prev);
            Path parent = dir.toAbsolutePath().getParent();
            if (parent != null) fsync(parent);
        } catch (IOException e) {
            throw new RnnlabException("cannot write checkpoint '" + dir + "': " + e.getMessage()
                    + " (the previous checkpoint, if any, is untouched)");
        }
    }

    /** Reads the checkpoint at {@code dir} (or at {@code dir.prev} if a save was cut off mid-swap). */
    public static Loaded read(Path dir, Gemm gemm) {
        Path from = dir;
        if (!Files.isRegularFile(dir.resolve(CONFIG)) && Files.isRegularFile(sibling(dir, ".prev").resolve(CONFIG))) {
            from = sibling(dir, ".prev");
        }
        if (!Files.isDirectory(from)) {
            throw new RnnlabException("no checkpoint at '" + dir + "': it is not a directory (train one with rnnlab train --checkpoint DIR)");
        }
        for (String f : new String[] {CONFIG, MODEL, VOCAB}) {
            if (!Files.isRegularFile(from.resolve(f))) {
                throw new RnnlabException("'" + dir + "' is not a complete checkpoint: " + f + " is missing");
            }
        }
        Info info;
        try {
            JsonNode root = JSON.readTree(from.resolve(CONFIG).toFile());
            if (root == null || root.path("format").asInt() != FORMAT || !root.has("info")) {
                throw new RnnlabException("'" + from.resolve(CONFIG) + "' is not an rnnlab checkpoint config (format " + FORMAT + ")");
            }
            info = JSON.treeToValue(root.get("info"), Info.class);
        } catch (IOException | IllegalArgumentException e) {
            throw new RnnlabException("cannot read '" + from.resolve(CONFIG) + "': " + firstLine(e.getMessage()));
        }
        if (info.model() == null) throw new RnnlabException("'" + from.resolve(CONFIG) + "' has no model config");
        Vocabulary vocab = Vocabulary.load(from.resolve(VOCAB));
        if (vocab.size() != info.model().vocab()) {
            throw new RnnlabException("checkpoint '" + dir + "' is inconsistent: vocab.json has " + vocab.size()
                    + " tokens but the model's vocabulary size is " + info.model().vocab());
        }
        LanguageModel model = newModel(info.kind(), info.model(), gemm);
        SafeTensors.Contents weights = SafeTensors.read(from.resolve(MODEL));
        loadParameters(model.parameters(), weights, from.resolve(MODEL));
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
        Trainer.Progress progress = null;
        if (Files.isRegularFile(from.resolve(STATE))) {
            try {
                progress = JSON.readValue(from.resolve(STATE).toFile(), Trainer.Progress.class);
            } catch (IOException e) {
                throw new RnnlabException("cannot read '" + from.resolve(STATE) + "': " + firstLine(e.getMessage()));
            }
        }
        return new Loaded(from, info, vocab, model, optState, optSteps, progress);
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
    }

    /** Files a user or a listener keeps in the directory (the metrics log, the curve, diagnostics) survive the swap. */
    private static void carryOverOtherFiles(Path dir, Path tmp) throws IOException {
        if (!Files.isDirectory(dir)) return;
        java.util.Set<String> ours = java.util.Set.of(MODEL, OPTIMIZER, CONFIG, VOCAB, STATE);
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.toList()) {
                String name = f.getFileName().toString();
                if (ours.contains(name) || Files.exists(tmp.resolve(name))) continue;
                try (Stream<Path> tree = Files.walk(f)) {
                    for (Path from : tree.toList()) {
                        Path to = tmp.resolve(dir.relativize(from).toString());
                        if (Files.isDirectory(from)) Files.createDirectories(to);
                        else Files.copy(from, to, StandardCopyOption.COPY_ATTRIBUTES);
                    }
                }
            }
        }
    }

    private static Path sibling(Path dir, String suffix) {
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
        }
    }

    private static String firstLine(String s) {
        if (s == null) return "unreadable";
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
