package dev.rnnlab.cli;

/** Whether stdout is a terminal, the condition for progress bars (never true under tests or pipes). */
final class Terminal {
    private Terminal() {}

    static boolean isInteractive() {
        java.io.Console console = System.console();
        return console != null && console.isTerminal();
    }
}
