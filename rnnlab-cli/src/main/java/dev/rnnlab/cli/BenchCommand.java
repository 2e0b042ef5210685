package dev.rnnlab.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rnnlab.Rng;
import dev.rnnlab.RnnlabException;
import dev.rnnlab.bptt.BpttStrategy;
import dev.rnnlab.data.Batch;
import dev.rnnlab.data.Epoch;
import dev.rnnlab.data.SequentialPartitioner;
import dev.rnnlab.data.SyntheticCorpus;
import dev.rnnlab.generate.Generator;
import dev.rnnlab.generate.TokenSampler;
import dev.rnnlab.nn.CellType;
import dev.rnnlab.nn.LanguageModel;
import dev.rnnlab.nn.ShardedModel;
import dev.rnnlab.nn.ModelConfig;
import dev.rnnlab.nn.RecurrentLanguageModel;
import dev.rnnlab.nn.RecurrentState;
import dev.rnnlab.plot.LineChart;
import dev.rnnlab.tensor.Gemm;
import dev.rnnlab.tensor.WorkerTeam;
import dev.rnnlab.text.Corpus;
import dev.rnnlab.text.Normalizer;
import dev.rnnlab.text.Tokenizer;
import dev.rnnlab.train.GlobalNormClipper;
import dev.rnnlab.train.Sgd;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code rnnlab bench}: training (or generation) throughput measured the way ../shared/bench/peer_torch.py
 * measures PyTorch's, with the same options and JSON keys, so the two can be run side by side.
 */
@Command(name = "bench", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Times D2L training iterations (one-hot or embedded input, sequential batches with the state carried and"
                + " detached, mean cross-entropy, backward, global-norm clipping, SGD) after a warm-up, and reports tokens/s,"
                + " GEMM FLOPs per token, achieved GFLOP/s and the fraction of a GEMM peak measured in the same run.",
            "With --generate N: batch-1 greedy generation of N characters, chars/s and the time to the first token."})
