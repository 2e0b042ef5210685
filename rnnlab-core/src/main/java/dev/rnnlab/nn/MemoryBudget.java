package dev.rnnlab.nn;

import dev.rnnlab.RnnlabException;
import java.util.Locale;

/**
 * Resources before work: what a model and its batches will need, checked against the heap before anything
 * is allocated, so a model too big for memory is refused with the figures instead of failing halfway with
 * an {@code OutOfMemoryError} (or, past 2^31 floats, an integer overflow).
 */
public final class MemoryBudget {
    /** Java arrays hold at most this many elements (a little under 2^31, as the JDK keeps a few for headers). */
    static final long MAX_ARRAY = Integer.MAX_VALUE - 16;

    private MemoryBudget() {}

    /**
     * Refuses a model whose parameters cannot live in one array, or whose {@code bytes} (parameters,
     * gradients, optimizer moments, activations) exceed what the heap can still give.
     */
    public static void require(ModelConfig config, long bytes, String what) {
        long params = config.parameterCount();
        if (params > MAX_ARRAY) {
            throw new RnnlabException(String.format(Locale.ROOT, "%s has %,d parameters, more than one Java array holds (%,d);"
                    + " choose a smaller --hidden, --embed or --layers", what, params, MAX_ARRAY));
        }
        Runtime rt = Runtime.getRuntime();
        long available = rt.maxMemory() - (rt.totalMemory() - rt.freeMemory());
        if (bytes > available) {
            throw new RnnlabException(String.format(Locale.ROOT, "%s needs about %s (%,d parameters), more than the %s the heap"
                    + " can still give (of %s); choose a smaller --hidden, --layers or --batch, or give Java more memory"
                    + " (e.g. RNNLAB_JAVA_OPTS=-Xmx16g)", what, bytes(bytes), params, bytes(available), bytes(rt.maxMemory())));
        }
    }

    /**
     * The bytes of a model in training: values and gradients (each of {@code replicas} keeps its own
     * gradients), {@code optimizerSlots} moments per parameter, and the activations of one batch.
     */
    public static long trainingBytes(ModelConfig config, int optimizerSlots, int replicas, int steps, int batch) {
        long params = config.parameterCount();
        double floats = (double) params * (1 + replicas + optimizerSlots);
        double total = 4 * floats + (double) config.activationBytes(steps, batch);
        return total >= Long.MAX_VALUE ? Long.MAX_VALUE : (long) total;
    }

    /** The bytes of a model that only runs forward: values, gradients (allocated with them) and a little room. */
    public static long inferenceBytes(ModelConfig config) {
        double total = 8.0 * config.parameterCount() + config.activationBytes(256, 32);
        return total >= Long.MAX_VALUE ? Long.MAX_VALUE : (long) total;
    }

    static String bytes(long b) {
        if (b >= 1L << 30) return String.format(Locale.ROOT, "%.1f GiB", b / (double) (1L << 30));
        if (b >= 1L << 20) return String.format(Locale.ROOT, "%.1f MiB", b / (double) (1L << 20));
        return String.format(Locale.ROOT, "%.1f KiB", b / 1024.0);
    }
}
