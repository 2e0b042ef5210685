package dev.rnnlab.run;

/**
 * A generated continuation (without the prefix) and why it ended.
 *
 * @param text    the continuation, cut before a stop string if one appeared
 * @param tokens  tokens generated (the stop string's included)
 * @param finish  why generation ended
 * @param seconds wall time of the request
 */
public record GenerationResult(String text, int tokens, Finish finish, double seconds) {
    /** Why generation ended. */
    public enum Finish {
        /** The requested length was reached. */
        LENGTH,
        /** A stop string appeared. */
        STOP,
        /** The time limit was reached. */
        TIME;

        /** The lower-case name JSON uses. */
        public String id() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }
}
