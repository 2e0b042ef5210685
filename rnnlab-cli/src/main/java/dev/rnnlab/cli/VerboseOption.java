package dev.rnnlab.cli;

import picocli.CommandLine.Option;

/**
 * {@code --verbose}, declared once for every command. {@link Cli}'s error handler reads whether it was
 * given from the parse result, so an option value that happens to read "--verbose" does not count.
 */
final class VerboseOption {
    @Option(names = "--verbose", description = "Show stack traces of errors.")
    boolean verbose;
}
