package dev.rnnlab.run;

import dev.rnnlab.Rng;
import dev.rnnlab.RnnlabException;
import dev.rnnlab.bptt.BpttStrategy;
import dev.rnnlab.data.Epoch;
import dev.rnnlab.data.SequentialPartitioner;
import dev.rnnlab.nn.CellType;
import dev.rnnlab.nn.Initialization;
import dev.rnnlab.nn.LanguageModel;
import dev.rnnlab.nn.ModelConfig;
import dev.rnnlab.nn.ModelKind;
import dev.rnnlab.nn.Models;
import dev.rnnlab.nn.RecurrentState;
import dev.rnnlab.nn.Regularization;
import dev.rnnlab.nn.ShardedModel;
import dev.rnnlab.tensor.Gemm;
import dev.rnnlab.train.Adam;
import dev.rnnlab.train.GlobalNormClipper;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.IntFunction;
import java.util.function.Predicate;

/**
 * Settings that give a good character-level model of a text in a given training time, for a user who
 * only names the text: the architecture, the regularisation and the schedule, chosen from the text's size
 * and the time budget, with the reason for each.
 *
 * <p>The rules, and what they rest on (docs/RESULTS.md, "Tiny Shakespeare with the AWD-LSTM regularisers";
 * tiny Shakespeare, 1.1 M characters, on 2 cores):
 * <ul>
 *   <li>A 2-layer layer-normalised LSTM ({@link CellType#LSTM_LN}), one-hot input, batch 32 x 50 steps: 256
 *       units under 10 minutes, 384 from 10 minutes on. At ten minutes on a Zen 3 the layer-normalised
 *       LSTM-384 ended at 1.4376 where the plain one ended at 1.4672 (at two minutes, 256 units: 1.4708
 *       against 1.7758), and in PyTorch's probe at 256 units 1.4571 against 1.5905 (docs/RESULTS.md, "Layer
 *       normalisation"); it cost 7-23% of the speed there. Wider layers learn more per character but read
 *       fewer of them: at 2 minutes 384 and 512 units
 *       ended far behind 256. At 10 minutes, with oneDNN's speed (18,000 chars/s for 384 units), 384 units
 *       with locked dropout 0.3 reached 1.4523, where 256 units with 0.1 had reached 1.4781 at 21,000 chars/s (at 1e81ded, before oneDNN).
 *   <li>Adam at 0.004 with a cosine decay to 0 over the budget (the schedule runs over the time budget,
 *       {@link dev.rnnlab.train.Trainer}), clipping at 5: the decay is worth 0.05 nats at 2 minutes.
 *   <li>Locked dropout between the layers and on the output, stronger the more passes over the text the
 *       budget allows (a small text read many times needs it, a large one read once does not), and stronger
 *       for the wider layers, which overfit sooner. Without it the LSTM-256 overfits tiny Shakespeare from its
 *       5th pass; at 13 passes 0.1 was best of those tried for 256 units, at 10 passes 0.3 for 384
 *       (0.2: 1.4615, 0.4: 1.4559).
 *   <li>A 90/10 split when none is given, so the run reports a held-out loss and keeps its best model.
 *   <li>Epochs enough that the budget ends the run.
 * </ul>
 *
 * <p>The passes are estimated from a training speed: measured on this machine ({@link #measureThroughput},
 * what {@code rnnlab train FILE} does, about 2 seconds before the run) or assumed ({@link #forText(long,
 * double)}: the speeds of a 2-core Zen 5 with oneDNN). The two differ by 2x between the machines of this
 * project (a Zen 3 without AVX-512 trains the LSTM-384 at about half a Zen 5's speed), and the dropout
 * follows the passes, so a run says which it used.
 *
 * @param hidden         hidden units per layer
 * @param layers         stacked LSTM layers
 * @param batch          streams per mini-batch
 * @param steps          time steps per mini-batch
 * @param lr             Adam's base rate
 * @param regularization the dropouts chosen
 * @param passes         how many times the budget reads the text, as estimated (at the speed measured or assumed)
 * @param reasons        why, one phrase per choice, for the first lines of a run
 */
