package dev.rnnlab.cli;

import dev.rnnlab.RnnlabException;
import picocli.CommandLine;

/**
 * How every rnnlab command reports failure: a {@link RnnlabException} (bad input, missing file, a diverged
 * run) becomes one line on stderr and exit code 2; anything else (a bug, or the JVM out of memory) becomes
 * one line and exit code 1, with its stack trace only with {@code --verbose}.
 */
final class Cli {
    static final int EXIT_USER_ERROR = 2;
    static final int EXIT_FAILURE = 1;

    private Cli() {}

    static CommandLine newCommandLine(Object root) {
        CommandLine cl = new CommandLine(root);
        cl.setOverwrittenOptionsAllowed(true);  // the last of a repeated option wins, as in most tools
        cl.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
            boolean verbose = verbose(parseResult);
            if (ex instanceof RnnlabException ue) {
                // one line, even when the message quotes user text with a line break in it
                commandLine.getErr().println("rnnlab: " + ue.getMessage().replace("\r", "\\r").replace("\n", "\\n"));
                if (verbose) ue.printStackTrace(commandLine.getErr());
                return EXIT_USER_ERROR;
            }
            return lastResort(ex, commandLine.getErr(), verbose);
        });
        cl.setParameterExceptionHandler((ex, args) -> {
            ex.getCommandLine().getErr().println("rnnlab: " + ex.getMessage()
                    + " (see " + ex.getCommandLine().getCommandSpec().qualifiedName() + " --help)");
            return EXIT_USER_ERROR;
        });
        return cl;
    }

    /** Whether the command that ran was given {@link VerboseOption}'s {@code --verbose}, as parsed. */
    static boolean verbose(CommandLine.ParseResult parseResult) {
        CommandLine.ParseResult leaf = parseResult;
        while (leaf.hasSubcommand()) leaf = leaf.subcommand();
        return leaf.hasMatchedOption("--verbose");
    }

    /** Any other error, as one line: what happened and what to try. */
    static int lastResort(Throwable ex, java.io.PrintWriter err, boolean verbose) {
        if (ex instanceof OutOfMemoryError) {
            err.println("rnnlab: out of memory (" + (ex.getMessage() == null ? "Java heap" : ex.getMessage()) + ", heap limit "
                    + Runtime.getRuntime().maxMemory() / (1 << 20) + " MiB): choose a smaller model or batch, or give Java more"
                    + " memory (e.g. RNNLAB_JAVA_OPTS=-Xmx16g)");
        } else if (ex instanceof StackOverflowError) {
            err.println("rnnlab: internal error: stack overflow" + (verbose ? "" : " (run again with --verbose for the stack trace)"));
        } else {
            String message = ex.getMessage() == null ? "" : ": " + ex.getMessage().lines().findFirst().orElse("");
            err.println("rnnlab: internal error: " + ex.getClass().getSimpleName() + message
                    + (verbose ? "" : " (run again with --verbose for the stack trace)"));
        }
        if (verbose) ex.printStackTrace(err);
        err.flush();
        return EXIT_FAILURE;
    }
}
