package dev.rnnlab.cli;

import picocli.CommandLine.Command;

/** {@code rnnlab bptt}: backpropagation-through-time experiments (D2L 8.7). */
@Command(name = "bptt", mixinStandardHelpOptions = true, description = "Backpropagation through time, measured: see 'compare'.",
        subcommands = {BpttCompareCommand.class})
final class BpttCommand implements Runnable {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
