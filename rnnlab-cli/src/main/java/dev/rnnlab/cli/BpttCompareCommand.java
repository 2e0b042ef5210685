package dev.rnnlab.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.rnnlab.Rng;
import dev.rnnlab.RnnlabException;
import dev.rnnlab.bptt.BpttStrategy;
import dev.rnnlab.bptt.FullBptt;
import dev.rnnlab.data.Batch;
import dev.rnnlab.data.CorpusChoice;
import dev.rnnlab.data.Dataset;
import dev.rnnlab.data.Sampling;
import dev.rnnlab.io.IoErrors;
import dev.rnnlab.nn.LanguageModel;
import dev.rnnlab.nn.Models;
import dev.rnnlab.plot.TrainingCurveChart;
import dev.rnnlab.run.RunSpec;
import dev.rnnlab.run.TrainingRun;
import dev.rnnlab.tensor.Gemm;
import dev.rnnlab.text.Corpus;
import dev.rnnlab.text.Tokenizer;
import dev.rnnlab.train.EpochMetrics;
import dev.rnnlab.train.Trainer;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code rnnlab bptt compare}: the same model from the same seed trained with each BPTT strategy on the
 * same data, and each strategy's gradient compared with the full gradient at fixed parameters.
 */
@Command(name = "compare", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Trains the same model from the same seed once per BPTT strategy and reports perplexity per epoch and per"
                + " second, tokens/s, activation memory and gradient norms; then, at fixed parameter snapshots (the initial"
                + " weights and the first strategy's final weights), each strategy's gradient on one long batch against the"
                + " full gradient: cosine similarity, relative error, and for random strategies the estimator's variance.",
            "Writes DIR/compare.json, DIR/perplexity-epochs.png and DIR/perplexity-seconds.png."})
