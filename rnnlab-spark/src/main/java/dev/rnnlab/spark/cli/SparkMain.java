package dev.rnnlab.spark.cli;

import dev.rnnlab.RnnlabException;
import dev.rnnlab.RnnlabVersion;
import dev.rnnlab.bptt.FullBptt;
import dev.rnnlab.lm.AdditiveSmoothingModel;
import dev.rnnlab.lm.ArpaFile;
import dev.rnnlab.lm.KneserNeyModel;
import dev.rnnlab.lm.MGramCounts;
import dev.rnnlab.lm.NGramModel;
import dev.rnnlab.spark.SparkCorpus;
import dev.rnnlab.spark.SparkStatistics;
import dev.rnnlab.stats.OrderStatistics;
import dev.rnnlab.stats.StatsReport;
import dev.rnnlab.text.Normalizer;
import dev.rnnlab.text.Tokenizer;
import dev.rnnlab.text.Vocabulary;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code rnnlab-spark}: rnnlab's corpus statistics and n-gram models on Spark. Under {@code spark-submit}
 * it runs on the master Spark was given; from the launcher script without {@code --master}, in embedded
 * {@code local[*]} mode.
 */
@Command(name = "rnnlab-spark", mixinStandardHelpOptions = true, versionProvider = SparkMain.Version.class,
        subcommands = {SparkMain.Stats.class, SparkMain.Ngram.class, SparkTrainCommand.class},
        description = {"rnnlab's statistics, n-gram models and data-parallel training on Apache Spark, equal to rnnlab's on one machine.",
            "INPUT is a file, a directory (its files in name order) or a glob, local or any Hadoop file system URI (file:, hdfs:)."})
public final class SparkMain implements Runnable {
    static final int EXIT_USER_ERROR = 2;

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs the command line and returns its exit code. */
    public static int run(String... args) {
        CommandLine cl = new CommandLine(new SparkMain());
        cl.setExecutionExceptionHandler((ex, commandLine, parsed) -> {
            RnnlabException user = userError(ex);
            if (user != null) {
                commandLine.getErr().println("rnnlab-spark: " + user.getMessage().replace("\n", "\\n"));
                return EXIT_USER_ERROR;
            }
            commandLine.getErr().println("rnnlab-spark: " + ex.getClass().getSimpleName() + ": " + ex.getMessage());
            return 1;
        });
        return cl.execute(args);
    }

