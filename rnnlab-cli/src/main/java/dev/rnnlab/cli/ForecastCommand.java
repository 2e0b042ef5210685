package dev.rnnlab.cli;

import dev.rnnlab.RnnlabException;
import dev.rnnlab.Rng;
import dev.rnnlab.nn.CellType;
import dev.rnnlab.plot.ForecastChart;
import dev.rnnlab.series.Forecaster;
import dev.rnnlab.series.HorizonErrors;
import dev.rnnlab.series.LatentAutoregressor;
import dev.rnnlab.series.MlpAutoregressor;
import dev.rnnlab.series.Series;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code rnnlab forecast}: D2L 8.1's autoregressive models and their k-step-ahead errors. */
@Command(name = "forecast", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Train an autoregressive model on the start of a series and measure its k-step-ahead "
                + "prediction error on the rest (D2L 8.1).",
            "Without FILE it uses D2L's noisy sine x_t = sin(0.01 t) + N(0, 0.2^2), t = 1..1000."})
final class ForecastCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(arity = "0..1", paramLabel = "FILE",
            description = "A CSV/TSV file (with --column) or a file of one number per line.")
    Path file;

    @Option(names = "--sine", description = "Use D2L's noisy sine (the default without FILE).")
    boolean sine;

    @Option(names = "--column", paramLabel = "NAME|INDEX",
            description = "The column of a CSV/TSV file: a header name or a 1-based index.")
    String column;

    @Option(names = "--model", paramLabel = "mlp|rnn|gru|lstm", defaultValue = "mlp",
            description = "mlp: D2L 8.1.2's MLP over tau lags; rnn, gru, lstm: a latent autoregressive model "
                    + "(default: ${DEFAULT-VALUE}).")
    String model;

    @Option(names = "--tau", paramLabel = "TAU", defaultValue = "4",
            description = "Lags the MLP sees; held-out targets start at tau + --train (default: ${DEFAULT-VALUE}).")
    int tau;

    @Option(names = "--train", paramLabel = "N", defaultValue = "600",
            description = "Training examples: the MLP trains on x_{i..i+tau-1} -> x_{i+tau}, i < N; the latent "
                    + "model on x_0..x_{tau+N-1} (default: ${DEFAULT-VALUE}).")
    int train;

    @Option(names = "--horizons", split = ",", paramLabel = "K", defaultValue = "1,4,16,64",
            description = "Steps ahead to predict (default: ${DEFAULT-VALUE}).")
    List<Integer> horizons;

    @Option(names = "--epochs", paramLabel = "N",
            description = "Training epochs (default: 5 for mlp, as D2L; 20 for rnn, gru, lstm).")
    Integer epochs;

    @Option(names = "--hidden", paramLabel = "H",
            description = "Hidden units (default: 10 for mlp, as D2L; 16 for rnn, gru, lstm).")
    Integer hidden;

    @Option(names = "--window", paramLabel = "W", defaultValue = "32",
            description = "Observations a latent model's state is built from (default: ${DEFAULT-VALUE}).")
    int window;

    @Option(names = "--plot", paramLabel = "OUT.png|OUT.svg",
            description = "Write D2L's figures: OUT (data, 1-step and fed-back predictions) and OUT-ksteps "
                    + "(k-step predictions).")
    Path plot;

    @Option(names = "--seed", paramLabel = "SEED", defaultValue = "1",
            description = "Seed of the noise, the initialization and the shuffling (default: ${DEFAULT-VALUE}).")
    long seed;

    @Mixin
    VerboseOption verbose;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        if (file != null && sine) throw new RnnlabException("give either FILE or --sine, not both");
        if (file == null && column != null) throw new RnnlabException("--column needs a FILE");
        String kind = model.strip().toLowerCase(Locale.ROOT);
        if (!List.of("mlp", "rnn", "gru", "lstm").contains(kind)) {
            throw new RnnlabException("unknown model '" + model + "': use mlp, rnn, gru or lstm");
        }
        if (tau < 1) throw new RnnlabException("--tau must be 1 or more, got " + tau);
        if (train < 1) throw new RnnlabException("--train must be 1 or more, got " + train);
        if (horizons.isEmpty()) throw new RnnlabException("--horizons needs at least one K");
        for (int k : horizons) if (k < 1) throw new RnnlabException("--horizons must be 1 or more, got " + k);
        Path kSteps = plot == null ? null : kStepsPath(plot);

        Series series = file == null ? Series.noisySine(1000, 0.2, seed) : Series.read(file, column);
        double[] x = series.values();
        int firstTarget = tau + train;
        if (firstTarget >= x.length) {
            throw new RnnlabException("the series has " + x.length + " values, but tau + --train = " + firstTarget
                    + " leaves none held out; lower --train");
        }
        out.printf(Locale.ROOT, "series %s: %,d values%n", series.name(), x.length);
        Rng rng = new Rng(seed);
        if (file == null) rng.split();  // the noise was drawn from new Rng(seed): do not reuse its draws
        List<String> losses = new ArrayList<>();
        Forecaster forecaster;
        if (kind.equals("mlp")) {
            MlpAutoregressor.Config c = new MlpAutoregressor.Config(tau, hidden == null ? 10 : hidden,
                    epochs == null ? 5 : epochs, 16, 0.01);
            forecaster = MlpAutoregressor.train(x, train, c, rng, l -> losses.add(String.format(Locale.ROOT, "%.5f", l)));
        } else {
            CellType cell = CellType.parse(kind);
            LatentAutoregressor.Config d = LatentAutoregressor.Config.defaults(cell);
            LatentAutoregressor.Config c = new LatentAutoregressor.Config(cell, hidden == null ? d.hidden() : hidden,
                    d.layers(), window, epochs == null ? d.epochs() : epochs, d.batch(), d.learningRate());
            forecaster = LatentAutoregressor.train(x, firstTarget, c, rng,
                    l -> losses.add(String.format(Locale.ROOT, "%.5f", l)));
        }
        out.println("model: " + forecaster.describe());
        out.println("training loss (mean squared error) per epoch: " + String.join(" ", losses));
        int[] ks = horizons.stream().mapToInt(Integer::intValue).toArray();
        HorizonErrors errors = HorizonErrors.measure(forecaster, x, firstTarget, ks);
        double[] free = forecaster.continueFrom(x, firstTarget);
        out.printf(Locale.ROOT, "k-step-ahead prediction error on the %,d held-out targets x_%d..x_%d (t from 1):%n",
                errors.targets(), firstTarget + 1, x.length);
        out.printf(Locale.ROOT, "%6s %12s%n", "k", "MSE");
        for (int i = 0; i < ks.length; i++) out.printf(Locale.ROOT, "%6d %12.5f%n", ks[i], errors.mse()[i]);
        double freeMse = 0;
        for (int t = firstTarget; t < x.length; t++) freeMse += (free[t] - x[t]) * (free[t] - x[t]);
        out.printf(Locale.ROOT, "%6s %12.5f   (predictions fed back from x_%d on, D2L's multistep)%n", "free",
                freeMse / errors.targets(), firstTarget + 1);
        if (plot != null) {
            ForecastChart.write(plot, series.name().length() > 60 ? "series" : series.name(), List.of(
                    new ForecastChart.Line("data", x),
                    new ForecastChart.Line("1-step preds", errors.predictions()[0]),
                    new ForecastChart.Line("multistep preds", free)));
            List<ForecastChart.Line> lines = new ArrayList<>();
            for (int i = 0; i < ks.length; i++) {
                lines.add(new ForecastChart.Line(ks[i] + "-step preds", errors.predictions()[i]));
            }
            ForecastChart.write(kSteps, "k-step-ahead predictions", lines);
            out.println("wrote " + plot + " and " + kSteps);
        }
        out.flush();
        return 0;
    }

    /** OUT.png -> OUT-ksteps.png. */
    static Path kStepsPath(Path plot) {
        String name = plot.getFileName().toString();
        int dot = name.lastIndexOf('.');
        String k = dot < 0 ? name + "-ksteps" : name.substring(0, dot) + "-ksteps" + name.substring(dot);
        Path p = plot.resolveSibling(k);
        String lower = name.toLowerCase(Locale.ROOT);
        if (!lower.endsWith(".png") && !lower.endsWith(".svg")) {
            throw new RnnlabException("cannot write plot '" + plot + "': use a .png or .svg file name");
        }
        return p;
    }
}