final class BpttCompareCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(arity = "0..1", paramLabel = "FILE", description = "A UTF-8 text file.")
    Path file;

    @Mixin
    CorpusOptions corpusOptions;

    @Option(names = "--tokens", defaultValue = "char", description = "Tokens (default: ${DEFAULT-VALUE}).")
    String tokens;

    @Option(names = "--strategies", split = ";", paramLabel = "S1;S2;...",
            defaultValue = "perbatch;truncated:5;randomized:0.9;segments:10:60;full:checkpoint=100;adaptive:0.01:5:35",
            description = "Strategies, separated by ';' (default: ${DEFAULT-VALUE}); spelled as rnnlab train --bptt.")
    List<String> strategies;

    @Option(names = "--model", defaultValue = "lstm", description = "Cell (default: ${DEFAULT-VALUE}).")
    String model;

    @Option(names = "--hidden", defaultValue = "64", description = "Hidden units (default: ${DEFAULT-VALUE}).")
    int hidden;

    @Option(names = "--batch", defaultValue = "32", description = "Batch size (default: ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--steps", defaultValue = "35", description = "Steps per batch (default: ${DEFAULT-VALUE}).")
    int steps;

    @Option(names = "--epochs", defaultValue = "10", description = "Epochs per strategy (default: ${DEFAULT-VALUE}).")
    int epochs;

    @Option(names = "--lr", defaultValue = "1", description = "Learning rate (default: ${DEFAULT-VALUE}).")
    double lr;

    @Option(names = "--optimizer", defaultValue = "sgd", description = "Optimizer (default: ${DEFAULT-VALUE}).")
    String optimizer;

    @Option(names = "--clip", defaultValue = "1", description = "Gradient-norm threshold (default: ${DEFAULT-VALUE}).")
    double clip;

    @Option(names = "--probe-steps", defaultValue = "200", description = "Length of the batch the gradients are compared on (default: ${DEFAULT-VALUE}).")
    int probeSteps;

    @Option(names = "--samples", defaultValue = "20", description = "Draws per random strategy in the gradient comparison (default: ${DEFAULT-VALUE}).")
    int samples;

    @Option(names = "--max-memory", defaultValue = "4g", description = "Bound for full BPTT's activations (default: ${DEFAULT-VALUE}).")
    String maxMemory;

    @Option(names = "--seed", defaultValue = "42", description = "Seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--out", paramLabel = "DIR", defaultValue = "runs/bptt-compare", description = "Output directory (default: ${DEFAULT-VALUE}).")
    Path out;

    @Mixin
    EngineOptions engine;

    @Mixin
    VerboseOption verbose;

    record Row(String strategy, List<EpochMetrics> history, long activationBytes, List<Map<String, Double>> gradients) {}

    @Override
    public Integer call() {
        PrintWriter o = spec.commandLine().getOut(), err = spec.commandLine().getErr();
        if (epochs < 1 || samples < 1 || probeSteps < 2) throw new RnnlabException("--epochs, --samples must be >= 1 and --probe-steps >= 2");
        // before the training, which can take minutes: an unusable --out fails now
        Path json = out.resolve("compare.json");
        try {
            Files.createDirectories(out);
        } catch (IOException e) {
            throw new RnnlabException("cannot create output directory '" + out + "': " + IoErrors.describeWrite(out, e));
        }
        Gemm gemm = engine.gemm();
        long maxBytes = FullBptt.parseBytes(maxMemory);
        List<BpttStrategy> parsed = new ArrayList<>();
        for (String s : strategies) parsed.add(BpttStrategy.parse(s.strip(), maxBytes));
        if (strategies.stream().map(String::strip).distinct().count() < strategies.size()) {
            throw new RnnlabException("--strategies names a strategy twice (" + String.join(";", strategies)
                    + "); give each once, e.g. 'perbatch;truncated:5'");
        }
        CorpusChoice.Loaded loaded = corpusOptions.load(file, Dataset.TIMEMACHINE, Tokenizer.parse(tokens));
        Corpus c = loaded.corpus();
        RunSpec base = baseSpec();
        o.printf(Locale.ROOT, "corpus %s: %,d tokens, vocabulary %d; model %s-%d, batch %d x %d steps, %d epochs, %s lr %s, seed %d%n",
                loaded.source(), c.length(), c.vocabulary().size(), model, hidden, batch, steps, epochs, optimizer, lr, seed);

        // the probe batch for the gradient comparison: the corpus's first batch*probeSteps tokens as `batch` streams
        Batch probe = dev.rnnlab.train.GradientDiagnostics.probeBatch(c.indices(), batch, probeSteps);
        List<float[]> snapshots = new ArrayList<>();
        snapshots.add(newModel(base, c.vocabulary().size(), gemm).parameters().values().clone());

        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < strategies.size(); i++) {
            RunSpec one = base.toBuilder().bptt(strategies.get(i).strip()).build();
            try (TrainingRun run = TrainingRun.builder(one).gemm(gemm).corpus(loaded).build()) {
                BpttStrategy strategy = run.strategy();
                run.trainer().addListener(new dev.rnnlab.train.TrainingListener() {
                    @Override
                    public void epochEnded(EpochMetrics e, Trainer tr) {
                        if (e.epoch() == epochs || e.epoch() % Math.max(1, epochs / 5) == 0) {
                            o.printf(Locale.ROOT, "  %-45s epoch %3d  ppl %8.3f  %,9.0f tokens/s%n", strategy.describe(), e.epoch(),
                                    e.trainPerplexity(), e.tokensPerSecond());
                            o.flush();
                        }
                    }
                });
                List<EpochMetrics> h = run.run();
                if (i == 0) snapshots.add(run.model().parameters().values().clone());
                rows.add(new Row(strategies.get(i).strip(), h, strategy.activationBytes(run.model(), run.sampler().steps(), batch), null));
            }
        }

        // gradients at the snapshots
        List<Row> withGradients = new ArrayList<>();
        LanguageModel m = newModel(base, c.vocabulary().size(), gemm);
        for (int i = 0; i < rows.size(); i++) {
            List<Map<String, Double>> perSnapshot = new ArrayList<>();
            for (float[] snap : snapshots) perSnapshot.add(compareGradient(m, snap, parsed.get(i), probe, new Rng(seed + 1)));
            Row r = rows.get(i);
            withGradients.add(new Row(r.strategy(), r.history(), r.activationBytes(), perSnapshot));
        }
        report(o, withGradients, snapshots.size());
        try {
            new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(json.toFile(), withGradients);
        } catch (IOException e) {
            throw new RnnlabException("cannot write '" + json + "': " + IoErrors.describeWrite(json, e));
        }
        List<TrainingCurveChart.Curve> byEpoch = new ArrayList<>(), bySeconds = new ArrayList<>();
        for (Row r : withGradients) {
            int n = r.history().size();
            double[] ep = new double[n], sec = new double[n], ppl = new double[n];
            double elapsed = 0;
            for (int k = 0; k < n; k++) {
                EpochMetrics e = r.history().get(k);
                elapsed += e.seconds();
                ep[k] = e.epoch();
                sec[k] = elapsed;
                ppl[k] = e.trainPerplexity();
            }
            byEpoch.add(new TrainingCurveChart.Curve(r.strategy(), ep, ppl));
            bySeconds.add(new TrainingCurveChart.Curve(r.strategy(), sec, ppl));
        }
        String title = "BPTT strategies: " + c.name() + ", " + model + "-" + hidden;
        TrainingCurveChart.write(out.resolve("perplexity-epochs.png"), title, "epoch", byEpoch);
        TrainingCurveChart.write(out.resolve("perplexity-seconds.png"), title, "seconds", bySeconds);
        o.println("wrote " + json + ", perplexity-epochs.png, perplexity-seconds.png");
        o.flush();
        return 0;
    }

    /** The run every strategy shares: all the corpus's tokens, sequential batches, the engine's model or the scratch RNN. */
    private RunSpec baseSpec() {
        RunSpec.Builder b = corpusOptions.applyTo(RunSpec.builder(), file).tokens(Tokenizer.parse(tokens)).maxTokens(0)
                .sampling(Sampling.SEQUENTIAL).batch(batch).steps(steps).hidden(hidden)
                .optimizer(optimizer).lr(lr).clip(clip).epochs(epochs).seed(seed).maxMemory(maxMemory);
        return SpecOptions.build(SpecOptions.model(b, model));
    }

    private static LanguageModel newModel(RunSpec s, int vocab, Gemm gemm) {
        return Models.initialized(s.model().kind(), s.model().config(vocab), s.model().init(), s.optimization().seed(), gemm);
    }

    /** The strategy's gradient (mean of draws if random) on the probe batch at the given weights, against the full one. */
    Map<String, Double> compareGradient(LanguageModel m, float[] weights, BpttStrategy s, Batch probe, Rng rng) {
        System.arraycopy(weights, 0, m.parameters().values(), 0, weights.length);
        m.setTraining(false, null);
        float[] full = gradient(m, BpttStrategy.perBatch(), probe, rng);
        boolean random = s.describe().startsWith("randomized") || s.describe().startsWith("random segments");
        int draws = random ? samples : 1;
        double[] mean = new double[full.length];
        List<float[]> all = new ArrayList<>();
        double perDrawError = 0;
        for (int i = 0; i < draws; i++) {
            float[] g = s.wantsWholeSequence() ? full : gradient(m, s, probe, rng);
            all.add(g);
            for (int j = 0; j < g.length; j++) mean[j] += g[j] / draws;
            perDrawError += relative(g, full) / draws;
        }
        double dot = 0, nm = 0, nf = 0, diff = 0, var = 0;
        for (int j = 0; j < full.length; j++) {
            dot += mean[j] * full[j];
            nm += mean[j] * mean[j];
            nf += (double) full[j] * full[j];
            diff += Math.pow(mean[j] - full[j], 2);
        }
        for (float[] g : all) for (int j = 0; j < g.length; j++) var += Math.pow(g[j] - mean[j], 2) / Math.max(1, draws - 1);
        Map<String, Double> r = new LinkedHashMap<>();
        r.put("cosine", dot / Math.sqrt(nm * nf));
        r.put("relative_error", Math.sqrt(diff / nf));
        r.put("relative_error_per_draw", perDrawError);
        r.put("relative_variance", random ? var / nf : 0.0);
        r.put("full_gradient_norm", Math.sqrt(nf));
        r.put("draws", (double) draws);
        return r;
    }

    private static float[] gradient(LanguageModel m, BpttStrategy s, Batch b, Rng rng) {
        m.parameters().zeroGrads();
        s.startSequence();
        s.computeGradients(m, b, m.zeroState(b.batchSize()), rng);
        return m.parameters().grads().clone();
    }

    private static double relative(float[] a, float[] ref) {
        double d = 0, n = 0;
        for (int j = 0; j < a.length; j++) {
            d += Math.pow(a[j] - ref[j], 2);
            n += (double) ref[j] * ref[j];
        }
        return Math.sqrt(d / n);
    }

    private static void report(PrintWriter o, List<Row> rows, int snapshots) {
        o.println();
        o.printf(Locale.ROOT, "%-28s %9s %9s %10s %10s %9s %11s", "strategy", "ppl last", "ppl best", "tokens/s", "seconds", "act. MiB", "grad norm");
        for (int s = 0; s < snapshots; s++) o.printf(Locale.ROOT, "  %8s %8s %8s", "cos@" + s, "relerr@" + s, "var@" + s);
        o.println();
        for (Row r : rows) {
            EpochMetrics last = r.history().getLast();
            double best = r.history().stream().mapToDouble(EpochMetrics::trainPerplexity).min().orElse(Double.NaN);
            double seconds = r.history().stream().mapToDouble(EpochMetrics::seconds).sum();
            long tok = r.history().stream().mapToLong(EpochMetrics::tokens).sum();
            double norm = r.history().stream().mapToDouble(EpochMetrics::gradNormMean).average().orElse(Double.NaN);
            o.printf(Locale.ROOT, "%-28s %9.3f %9.3f %,10.0f %10.1f %9.1f %11.3f", r.strategy(), last.trainPerplexity(), best, tok / seconds,
                    seconds, r.activationBytes() / 1048576.0, norm);
            for (Map<String, Double> g : r.gradients()) {
                o.printf(Locale.ROOT, "  %8.4f %8.4f %8.4f", g.get("cosine"), g.get("relative_error"), g.get("relative_variance"));
            }
            o.println();
        }
        o.println("snapshot 0 = initial weights, 1 = the first strategy's final weights; gradients on one batch against its full backward");
    }
}