final class BenchCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--text", paramLabel = "FILE", description = "Plain text, D2L normalisation (default: the built-in synthetic corpus).")
    Path text;

    @Option(names = "--tokens", paramLabel = "char|word", defaultValue = "char",
            description = "Tokens of --text: char, or word for a word-level model (The Time Machine: 4,580 words) (default: ${DEFAULT-VALUE}).")
    String tokens;

    @Option(names = "--cell", defaultValue = "lstm", description = "rnn, gru or lstm (default: ${DEFAULT-VALUE}).")
    String cell;

    @Option(names = "--hidden", defaultValue = "512", description = "Hidden units (default: ${DEFAULT-VALUE}).")
    int hidden;

    @Option(names = "--layers", defaultValue = "1", description = "Layers (default: ${DEFAULT-VALUE}).")
    int layers;

    @Option(names = "--embed", defaultValue = "0", description = "Embedding size, 0 = one-hot (default: ${DEFAULT-VALUE}).")
    int embed;

    @Option(names = "--batch", defaultValue = "32", description = "Batch (default: ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--steps", defaultValue = "35", description = "Steps (default: ${DEFAULT-VALUE}).")
    int steps;

    @Option(names = "--lr", defaultValue = "1", description = "SGD learning rate (default: ${DEFAULT-VALUE}).")
    double lr;

    @Option(names = "--clip", defaultValue = "1", description = "Global gradient-norm threshold (default: ${DEFAULT-VALUE}).")
    double clip;

    @Mixin
    EngineOptions engine;  // --backend and --threads, as train has them

    @Option(names = "--shards", paramLabel = "N|auto", defaultValue = "auto",
            description = "Split each batch's streams across this many threads, each with its own replica on one thread"
                    + " (default: ${DEFAULT-VALUE}, as train chooses: shards only for models too narrow to split their units).")
    String shardsOption;

    private int shards;  // the count measured

    @Option(names = "--warmup", defaultValue = "5", description = "Untimed iterations first (default: ${DEFAULT-VALUE}).")
    int warmup;

    @Option(names = "--iters", defaultValue = "0", description = "Timed iterations; 0 runs for --seconds (default: ${DEFAULT-VALUE}).")
    int iters;

    @Option(names = "--seconds", defaultValue = "10", description = "Timed seconds when --iters is 0 (default: ${DEFAULT-VALUE}).")
    double seconds;

    @Option(names = "--generate", defaultValue = "0", description = "Measure batch-1 generation of N characters instead.")
    int generate;

    @Option(names = "--sweep", paramLabel = "hidden=A,B,..|steps=A,B,..",
            description = "Measure training at each of these hidden sizes or sequence lengths (and each --sweep-shards), print a table.")
    String sweep;

    @Option(names = "--sweep-shards", split = ",", defaultValue = "1,2",
            description = "Shard counts to sweep; 1 is one model on all the --threads (default: ${DEFAULT-VALUE}).")
    List<Integer> sweepShards;

    @Option(names = "--plot", paramLabel = "FILE", description = "With --sweep: a chart of tokens/s against the swept value (.png or .svg).")
    Path plot;

    @Option(names = "--timeline", description = "With threads: record how long each thread works and waits at the per-step"
            + " barriers during the timed iterations, and the cost of an empty barrier.")
    boolean timeline;

    @Option(names = "--json", description = "Print one JSON line only.")
    boolean json;

    @Mixin
    VerboseOption verbose;

    private final java.util.Map<Integer, Double> peaks = new java.util.HashMap<>();  // by shard count, measured once

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        Gemm gemm = engine.gemm();
        Corpus corpus = text != null ? Corpus.load(text, Normalizer.D2L, Tokenizer.parse(tokens))
                : Corpus.fromText("synthetic", SyntheticCorpus.builtIn().text(), Normalizer.RAW, Tokenizer.CHAR, 0, List.of());
        if (sweep != null) return sweep(gemm, corpus, out);
        ObjectNode r = measure(gemm, corpus);
        if (!json) {
            r.fields().forEachRemaining(e -> out.printf(Locale.ROOT, "%-22s %s%n", e.getKey(), e.getValue()));
        }
        out.println(r.toString());
        out.flush();
        return 0;
    }

    /** One measurement at the current options. */
    private ObjectNode measure(Gemm gemm, Corpus corpus) {
        int vocab = corpus.vocabulary().size();
        CellType type;
        try {
            type = CellType.parse(cell);
        } catch (IllegalArgumentException e) {
            throw new RnnlabException("--cell: " + e.getMessage());
        }
        ModelConfig config = new ModelConfig(type, vocab, embed, hidden, layers, false, 0f);
        ObjectNode r = new ObjectMapper().createObjectNode();
        if (generate > 0) {
            shards = 1;  // one stream: nothing to shard
            RecurrentLanguageModel model = new RecurrentLanguageModel(config, gemm);
            model.initPyTorchDefault(new Rng(0));
            Generator g = new Generator(model);
            g.generate(new int[] {1, 2, 3}, 200, TokenSampler.greedy(), new Rng(0), null);  // JIT warm-up
            // the time to the first token of a new generation, median of 7: one sample is mostly noise here
            double[] firsts = new double[7];
            for (int i = 0; i < firsts.length; i++) {
                long s0 = System.nanoTime();
                g.generate(new int[] {1 + i % (vocab - 1)}, 1, TokenSampler.greedy(), new Rng(i), null);
                firsts[i] = (System.nanoTime() - s0) / 1e6;
            }
            java.util.Arrays.sort(firsts);
            long[] first = new long[1];
            long t0 = System.nanoTime();
            g.generate(new int[] {1}, generate, TokenSampler.greedy(), new Rng(0), tok -> {
                if (first[0] == 0) first[0] = System.nanoTime();
            });
            double elapsed = (System.nanoTime() - t0) / 1e9;
            r.put("chars_per_s", generate / elapsed).put("chars", generate).put("seconds", elapsed)
                    .put("first_token_ms", firsts[firsts.length / 2]).put("first_token_ms_of_the_long_run", (first[0] - t0) / 1e6);
        } else {
            if (sweep == null) {
                shards = shardsOption.equalsIgnoreCase("auto") ? dev.rnnlab.nn.Models.automaticShards(config, batch, gemm)
                        : EngineOptions.count(shardsOption, "--shards");
            }
            if (shards > 1) {
                try (ShardedModel sharded = new ShardedModel(config, gemm.serial(), shards)) {
                    sharded.primary().initPyTorchDefault(new Rng(0));
                    train(sharded, corpus.indices(), r, null);
                }
            } else {
                RecurrentLanguageModel model = new RecurrentLanguageModel(config, gemm);
                model.initPyTorchDefault(new Rng(0));
                train(model, corpus.indices(), r, gemm.team());
            }
            double flops = gemmFlopsPerToken(type, vocab, hidden, layers, embed);
            double peak = peaks.computeIfAbsent(shards, k -> gemmPeak(k > 1 ? gemm.serial() : gemm, k));
            double achieved = flops * r.get("tokens_per_s").asDouble() / 1e9;
            r.put("gemm_mflop_per_token", flops / 1e6).put("achieved_gflops", achieved).put("gemm_peak_gflops", peak)
                    .put("fraction_of_peak", achieved / peak);
        }
        r.put("peer", "rnnlab").put("backend", (shards > 1 ? gemm.serial() : gemm).description()).put("cell", cell).put("hidden", hidden).put("layers", layers)
                .put("embed", embed).put("batch", batch).put("steps", steps).put("vocab", vocab).put("threads", shards > 1 ? 1 : gemm.team() == null ? 1 : gemm.team().size()).put("shards", shards)
                .put("peak_rss_mb", peakRssMb());
        return r;
    }

    /**
     * Training throughput over a range of hidden sizes or sequence lengths, at each shard count: a JSON line
     * per point, a table, and with --plot a chart of tokens/s against the swept value.
     */
    private int sweep(Gemm gemm, Corpus corpus, PrintWriter out) {
        String[] kv = sweep.split("=", 2);
        if (kv.length != 2 || !(kv[0].equals("hidden") || kv[0].equals("steps"))) {
            throw new RnnlabException("--sweep '" + sweep + "': use hidden=128,256,... or steps=35,100,...");
        }
        if (generate > 0) throw new RnnlabException("--sweep measures training; leave out --generate");
        int[] values;
        try {
            values = java.util.Arrays.stream(kv[1].split(",")).mapToInt(v -> Integer.parseInt(v.strip())).toArray();
        } catch (NumberFormatException e) {
            throw new RnnlabException("--sweep '" + sweep + "': the values must be whole numbers");
        }
        List<LineChart.Curve> curves = new ArrayList<>();
        List<String> table = new ArrayList<>();
        for (int s : sweepShards) {
            double[] x = new double[values.length], y = new double[values.length];
            for (int i = 0; i < values.length; i++) {
                if (kv[0].equals("hidden")) hidden = values[i];
                else steps = values[i];
                shards = s;
                ObjectNode r = measure(gemm, corpus);
                out.println(r.toString());
                out.flush();
                x[i] = values[i];
                y[i] = r.get("tokens_per_s").asDouble();
                table.add(String.format(Locale.ROOT, "| %d | %s | %,.0f | %.1f | %.1f | %.0f%% |", values[i], setting(s, gemm), y[i],
                        1e6 / y[i], r.get("achieved_gflops").asDouble(), 100 * r.get("fraction_of_peak").asDouble()));
            }
            curves.add(new LineChart.Curve(setting(s, gemm), x, y));
        }
        out.printf("| %s | cores | tokens/s | us/token | GEMM GFLOP/s | of the peak |%n| ---: | ---: | ---: | ---: | ---: | ---: |%n", kv[0]);
        table.forEach(out::println);
        if (plot != null) {
            LineChart.write(plot, String.format(Locale.ROOT, "%s training throughput against %s", cell.toUpperCase(Locale.ROOT),
                    kv[0].equals("hidden") ? "hidden size (" + steps + " steps)" : "sequence length (hidden " + hidden + ")"),
                    kv[0].equals("hidden") ? "hidden units" : "steps per batch", "tokens/s (log)", true, true, curves);
            out.println("plot: " + plot);
        }
        out.flush();
        return 0;
    }

    /** How a sweep point used the cores: shards, or one model on the GEMM's threads (units split when wide enough). */
    private static String setting(int shards, Gemm gemm) {
        if (shards > 1) return shards + " shards";
        return gemm.team() == null ? "1 thread" : gemm.team().size() + " threads";
    }

    private void train(LanguageModel model, int[] tokens, ObjectNode r, WorkerTeam team) {
        SequentialPartitioner sampler = new SequentialPartitioner(tokens, batch, steps);
        GlobalNormClipper clipper = new GlobalNormClipper(clip);
        Sgd sgd = new Sgd(model.parameters().size(), 0, 0);
        BpttStrategy strategy = BpttStrategy.perBatch();
        RecurrentState state = model.zeroState(batch);
        Rng rng = new Rng(0);
        Epoch[] epoch = {sampler.epoch(rng)};
        model.setTraining(true, rng);  // as train runs it: with --precision bf16 the products run in bf16
        List<Double> losses = new ArrayList<>();
        Runnable step = () -> {
            if (!epoch[0].hasNext()) {
                epoch[0] = sampler.epoch(rng);
                state.fill(0f);
            }
            Batch b = epoch[0].next();
            model.parameters().zeroGrads();
            double loss = strategy.computeGradients(model, b, state, rng);
            clipper.clip(model.parameters().grads());
            sgd.step(model.parameters(), lr);
            losses.add(loss);
        };
        for (int i = 0; i < warmup; i++) step.run();
        losses.clear();
        boolean timing = timeline && team != null;
        if (timing) team.startTimeline(100_000);
        long t0 = System.nanoTime();
        while (iters > 0 ? losses.size() < iters : (System.nanoTime() - t0) / 1e9 < seconds) step.run();
        double elapsed = (System.nanoTime() - t0) / 1e9;
        if (timing) reportTimeline(team, team.stopTimeline(), elapsed, losses.size(), r);
        double mean = losses.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
        List<Double> last = losses.subList(losses.size() - Math.max(1, losses.size() / 10), losses.size());
        r.put("tokens_per_s", (double) losses.size() * batch * steps / elapsed).put("iters", losses.size()).put("seconds", elapsed)
                .put("perplexity", Math.exp(mean))
                .put("perplexity_last", Math.exp(last.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN)));
    }

    /**
     * Per thread: the share of the timed wall time it spent inside team tasks (the split time loops and
     * products), the share of that spent waiting at barriers, and the median and 99th percentile of one wait;
     * then the cost of a barrier with no work between, measured on the same team.
     */
    private static void reportTimeline(WorkerTeam team, WorkerTeam.Timeline t, double elapsed, int batches, ObjectNode r) {
        for (int p = 0; p < t.parts(); p++) {
            long[] w = t.firstWaits(p);
            java.util.Arrays.sort(w);
            r.put("thread" + p + "_in_team", t.inTasksNanos(p) / 1e9 / elapsed)
                    .put("thread" + p + "_waiting_of_team_time", (double) t.waitingNanos(p) / t.inTasksNanos(p))
                    .put("thread" + p + "_waits_per_batch", (double) t.waits(p) / batches)
                    .put("thread" + p + "_wait_us_median", percentile(w, 0.5) / 1e3)
                    .put("thread" + p + "_wait_us_p90", percentile(w, 0.9) / 1e3)
                    .put("thread" + p + "_wait_us_p99", percentile(w, 0.99) / 1e3)
                    .put("thread" + p + "_wait_us_max", percentile(w, 1) / 1e3)
                    .put("thread" + p + "_waiting_in_waits_over_100us", tailShare(w, 100_000));
        }
        int rounds = 100_000;
        team.tryRun(part -> { for (int i = 0; i < 1_000; i++) team.await(part); });  // warm-up
        long t0 = System.nanoTime();
        team.tryRun(part -> { for (int i = 0; i < rounds; i++) team.await(part); });
        r.put("empty_barrier_ns", (System.nanoTime() - t0) / (double) rounds);
    }

    private static double percentile(long[] sorted, double q) {
        return sorted.length == 0 ? Double.NaN : sorted[Math.min(sorted.length - 1, (int) (sorted.length * q))];
    }

    /** The share of all the waiting that is in waits longer than {@code nanos}. */
    private static double tailShare(long[] waits, long nanos) {
        long all = 0, tail = 0;
        for (long w : waits) {
            all += w;
            if (w > nanos) tail += w;
        }
        return all == 0 ? 0 : (double) tail / all;
    }

    /** The peer's count: 3x the forward GEMMs, the one-hot input GEMM included as PyTorch runs it. */
    static double gemmFlopsPerToken(CellType cell, int vocab, int hidden, int layers, int embed) {
        int gates = cell.name().startsWith("RNN") ? 1 : cell == CellType.GRU ? 3 : 4;
        double forward = 2.0 * hidden * vocab;
        for (int l = 0; l < layers; l++) forward += 2.0 * gates * hidden * ((l == 0 ? (embed > 0 ? embed : vocab) : hidden) + hidden);
        return 3 * forward;
    }

    /**
     * GFLOP/s of 1024^3 GEMMs on this backend, run by {@code parallel} threads at once as the shards run
     * theirs (so with shards the peak is that of all the cores the run used); the best of 5 after 2 warm-ups,
     * since a peak is what the cores can do, and a JIT or GC thread taking a core makes some repetitions slow.
     */
    static double gemmPeak(Gemm gemm, int parallel) {
        int n = 1024;
        float[][] a = new float[parallel][n * n], b = new float[parallel][n * n], c = new float[parallel][n * n];
        Rng rng = new Rng(1);
        for (int p = 0; p < parallel; p++) {
            for (int i = 0; i < n * n; i++) {
                a[p][i] = rng.nextFloat();
                b[p][i] = rng.nextFloat();
            }
        }
        double[] t = new double[7];
        try (var pool = java.util.concurrent.Executors.newFixedThreadPool(parallel)) {
            for (int i = 0; i < t.length; i++) {
                List<java.util.concurrent.Future<?>> running = new ArrayList<>();
                long t0 = System.nanoTime();
                for (int p = 0; p < parallel; p++) {
                    int q = p;
                    running.add(pool.submit(() -> gemm.gemm(false, false, n, n, n, 1f, a[q], 0, n, b[q], 0, n, 0f, c[q], 0, n)));
                }
                for (var f : running) f.get();
                t[i] = (System.nanoTime() - t0) / 1e9;
            }
        } catch (InterruptedException | java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException("GEMM peak measurement failed", e);
        }
        double[] timed = java.util.Arrays.copyOfRange(t, 2, t.length);
        java.util.Arrays.sort(timed);
        return parallel * 2.0 * n * n * n / timed[0] / 1e9;
    }

    static double peakRssMb() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmHWM:")) return Double.parseDouble(line.replaceAll("[^0-9]", "")) / 1024;
            }
        } catch (IOException | NumberFormatException e) {
            // not Linux: no figure
        }
        return Double.NaN;
    }
}
