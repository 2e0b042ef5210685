package dev.rnnlab.cli;

import dev.rnnlab.Rng;
import dev.rnnlab.RnnlabException;
import dev.rnnlab.tensor.Spectra;
import dev.rnnlab.data.Batch;
import dev.rnnlab.nn.CellType;
import dev.rnnlab.nn.ModelConfig;
import dev.rnnlab.nn.Parameters;
import dev.rnnlab.nn.RecurrentLanguageModel;
import dev.rnnlab.plot.LineChart;
import dev.rnnlab.tensor.Gemm;
import dev.rnnlab.train.GradientDiagnostics;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code rnnlab diagnose}: vanishing and exploding gradients (D2L 8.7). */
@Command(name = "diagnose", mixinStandardHelpOptions = true, description = "Gradient diagnostics; see 'spectral'. During training: rnnlab train --diagnostics.",
        subcommands = {DiagnoseCommand.Spectral.class})
final class DiagnoseCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /**
     * D2L 8.7's eigenvalue argument as a demonstration: W_hh with spectral radius 0.5, 1 and 1.5, and how the
     * gradient passed back k steps vanishes, holds or explodes, both for the bare matrix powers
     * (W_hh^T)^k g and for a real tanh RNN's backward.
     */
    @Command(name = "spectral", mixinStandardHelpOptions = true, sortOptions = false,
            description = {"Initialises W_hh as a Gaussian matrix scaled to each spectral radius and plots ||(W_hh^T)^k g|| against"
                    + " k (the linear recurrence of D2L 8.7) and ||dL_T/dh_{T-k}|| of a tanh RNN with that W_hh (the real backward,"
                    + " where tanh' <= 1 adds its own damping)."})
    static final class Spectral implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(names = "--radii", split = ",", defaultValue = "0.5,1.0,1.5", description = "Spectral radii (default: ${DEFAULT-VALUE}).")
        List<Double> radii;

        @Option(names = "--hidden", defaultValue = "64", description = "Hidden units (default: ${DEFAULT-VALUE}).")
        int hidden;

        @Option(names = "--distance", defaultValue = "100", description = "Largest distance k (default: ${DEFAULT-VALUE}).")
        int distance;

        @Option(names = "--plot", paramLabel = "FILE", defaultValue = "spectral.png", description = "Output plot (default: ${DEFAULT-VALUE}).")
        Path plot;

        @Option(names = "--seed", defaultValue = "42", description = "Seed (default: ${DEFAULT-VALUE}).")
        long seed;

        @Mixin
        EngineOptions engine;

        @Mixin
        VerboseOption verbose;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            if (hidden < 2 || distance < 1) throw new RnnlabException("--hidden must be >= 2 and --distance >= 1");
            for (double r : radii) {
                if (!(r > 0) || Double.isInfinite(r)) throw new RnnlabException("--radii must be finite numbers > 0, got " + r);
            }
            if (radii.stream().map(r -> String.format(java.util.Locale.ROOT, "%.2f", r)).distinct().count() < radii.size()) {
                throw new RnnlabException("--radii " + radii + " names a radius twice (to 2 decimals); give each once");
            }
            if (distance > 100_000) throw new RnnlabException("--distance must be at most 100000, got " + distance);
            if (hidden > 16_384) {
                throw new RnnlabException("--hidden " + hidden + " is more than this demonstration needs (its W_hh alone would be "
                        + String.format(java.util.Locale.ROOT, "%,d", (long) hidden * hidden * 4 >> 20) + " MiB); use at most 16384");
            }
            Gemm gemm = engine.gemm();
            int vocab = 28, batch = 8;
            List<LineChart.Curve> curves = new ArrayList<>();
            int[] show = java.util.stream.IntStream.of(0, 10, 25, 50, 100, distance).filter(k -> k <= distance).distinct().sorted().toArray();
            out.printf(Locale.ROOT, "%-28s", "norm at distance k:");
            for (int k : show) out.printf(Locale.ROOT, " %11s", "k=" + k);
            out.println();
            for (double r : radii) {
                Rng rng = new Rng(seed);
                float[] w = new float[hidden * hidden];
                for (int i = 0; i < w.length; i++) w[i] = (float) rng.nextGaussian();
                double rho0 = Spectra.spectralRadius(w, 0, hidden, new Rng(seed + 1));
                for (int i = 0; i < w.length; i++) w[i] *= (float) (r / rho0);
                double rho = Spectra.spectralRadius(w, 0, hidden, new Rng(seed + 2));

                // the linear recurrence: g_k = (W^T)^k g_0
                double[] linear = new double[distance + 1], xs = new double[distance + 1];
                double[] g = new double[hidden];
                for (int i = 0; i < hidden; i++) g[i] = rng.nextGaussian();
                double n0 = norm(g);
                for (int k = 0; k <= distance; k++) {
                    xs[k] = k;
                    linear[k] = norm(g) / n0;
                    double[] next = new double[hidden];
                    for (int i = 0; i < hidden; i++) for (int j = 0; j < hidden; j++) next[i] += w[j * hidden + i] * g[j];
                    g = next;
                }
                // a tanh RNN with this W_hh: the real backward, loss at the last step only
                RecurrentLanguageModel m = new RecurrentLanguageModel(ModelConfig.simple(CellType.RNN_TANH, vocab, hidden), gemm);
                m.initPyTorchDefault(rng);
                Parameters.Tensor whh = m.parameters().tensor("rnn.weight_hh_l0");
                System.arraycopy(w, 0, m.parameters().values(), whh.offset(), w.length);
                int[] tokens = new int[(distance + 2) * batch + 1];
                for (int i = 0; i < tokens.length; i++) tokens[i] = rng.nextInt(vocab);
                Batch b = GradientDiagnostics.probeBatch(tokens, batch, distance + 1);
                double[] real = GradientDiagnostics.perStepNorms(m, b);
                double r0 = real[0];
                for (int k = 0; k < real.length; k++) real[k] /= r0;
                curves.add(new LineChart.Curve(String.format(Locale.ROOT, "(W^T)^k g, rho %.2f", rho), xs, linear));
                curves.add(new LineChart.Curve(String.format(Locale.ROOT, "tanh RNN, rho %.2f", rho), xs, real));
                print(out, String.format(Locale.ROOT, "rho %.2f, (W^T)^k g", rho), linear, show);
                print(out, String.format(Locale.ROOT, "rho %.2f, tanh RNN backward", rho), real, show);
            }
            LineChart.write(plot, "gradient norm k steps back, relative to k = 0", "distance k", "relative norm (log)", true, curves);
            out.println("wrote " + plot);
            out.flush();
            return 0;
        }

        private static void print(PrintWriter out, String label, double[] v, int[] show) {
            out.printf(Locale.ROOT, "%-28s", label);
            for (int k : show) if (k < v.length) out.printf(Locale.ROOT, " %11.3e", v[k]);
            out.println();
        }

        private static double norm(double[] v) {
            double s = 0;
            for (double d : v) s += d * d;
            return Math.sqrt(s);
        }
    }
}
