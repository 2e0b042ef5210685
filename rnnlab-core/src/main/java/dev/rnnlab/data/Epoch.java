package dev.rnnlab.data;

import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.function.IntFunction;

/** The batches of one epoch, with the offset it was cut at; iterate it once. */
public final class Epoch implements Iterator<Batch>, Iterable<Batch> {
    private final int offset;
    private final int batches;
    private final IntFunction<Batch> batchAt;
    private int next;

    Epoch(int offset, int batches, IntFunction<Batch> batchAt) {
        this.offset = offset;
        this.batches = batches;
        this.batchAt = batchAt;
    }

    /** Where in the corpus this epoch starts, in [0, steps). */
    public int offset() {
        return offset;
    }

    /** How many batches this epoch has. */
    public int batches() {
        return batches;
    }

    /**
     * Batch {@code index} of this epoch, in [0, batches), without iterating: a worker that continues an
     * epoch partway (a round of data-parallel training) starts where the last round ended.
     */
    public Batch batch(int index) {
        if (index < 0 || index >= batches) throw new IndexOutOfBoundsException("batch " + index + " of an epoch of " + batches);
        return batchAt.apply(index);
    }

    @Override
    public boolean hasNext() {
        return next < batches;
    }

    @Override
    public Batch next() {
        if (next >= batches) throw new NoSuchElementException("epoch has " + batches + " batches");
        return batchAt.apply(next++);
    }

    @Override
    public Iterator<Batch> iterator() {
        return this;
    }
}
