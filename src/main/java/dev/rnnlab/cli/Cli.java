package dev.rnnlab.cli;

import dev.rnnlab.RnnlabException;
import picocli.CommandLine;

/**
 * How every rnnlab command reports failure: a {@link RnnlabException} (bad input, missing file, NaN loss)
 * becomes one line on stderr and exit code 2; anything else is a bug and shows its stack trace only
 * with {@code --verbose}.
 */
final class Cli {
    static final int EXIT_USER_ERROR = 2;
    static final int EXIT_BUG = 70;

    private Cli() {}

    static CommandLine newCommandLine(Object root) {
        CommandLine cl = new CommandLine(root);
        cl.setOverwrittenOptionsAllowed(true);  // the last of a repeated option wins, as in most tools
        cl.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
            boolean verbose = parseResult.originalArgs().contains("--verbose");
            if (ex instanceof RnnlabException ue) {
                commandLine.getErr().println("rnnlab: " + ue.getMessage());
                if (verbose) ue.printStackTrace(commandLine.getErr());
                return EXIT_USER_ERROR;
            }
            commandLine.getErr().println("rnnlab: internal error: " + ex
                    + (verbose ? "" : " (run again with --verbose for the stack trace)"));
            if (verbose) ex.printStackTrace(commandLine.getErr());
            return EXIT_BUG;
        });
        cl.setParameterExceptionHandler((ex, args) -> {
            ex.getCommandLine().getErr().println("rnnlab: " + ex.getMessage()
                    + " (see " + ex.getCommandLine().getCommandSpec().qualifiedName() + " --help)");
            return EXIT_USER_ERROR;
        });
        return cl;
    }
}
