package dev.rnnlab.run;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rnnlab.RnnlabException;
import dev.rnnlab.bptt.FullBptt;
import dev.rnnlab.data.Sampling;
import dev.rnnlab.io.Checkpoint;
import dev.rnnlab.nn.CellType;
import dev.rnnlab.nn.Initialization;
import dev.rnnlab.nn.ModelKind;
import dev.rnnlab.nn.Regularization;
import dev.rnnlab.text.Tokenizer;
import java.io.Serializable;

/**
 * Everything that makes a training run what it is: the data, the model, the optimisation, the BPTT strategy
 * and when to save. Each part checks its own fields ({@link InvalidSpecException} names the bad one), the
 * whole is {@link Serializable} (a Spark executor rebuilds the run from it) and round-trips through JSON
 * ({@link #toJson()}, {@link #fromJson}); checkpoints store it in {@code config.json}'s {@code training}.
 *
 * <p>How long a run takes, where it writes and on how many threads are not part of it: those are
 * {@link TrainingRun.Builder}'s.
 */
public record RunSpec(DataSpec data, ModelSpec model, OptimizationSpec optimization, BpttSpec bptt,
                      CheckpointSpec checkpoint) implements Serializable {
    /** For {@link DataSpec#maxTokens} and {@link OptimizationSpec#epochs}: D2L's value on its own data, else the general one. */
    public static final int CORPUS_DEFAULT = -1;

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    /** Checks that every part is there. */
    public RunSpec {
        InvalidSpecException.require(data != null, "data", "is missing");
        InvalidSpecException.require(model != null, "model", "is missing");
        InvalidSpecException.require(optimization != null, "optimization", "is missing");
        InvalidSpecException.require(bptt != null, "bptt", "is missing");
        InvalidSpecException.require(checkpoint != null, "checkpoint", "is missing");
    }

    /** D2L 8.6's run: the engine's RNN of 512 on The Time Machine's first 10,000 characters, SGD, 500 epochs. */
    public static RunSpec d2l() {
        return new RunSpec(DataSpec.d2l(), ModelSpec.d2l(), OptimizationSpec.d2l(), BpttSpec.perBatch(), CheckpointSpec.defaults());
    }

    /** A builder starting from {@link #d2l()}'s values. */
    public static Builder builder() {
        return new Builder(d2l());
    }

    /** A builder starting from this run's values. */
    public Builder toBuilder() {
        return new Builder(this);
    }

    /**
     * The run with {@link #CORPUS_DEFAULT} resolved: D2L's 10,000 tokens and 500 epochs when it trains on
     * The Time Machine's characters ({@code d2lTimeMachine}), else all tokens and 20 epochs.
     */
    public RunSpec resolvedFor(boolean d2lTimeMachine) {
        int epochs = optimization.epochs() != CORPUS_DEFAULT ? optimization.epochs() : d2lTimeMachine ? 500 : 20;
        int maxTokens = data.maxTokens() != CORPUS_DEFAULT ? data.maxTokens() : d2lTimeMachine ? 10_000 : 0;
        return toBuilder().epochs(epochs).maxTokens(maxTokens).build();
    }

    /** The run as JSON: one object per part, enums by name. */
    public ObjectNode toJson() {
        return JSON.valueToTree(this);
    }

    /** The run as indented JSON text. */
    public String toJsonString() {
        try {
            return JSON.writeValueAsString(this);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("a run description always serialises", e);
        }
    }

    /**
     * Reads what {@link #toJson()} wrote, or the flat settings object of checkpoints written before run
     * descriptions existed (0.1.0's {@code training}: {@code corpus, tokens, ..., bptt, maxTokens}).
     */
    public static RunSpec fromJson(JsonNode json) {
        if (json == null || !json.isObject()) throw new RnnlabException("a run description must be a JSON object");
        if (!json.has("data") || !json.get("data").isObject()) return fromFlat(json);
        try {
            return JSON.treeToValue(json, RunSpec.class);
        } catch (com.fasterxml.jackson.databind.exc.ValueInstantiationException e) {
            if (e.getCause() instanceof RnnlabException r) throw r;
            throw new RnnlabException("cannot read the run description: " + e.getOriginalMessage());
        } catch (com.fasterxml.jackson.core.JsonProcessingException | IllegalArgumentException e) {
            throw new RnnlabException("cannot read the run description: " + e.getMessage().lines().findFirst().orElse(""));
        }
    }

    /** Parses JSON text, as {@link #fromJson(JsonNode)}. */
    public static RunSpec fromJson(String text) {
        try {
            return fromJson(JSON.readTree(text));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new RnnlabException("cannot read the run description: " + e.getOriginalMessage());
        }
    }

    /** How the checkpoint's model was trained, from its {@code config.json}. */
    public static RunSpec of(Checkpoint.Info info) {
        if (info.training() == null || info.training().isNull()) {
            throw new RnnlabException("the checkpoint does not say how it was trained (config.json: training)");
        }
        return fromJson(info.training());
    }

    private static RunSpec fromFlat(JsonNode j) {
        ModelSpec.Named model;
        try {
            model = ModelSpec.parseName(text(j, "model", "rnn"));
        } catch (RnnlabException e) {
            throw new InvalidSpecException("model", ": " + e.getMessage());
        }
        String init = text(j, "init", "auto");
        return new RunSpec(
                new DataSpec(text(j, "corpus", ""), Tokenizer.parse(text(j, "tokens", "char")), text(j, "normalize", ""),
                        j.path("minFreq").asInt(0), j.path("maxTokens").asInt(CORPUS_DEFAULT), text(j, "split", ""),
                        Sampling.parse(text(j, "sampling", "sequential")), j.path("batch").asInt(32), j.path("steps").asInt(35)),
                new ModelSpec(model.kind(), model.cell(), j.path("hidden").asInt(512), j.path("layers").asInt(1), j.path("embed").asInt(0),
                        j.path("bidirectional").asBoolean(false), (float) j.path("dropout").asDouble(0),
                        Initialization.parse(init)),
                new OptimizationSpec(text(j, "optimizer", "sgd"), j.path("weightDecay").asDouble(0), j.path("lr").asDouble(1),
                        text(j, "schedule", "constant"), j.path("warmup").asDouble(0), j.path("clip").asDouble(1),
                        j.path("epochs").asInt(CORPUS_DEFAULT), j.path("patience").asInt(0), j.path("seed").asLong(42),
                        text(j, "averaging", "off")),
                new BpttSpec(text(j, "bptt", "perbatch"), BpttSpec.DEFAULT_MAX_MEMORY),
                CheckpointSpec.defaults());
    }

    private static String text(JsonNode j, String field, String fallback) {
        JsonNode v = j.get(field);
        return v == null || v.isNull() ? fallback : v.asText();
    }

    /** One setter per field over the five parts; {@link #build()} checks them all. */
    public static final class Builder {
        private String corpus, normalize, split, optimizer, schedule, strategy;
        private Tokenizer tokens;
        private int minFreq, maxTokens, batch, steps, hidden, layers, embed, epochs, patience, saveEvery;
        private Sampling sampling;
        private ModelKind kind;
        private CellType cell;
        private boolean bidirectional;
        private float dropout;
        private Regularization regularization = Regularization.NONE;
        private Initialization init;
        private double weightDecay, lr, warmup, clip, saveMinutes;
        private String averaging = "off";
        private long seed, maxMemoryBytes;

        private Builder(RunSpec s) {
            DataSpec d = s.data;
            corpus = d.corpus(); tokens = d.tokens(); normalize = d.normalize(); minFreq = d.minFreq(); maxTokens = d.maxTokens();
            split = d.split(); sampling = d.sampling(); batch = d.batch(); steps = d.steps();
            ModelSpec m = s.model;
            kind = m.kind(); cell = m.cell(); hidden = m.hidden(); layers = m.layers(); embed = m.embed();
            bidirectional = m.bidirectional(); dropout = m.dropout(); init = m.init(); regularization = m.regularization();
            OptimizationSpec o = s.optimization;
            optimizer = o.optimizer(); weightDecay = o.weightDecay(); lr = o.lr(); schedule = o.schedule(); warmup = o.warmup();
            clip = o.clip(); epochs = o.epochs(); patience = o.patience(); seed = o.seed();
            averaging = o.averaging();
            strategy = s.bptt.strategy(); maxMemoryBytes = s.bptt.maxMemoryBytes();
            saveEvery = s.checkpoint.saveEvery(); saveMinutes = s.checkpoint.saveMinutes();
        }

        /** A named corpus or a file; "" for the default. */
        public Builder corpus(String nameOrFile) { corpus = nameOrFile; return this; }
        /** A text file to train on. */
        public Builder corpus(java.nio.file.Path file) { corpus = file.toString(); return this; }
        /** Characters or words. */
        public Builder tokens(Tokenizer t) { tokens = t; return this; }
        /** "d2l" or "raw"; "" for the corpus's own. */
        public Builder normalize(String n) { normalize = n; return this; }
        /** Tokens rarer than this become {@code <unk>}. */
        public Builder minFreq(int n) { minFreq = n; return this; }
        /** The first N tokens only; 0 for all. */
        public Builder maxTokens(int n) { maxTokens = n; return this; }
        /** Train,validation[,test] fractions, e.g. "0.9,0.1"; "" for none. */
        public Builder split(String fractions) { split = fractions; return this; }
        /** Sequential partitioning or random sampling. */
        public Builder sampling(Sampling s) { sampling = s; return this; }
        /** Streams per mini-batch. */
        public Builder batch(int n) { batch = n; return this; }
        /** Time steps per mini-batch. */
        public Builder steps(int n) { steps = n; return this; }
        /** The kind and cell of a model name: "scratch", "rnn", "rnn_relu", "gru" or "lstm". */
        public Builder model(String name) {
            ModelSpec.Named n = ModelSpec.parseName(name);
            kind = n.kind();
            cell = n.cell();
            return this;
        }
        /** The engine's layers or the scratch RNN. */
        public Builder kind(ModelKind k) { kind = k; return this; }
        /** The recurrent cell (the engine's model). */
        public Builder cell(CellType c) { cell = c; return this; }
        /** Hidden units. */
        public Builder hidden(int n) { hidden = n; return this; }
        /** Stacked layers. */
        public Builder layers(int n) { layers = n; return this; }
        /** Embedding size; 0 for one-hot. */
        public Builder embed(int n) { embed = n; return this; }
        /** Both directions (evaluation only). */
        public Builder bidirectional(boolean b) { bidirectional = b; return this; }
        /** Dropout between layers. */
        public Builder dropout(float p) { dropout = p; return this; }

        /** The AWD-LSTM regularisers: embedding and locked dropouts, AR and TAR (default: none). */
        public Builder regularization(Regularization r) { regularization = r; return this; }
        /** The regularisers set so far. */
        public Regularization regularization() { return regularization; }
        /** Weight initialisation. */
        public Builder init(Initialization i) { init = i; return this; }
        /** "sgd", "momentum[:MU]", "adam" or "adamw". */
        public Builder optimizer(String o) { optimizer = o; return this; }
        /** Weight decay. */
        public Builder weightDecay(double wd) { weightDecay = wd; return this; }
        /** Base learning rate. */
        public Builder lr(double rate) { lr = rate; return this; }
        /** "constant", "step:EVERY:GAMMA" or "cosine[:MIN]". */
        public Builder schedule(String s) { schedule = s; return this; }
        /** Warm-up epochs. */
        public Builder warmup(double e) { warmup = e; return this; }
        /** When to start averaging the weights: "off", "nt[:N]", "from:EPOCH" or "last:FRACTION" (default off). */
        public Builder averaging(String when) { averaging = when; return this; }
        /** Gradient-norm threshold; 0 disables. */
        public Builder clip(double theta) { clip = theta; return this; }
        /** Epochs. */
        public Builder epochs(int n) { epochs = n; return this; }
        /** Early-stopping patience in epochs; 0 never. */
        public Builder patience(int n) { patience = n; return this; }
        /** The seed of every random choice. */
        public Builder seed(long s) { seed = s; return this; }
        /** The BPTT strategy, e.g. "truncated:10". */
        public Builder bptt(String s) { strategy = s; return this; }
        /** Bound on full BPTT's cached activations, e.g. "512m". */
        public Builder maxMemory(String size) { maxMemoryBytes = FullBptt.parseBytes(size); return this; }
        /** Save every this many epochs; 0 only at the end. */
        public Builder saveEvery(int epochsBetween) { saveEvery = epochsBetween; return this; }
        /** Save when this many minutes have passed since the last save; 0 not by time. */
        public Builder saveMinutes(double minutes) { saveMinutes = minutes; return this; }

        /** The run description; throws {@link InvalidSpecException} naming the first bad field. */
        public RunSpec build() {
            return new RunSpec(new DataSpec(corpus, tokens, normalize, minFreq, maxTokens, split, sampling, batch, steps),
                    new ModelSpec(kind, cell, hidden, layers, embed, bidirectional, dropout, init, regularization),
                    new OptimizationSpec(optimizer, weightDecay, lr, schedule, warmup, clip, epochs, patience, seed, averaging),
                    new BpttSpec(strategy, maxMemoryBytes), new CheckpointSpec(saveEvery, saveMinutes));
        }
    }
}
