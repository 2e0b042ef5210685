package dev.rnnlab.cli;

import dev.rnnlab.RnnlabVersion;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code rnnlab} command: one subcommand per job (see {@code rnnlab --help}). */
@Command(name = "rnnlab", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "Recurrent sequence models on the JVM: D2L chapter 8 as real software.",
        subcommands = {CommandLine.HelpCommand.class, TrainCommand.class, GenerateCommand.class, EvalCommand.class,
            BpttCommand.class, DiagnoseCommand.class, BenchCommand.class, StatsCommand.class, PrepareCommand.class, ServeCommand.class, DashboardCommand.class, SynthCommand.class, NgramCommand.class,
            ForecastCommand.class})
public final class Main {

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs the command line and returns its exit code, for tests and for {@link #main}. */
    public static int run(String... args) {
        try {
            return Cli.newCommandLine(new Main()).execute(args);
        } catch (Throwable e) {  // last resort: errors picocli lets through (OutOfMemoryError) are one line too
            java.io.PrintWriter err = new java.io.PrintWriter(System.err, true);
            return Cli.lastResort(e, err, java.util.Arrays.asList(args).contains("--verbose"));
        }
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"rnnlab " + RnnlabVersion.get()};
        }
    }
}