public record Recipe(int hidden, int layers, int batch, int steps, double lr, Regularization regularization, double passes,
                     List<String> reasons) {
    /** The budget when none is given: a few minutes. */
    public static final double DEFAULT_BUDGET_SECONDS = 300;

    /** From this budget on the layers are 384 units wide, below it 256. */
    public static final double WIDE_BUDGET_SECONDS = 600;

    /**
     * The 2-layer LSTM's training speed on tiny Shakespeare on 2 cores as measured (AMD EPYC, Zen 5, oneDNN,
     * the cores split automatically, at 14dc6cc: 256 units 32,500-40,400 chars/s, 384 units 17,000-20,000;
     * docs/RESULTS.md): what the estimate of the passes assumes when it is not measured. These are the plain
     * LSTM's; the layer-normalised one ran 2-23% slower where both were measured (a Zen 3, docs/RESULTS.md).
     */
    public static double charsPerSecond(int hidden) {
        return hidden <= 256 ? 36_000 : 18_000;
    }

    /**
     * A training speed of the recipe's 2-layer LSTM, for the estimate of the passes.
     *
     * @param charsPerSecond characters of training per second
     * @param source         how it was had, for the reason printed ("measured here in 2.0 s", ...)
     */
    public record Throughput(double charsPerSecond, String source) {
        public Throughput {
            if (!(charsPerSecond > 0) || Double.isInfinite(charsPerSecond)) {
                throw new IllegalArgumentException("a throughput must be a positive number of chars/s, got " + charsPerSecond);
            }
        }
    }

    /** {@link #charsPerSecond}, the speed {@link #forText(long, double)} assumes. */
    public static Throughput assumedThroughput(int hidden) {
        return new Throughput(charsPerSecond(hidden), "assumed: a 2-core Zen 5's");
    }

    /** The vocabulary the speed is measured with: printable ASCII. The output layer is a small part of a step. */
    static final int PROBE_VOCAB = 96;

    /**
     * Measures how fast {@code gemm} trains the recipe's model of width {@code hidden} on this machine: a 2-layer
     * {@link #CELL}, one-hot input over {@value #PROBE_VOCAB} characters, batch 32 x 50, Adam and clipping as the run
     * does, the cores used as a run uses them ({@link Models#automaticShards}), on random characters for about
     * {@code seconds}. The first half of the batches warms the JIT up and is not counted, so the figure is
     * the speed of the run's later epochs, where most of its characters are read.
     */
    public static Throughput measureThroughput(int hidden, Gemm gemm, double seconds) {
        if (hidden < 1) throw new IllegalArgumentException("hidden must be >= 1, got " + hidden);
        int batch = 32, steps = 50;
        ModelConfig config = RunSpec.builder().cell(CELL).hidden(hidden).layers(2).build().model().config(PROBE_VOCAB);
        LanguageModel single = Models.initialized(ModelKind.ENGINE, config, Initialization.PYTORCH, 1, gemm);
        LanguageModel model = Models.sharded(single, Models.automaticShards(config, batch, gemm), gemm);
        try {
            Rng rng = new Rng(1);
            int[] text = new int[batch * steps * 64 + 1];
            for (int i = 0; i < text.length; i++) text[i] = rng.nextInt(PROBE_VOCAB);
            SequentialPartitioner sampler = new SequentialPartitioner(text, batch, steps);
            BpttStrategy perBatch = BpttStrategy.perBatch();
            GlobalNormClipper clipper = new GlobalNormClipper(5);
            Adam adam = new Adam(model.parameters().size(), 0.9, 0.999, 1e-8, 0, false);
            RecurrentState state = model.zeroState(batch);
            model.setTraining(true, rng);
            List<Long> ends = new ArrayList<>();
            Epoch epoch = sampler.epoch(rng);
            long start = System.nanoTime();
            ends.add(start);
            while (ends.size() < 5 || ends.getLast() - start < seconds * 1e9) {
                if (!epoch.hasNext()) epoch = sampler.epoch(rng);
                model.parameters().zeroGrads();
                perBatch.computeGradients(model, epoch.next(), state, rng);
                clipper.clip(model.parameters().grads());
                adam.step(model.parameters(), 1e-3);
                ends.add(System.nanoTime());
            }
            int batches = ends.size() - 1, counted = batches - batches / 2;
            double timed = (ends.getLast() - ends.get(batches / 2)) / 1e9;
            return new Throughput((double) counted * batch * steps / timed,
                    String.format(Locale.ROOT, "measured here in %.1f s", (ends.getLast() - start) / 1e9));
        } finally {
            if (model instanceof ShardedModel shards) shards.close();  // its threads
        }
    }

    /** The recipe's cell: the layer-normalised LSTM (see the rules above). */
    public static final CellType CELL = CellType.LSTM_LN;

    /** Locked dropout of the 384-unit layers read under 30 times. */
    static final float DROPOUT_384 = 0.3f;

    /** The split when none is given. */
    public static final String SPLIT = "0.9,0.1";

    /**
     * The settings for a text of {@code tokens} tokens trained for {@code budgetSeconds}, with the passes
     * estimated at the speed {@link #assumedThroughput} assumes.
     */
    public static Recipe forText(long tokens, double budgetSeconds) {
        return forText(tokens, budgetSeconds, Recipe::assumedThroughput);
    }

    /**
     * The settings for a text of {@code tokens} tokens trained for {@code budgetSeconds}, with the passes
     * estimated at the speed {@code throughput} gives for the width chosen (asked once, for that width only):
     * {@code h -> Recipe.measureThroughput(h, gemm, 2)} measures it.
     */
    public static Recipe forText(long tokens, double budgetSeconds, IntFunction<Throughput> throughput) {
        if (tokens < 2) throw new RnnlabException("a recipe needs a text of at least 2 tokens, got " + tokens);
        if (!(budgetSeconds > 0)) throw new RnnlabException("a recipe needs a time budget > 0 seconds, got " + budgetSeconds);
        int hidden = budgetSeconds >= WIDE_BUDGET_SECONDS ? 384 : 256;
        Throughput speed = throughput.apply(hidden);
        double passes = speed.charsPerSecond() * budgetSeconds / tokens;
        List<String> why = new ArrayList<>();
        why.add(String.format(Locale.ROOT, "the budget reads the text about %s times at ~%,.0f chars/s (%s)", round(passes),
                speed.charsPerSecond(), speed.source()));
        why.add(hidden == 256 ? "2 x 256 layer-normalised LSTM units: in a budget under 10 minutes wider layers read too few characters"
                : "2 x 384 layer-normalised LSTM units: a budget of 10 minutes or more lets wider layers learn more than they lose in speed");
        // measured on tiny Shakespeare at 10 minutes: 256 units at 13 passes, 0.1 ended at 1.482, none at 1.560
        // (overfitting from the 5th pass), 0.25 with weight drop 0.25 at 1.491 (still underfitting); 384 units at
        // 10 passes, 0.2 at 1.4615, 0.3 at 1.4523, 0.4 at 1.4559; more passes need more
        float dropout = lockedDropout(hidden, passes);
        Regularization reg = Regularization.builder().hiddenDropout(dropout).outputDropout(dropout).build();
        why.add(dropout == 0 ? "no dropout: the text is read too few times to overfit"
                : "locked dropout " + dropout + " between layers and on the output, against overfitting over that many passes");
        why.add("Adam 0.004 with a cosine decay to 0 over the budget, clip 5");
        return new Recipe(hidden, 2, 32, 50, 0.004, reg, passes, List.copyOf(why));
    }

    /** Under 2 passes none; wider layers overfit sooner, so they get more for the same passes. */
    private static float lockedDropout(int hidden, double passes) {
        if (passes < 2) return 0f;
        if (hidden > 256) return passes < 30 ? DROPOUT_384 : 0.4f;
        if (passes < 30) return 0.1f;
        return passes < 100 ? 0.2f : 0.3f;
    }

    private static String round(double x) {
        return x >= 10 ? String.format(Locale.ROOT, "%.0f", x) : String.format(Locale.ROOT, "%.1f", x);
    }

    /**
     * Sets this recipe's choices on {@code b}, except those {@code given} says the user chose: each is named by
     * the {@code rnnlab train} option that sets it ({@code --hidden}, {@code --lr}, {@code --split}, ...).
     * The epochs become as many as the budget can use.
     */
    public RunSpec.Builder applyTo(RunSpec.Builder b, Predicate<String> given) {
        if (!given.test("--model")) b.model(CELL.label());
        if (!given.test("--hidden")) b.hidden(hidden);
        if (!given.test("--layers")) b.layers(layers);
        if (!given.test("--batch")) b.batch(batch);
        if (!given.test("--steps")) b.steps(steps);
        if (!given.test("--optimizer")) b.optimizer("adam");
        if (!given.test("--lr")) b.lr(lr);
        if (!given.test("--schedule")) b.schedule("cosine");
        if (!given.test("--clip")) b.clip(5);
        if (!given.test("--split")) b.split(SPLIT);
        if (!given.test("--epochs")) b.epochs(1000);
        if (!given.test("--hidden-dropout") && !given.test("--output-dropout")) {
            // the rest of the regularisation as given (all off unless set)
            b.regularization(b.regularization().toBuilder().hiddenDropout(regularization.hiddenDropout())
                    .outputDropout(regularization.outputDropout()).build());
        }
        return b;
    }

    /** One line: what was chosen. */
    public String describe() {
        return String.format(Locale.ROOT, CELL.label() + " %d x %d, one-hot, batch %d x %d, adam %s cosine over the budget, clip 5%s, split %s",
                layers, hidden, batch, steps, lr, regularization.any() ? ", " + regularization.describe() : "", SPLIT);
    }
}