    /** A user error thrown in a task reaches the driver wrapped in Spark's exceptions: the first one in the chain. */
    static RnnlabException userError(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) if (c instanceof RnnlabException r) return r;
        // a task's exception may arrive only as text in Spark's message
        String m = t.getMessage();
        if (m != null && m.contains("dev.rnnlab.RnnlabException: ")) {
            String rest = m.substring(m.indexOf("dev.rnnlab.RnnlabException: ") + 28);
            return new RnnlabException(rest.lines().findFirst().orElse(rest));
        }
        return null;
    }

    @Override
    public void run() {
        new CommandLine(this).usage(System.out);
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"rnnlab-spark " + RnnlabVersion.get()};
        }
    }

    /** What both commands read and where they run. */
    static final class Common {
        @Parameters(arity = "1..*", paramLabel = "INPUT", description = "Text files, directories or globs.")
        List<String> inputs;

        @Option(names = "--normalize", paramLabel = "d2l|raw", defaultValue = "d2l", description = "Normalization (default: ${DEFAULT-VALUE}).")
        String normalize;

        @Option(names = "--chunk-size", paramLabel = "SIZE", defaultValue = "32m", description = "Bytes of a file per task, e.g. 64m (default: ${DEFAULT-VALUE}).")
        String chunkSize;

        @Option(names = "--master", paramLabel = "URL",
                description = "Spark master, e.g. spark://host:7077 or local[4] (default: spark-submit's, else local[*]).")
        String master;

        JavaSparkContext start(String app) {
            return SparkMain.start(app, master);
        }

        /** The corpus on {@code spark}, its tokens counted and its vocabulary built: where both commands start. */
        Counted count(JavaSparkContext spark, Tokenizer tokenizer, int minFreq) {
            SparkCorpus corpus = SparkCorpus.of(inputs, Normalizer.parse(normalize), tokenizer, bytes(chunkSize), spark.hadoopConfiguration());
            SparkStatistics stats = new SparkStatistics(spark, corpus);
            SparkStatistics.TokenCounts counts = stats.tokenCounts();
            return new Counted(corpus, stats, counts, Vocabulary.fromCounts(counts.inFirstOccurrenceOrder(), minFreq, List.of()));
        }
    }

    /** A corpus with its token counts and vocabulary, ready for either command. */
    record Counted(SparkCorpus corpus, SparkStatistics stats, SparkStatistics.TokenCounts counts, Vocabulary vocabulary) {
    }

    /**
     * A context on {@code master}: the given one, else spark-submit's, else embedded {@code local[*]}, which
     * binds to loopback only and shows no web UI.
     */
    static JavaSparkContext start(String app, String master) {
        SparkConf conf = new SparkConf().setAppName(app);
        if (master != null) conf.setMaster(master);
        else if (!conf.contains("spark.master")) conf.setMaster("local[*]");
        String m = conf.get("spark.master");
        if (m.startsWith("spark://")) requireReachable(m);
        if (!m.startsWith("local") && !conf.contains("spark.jars")) {
            // run from the launcher, not spark-submit: the executors need this jar too
            String self = SparkMain.class.getProtectionDomain().getCodeSource().getLocation().getPath();
            if (self.endsWith(".jar")) conf.set("spark.jars", self);
        }
        if (m.startsWith("local")) {
            conf.set("spark.ui.enabled", conf.get("spark.ui.enabled", "false"));
            conf.set("spark.driver.host", conf.get("spark.driver.host", "127.0.0.1"));
            conf.set("spark.driver.bindAddress", conf.get("spark.driver.bindAddress", "127.0.0.1"));
        }
        return new JavaSparkContext(conf);
    }

    /** A standalone master that cannot be reached is one line now, not a minute of Spark's retries. */
    static void requireReachable(String master) {
        for (String hostPort : master.substring("spark://".length()).split(",")) {
            URI u = URI.create("spark://" + hostPort);
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(u.getHost(), u.getPort() < 0 ? 7077 : u.getPort()), 5000);
                return;
            } catch (java.io.IOException e) {
                // try the next master of the list
            }
        }
        throw new RnnlabException("cannot reach the Spark master " + master + ": nothing listens there; start it"
                + " (sbin/start-master.sh) or give another --master");
    }

    static long bytes(String size) {
        try {
            long n = FullBptt.parseBytes(size);  // "512k", "64m", "1g" or bytes, as --max-memory reads them
            if (n >= 1) return n;
        } catch (RnnlabException notASize) {
            // reported below, under this option's name
        }
        throw new RnnlabException("--chunk-size '" + size + "' is not a size: use e.g. 64m, 512k or 1g");
    }

    @Command(name = "stats", mixinStandardHelpOptions = true, sortOptions = false,
            description = "Top n-grams and Zipf fits of a corpus, as rnnlab stats prints them for the same files.")
    static final class Stats implements Callable<Integer> {
        @Mixin
        Common common;

        @Option(names = "--tokens", paramLabel = "char|word", defaultValue = "word", description = "Tokens (default: ${DEFAULT-VALUE}).")
        String tokens;

        @Option(names = "--n", split = ",", paramLabel = "N", defaultValue = "1,2,3", description = "n-gram orders (default: ${DEFAULT-VALUE}).")
        List<Integer> orders;

        @Option(names = "--top", paramLabel = "K", defaultValue = "10", description = "Rows of each table (default: ${DEFAULT-VALUE}).")
        int top;

        @Option(names = "--zipf-ranks", paramLabel = "FROM:TO", defaultValue = "10:1000", description = "Ranks of the Zipf fit (default: ${DEFAULT-VALUE}).")
        String zipfRanks;

        @Option(names = "--plot", paramLabel = "OUT.png|OUT.svg", description = "Write the log-log frequency-vs-rank figure.")
        Path plot;

        @Option(names = "--min-freq", paramLabel = "N", defaultValue = "0", description = "Tokens seen fewer times become <unk> (default: ${DEFAULT-VALUE}).")
        int minFreq;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            for (int n : orders) if (n < 1 || n > 9) throw new RnnlabException("--n orders must be between 1 and 9, got " + n);
            if (top < 0) throw new RnnlabException("--top must be 0 or more, got " + top);
            int[] ranks = StatsReport.parseRanks(zipfRanks);
            Tokenizer tokenizer = Tokenizer.parse(tokens);
            PrintWriter out = spec.commandLine().getOut();
            try (JavaSparkContext spark = common.start("rnnlab stats")) {
                Counted c = common.count(spark, tokenizer, minFreq);
                SparkCorpus corpus = c.corpus();
                SparkStatistics stats = c.stats();
                SparkStatistics.TokenCounts counts = c.counts();
                Vocabulary v = c.vocabulary();
                out.printf(Locale.ROOT, "corpus %s: %,d %s tokens after %s normalization, vocabulary %,d (with <unk>), sha256 %s%n",
                        String.join(" ", common.inputs), counts.tokens(), tokenizer.id(), corpus.normalizer().id(), v.size(),
                        corpus.sha256(spark.hadoopConfiguration()));
                List<OrderStatistics> orderStats = stats.statistics(v, orders, top);
                StatsReport.print(out, orderStats, top, ranks[0], ranks[1]);
                if (plot != null) {
                    StatsReport.writeChart(plot, "Zipf's law: " + corpus.name() + ", " + tokenizer.id() + " tokens", orderStats, ranks[0], ranks[1]);
                    out.println();
                    out.println("wrote " + plot);
                }
                out.flush();
            }
            return 0;
        }
    }

    @Command(name = "ngram", mixinStandardHelpOptions = true, sortOptions = false,
            description = "Estimates an n-gram model from counts made on Spark and writes it as ARPA, byte for byte the file rnnlab ngram"
                    + " train writes for the same text.")
    static final class Ngram implements Callable<Integer> {
        @Mixin
        Common common;

        @Option(names = "--tokens", paramLabel = "char|word", defaultValue = "char", description = "Tokens (default: ${DEFAULT-VALUE}).")
        String tokens;

        @Option(names = "--order", paramLabel = "N", defaultValue = "3", description = "Order (default: ${DEFAULT-VALUE}).")
        int order;

        @Option(names = "--smoothing", paramLabel = "kn|addk", defaultValue = "kn",
                description = "Interpolated modified Kneser-Ney, or add-k (default: ${DEFAULT-VALUE}).")
        String smoothing;

        @Option(names = "--k", paramLabel = "K", defaultValue = "1", description = "The pseudo-count of add-k (default: ${DEFAULT-VALUE}).")
        double k;

        @Option(names = "--min-freq", paramLabel = "N", defaultValue = "1", description = "Tokens seen fewer times become <unk>"
                + " (default: ${DEFAULT-VALUE}, as rnnlab ngram train).")
        int minFreq;

        @Option(names = {"-o", "--output"}, paramLabel = "MODEL.arpa", required = true, description = "The ARPA file (and its .json sidecar).")
        Path output;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            if (!smoothing.equals("kn") && !smoothing.equals("addk")) throw new RnnlabException("unknown --smoothing '" + smoothing + "': use kn or addk");
            Tokenizer tokenizer = Tokenizer.parse(tokens);
            PrintWriter out = spec.commandLine().getOut();
            try (JavaSparkContext spark = common.start("rnnlab ngram")) {
                Counted c = common.count(spark, tokenizer, minFreq);
                SparkCorpus corpus = c.corpus();
                SparkStatistics stats = c.stats();
                SparkStatistics.TokenCounts counts = c.counts();
                Vocabulary v = c.vocabulary();
                MGramCounts mgrams = stats.modelCounts(v, order, counts.tokens());
                NGramModel model = smoothing.equals("kn") ? KneserNeyModel.fromCounts(mgrams, v) : AdditiveSmoothingModel.fromCounts(mgrams, v, k);
                Map<String, Object> notes = new LinkedHashMap<>();
                notes.put("trainedAs", model.describe());
                notes.put("corpus", corpus.name());
                notes.put("sha256", corpus.sha256(spark.hadoopConfiguration()));
                notes.put("split", "1,0,0");
                notes.put("trainingTokens", counts.tokens());
                notes.put("minFreq", minFreq);
                notes.put("rnnlab", RnnlabVersion.get());
                new ArpaFile(model.toBackoff(), tokenizer, corpus.normalizer(), notes).write(output);
                out.printf(Locale.ROOT, "%s from %,d %s tokens of %s, vocabulary %,d: %s%n", model.describe(), counts.tokens(), tokenizer.id(),
                        corpus.name(), v.size(), output);
                out.flush();
            }
            return 0;
        }
    }
}
