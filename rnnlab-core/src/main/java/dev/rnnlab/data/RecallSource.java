package dev.rnnlab.data;

import dev.rnnlab.RnnlabException;
import dev.rnnlab.Rng;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A long-range recall task. The text is a sequence of episodes, each one line of {@code gap + 3} characters:
 * a key (one of {@code keys} capital letters, uniform), {@code gap} fillers (iid uniform over
 * {@code fillers} lowercase letters), the same key again, and a newline. Keys and fillers are disjoint,
 * so a reader always knows where it is in an episode; only the first key and the fillers are news. The
 * entropy rate per token is therefore exactly (log K + gap * log F) / (gap + 3), and a model reaches it
 * only if it remembers the key across {@code gap + 1} steps.
 */
public final class RecallSource implements SyntheticSource {
    private static final String KEYS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ";
    private static final String FILLERS = "abcdefghijklmnopqrstuvwxyz";

    private final int gap;
    private final int keys;
    private final int fillers;

    /** Episodes of {@code gap} fillers between two keys; {@code keys} keys (2 to 26), {@code fillers} fillers (1 to 26). */
    public RecallSource(int gap, int keys, int fillers) {
        if (gap < 0) throw new RnnlabException("recall gap must be 0 or more, got " + gap);
        if (keys < 2 || keys > KEYS.length()) throw new RnnlabException("recall keys must be 2 to 26, got " + keys);
        if (fillers < 1 || fillers > FILLERS.length()) {
            throw new RnnlabException("recall fillers must be 1 to 26, got " + fillers);
        }
        this.gap = gap;
        this.keys = keys;
        this.fillers = fillers;
    }

    /** The number of fillers between the two keys of an episode. */
    public int gap() {
        return gap;
    }

    /** Characters per episode: key, gap fillers, key, newline. */
    public int episodeLength() {
        return gap + 3;
    }

    @Override
    public String kind() {
        return "recall";
    }

    @Override
    public Map<String, Object> parameters() {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("gap", gap);
        p.put("keys", keys);
        p.put("fillers", fillers);
        p.put("keySymbols", KEYS.substring(0, keys));
        p.put("fillerSymbols", FILLERS.substring(0, fillers));
        return p;
    }

    @Override
    public double entropyRateNats() {
        return (Math.log(keys) + gap * Math.log(fillers)) / episodeLength();
    }

    /** Whole episodes from the first character; the last may be cut off at {@code length}. */
    @Override
    public String generate(int length, Rng rng) {
        StringBuilder sb = new StringBuilder(length + episodeLength());
        while (sb.length() < length) {
            char key = KEYS.charAt(rng.nextInt(keys));
            sb.append(key);
            for (int i = 0; i < gap; i++) sb.append(FILLERS.charAt(rng.nextInt(fillers)));
            sb.append(key).append('\n');
        }
        sb.setLength(length);
        return sb.toString();
    }

    /** Loss of the true model, which knows the phase (text starts at an episode) and remembers the key. */
    @Override
    public double meanLogLoss(String text) {
        double loss = 0;
        char key = 0;
        for (int i = 0; i < text.length(); i++) {
            int phase = i % episodeLength();
            char c = text.charAt(i);
            double p;
            if (phase == 0) {
                key = c;
                p = KEYS.indexOf(c) >= 0 && KEYS.indexOf(c) < keys ? 1.0 / keys : 0;
            } else if (phase <= gap) {
                p = FILLERS.indexOf(c) >= 0 && FILLERS.indexOf(c) < fillers ? 1.0 / fillers : 0;
            } else if (phase == gap + 1) {
                p = c == key ? 1 : 0;
            } else {
                p = c == '\n' ? 1 : 0;
            }
            loss -= Math.log(p);
        }
        return loss / text.length();
    }
}
