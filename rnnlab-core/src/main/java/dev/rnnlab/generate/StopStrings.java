package dev.rnnlab.generate;

import dev.rnnlab.RnnlabException;
import java.util.List;

/**
 * Watches generated text for stop strings. Text is passed on as soon as it cannot be the start of a stop
 * string, so a stream never shows part of one; when a stop string appears, generation ends and the text
 * before it is the output (the stop string itself is not).
 */
public final class StopStrings {
    private final List<String> stops;
    private final int longest;
    private final StringBuilder held = new StringBuilder();
    private boolean stopped;
    private String matched;

    /** Watches for {@code stops} (none: never stops); each must be non-empty. */
    public StopStrings(List<String> stops) {
        for (String s : stops) if (s == null || s.isEmpty()) throw new RnnlabException("a stop string must not be empty");
        this.stops = List.copyOf(stops);
        this.longest = stops.stream().mapToInt(String::length).max().orElse(0);
    }

    /**
     * Adds a generated piece; returns the text now safe to show (possibly empty). After a stop string it
     * returns the text before it and {@link #stopped()} becomes true; later pieces are ignored.
     */
    public String accept(String piece) {
        if (stopped) return "";
        held.append(piece);
        int earliest = -1;
        for (String s : stops) {
            int at = held.indexOf(s);
            if (at >= 0 && (earliest < 0 || at < earliest)) {
                earliest = at;
                matched = s;
            }
        }
        if (earliest >= 0) {
            stopped = true;
            String out = held.substring(0, earliest);
            held.setLength(0);
            return out;
        }
        // keep back the longest tail that could still grow into a stop string
        int keep = 0;
        for (int k = Math.min(longest - 1, held.length()); k > 0 && keep == 0; k--) {
            String tail = held.substring(held.length() - k);
            for (String s : stops) {
                if (s.startsWith(tail)) {
                    keep = k;
                    break;
                }
            }
        }
        String out = held.substring(0, held.length() - keep);
        held.delete(0, held.length() - keep);
        return out;
    }

    /** The text still held back when generation ends without a stop string. */
    public String flush() {
        String out = held.toString();
        held.setLength(0);
        return out;
    }

    /** Whether a stop string appeared. */
    public boolean stopped() {
        return stopped;
    }

    /** The stop string that appeared, or null. */
    public String matched() {
        return matched;
    }
}
