package dev.rnnlab.nn;

import dev.rnnlab.RnnlabException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Every parameter of a model in one contiguous {@code float[]}, with its gradient in a second one of the
 * same layout, and named row-major views ({@link Tensor}) into both. Layers register their tensors while
 * the model is built; {@link #allocate()} then fixes the layout.
 */
public final class Parameters {

    /** A named view: {@code shape} row-major at {@code values[offset .. offset + size)}. */
    public record Tensor(String name, int[] shape, int offset, int size) {
        /** The shape as text, e.g. {@code [4, 8]}. */
        public String shapeString() {
            return Arrays.toString(shape);
        }
    }

    private final Map<String, Tensor> tensors = new LinkedHashMap<>();
    private final Map<String, String> aliases = new LinkedHashMap<>();  // tied name -> the tensor it shares
    private int size;
    private float[] values;
    private float[] grads;

    Tensor add(String name, int... shape) {
        if (values != null) throw new IllegalStateException("parameters already allocated");
        if (tensors.containsKey(name)) throw new IllegalArgumentException("duplicate parameter " + name);
        int n = 1;
        for (int d : shape) n = Math.multiplyExact(n, d);
        Tensor t = new Tensor(name, shape.clone(), size, n);
        tensors.put(name, t);
        size += n;
        return t;
    }

    /**
     * A second name for {@code of}'s values (weight tying): the same slots, so its gradient and the
     * original's accumulate into one, and an optimizer updates them once. {@link #tensors()} lists both, so
     * a checkpoint holds both names, as PyTorch's state dict of a tied model does.
     */
    Tensor alias(String name, Tensor of) {
        if (values != null) throw new IllegalStateException("parameters already allocated");
        if (tensors.containsKey(name)) throw new IllegalArgumentException("duplicate parameter " + name);
        Tensor t = new Tensor(name, of.shape().clone(), of.offset(), of.size());
        tensors.put(name, t);
        aliases.put(name, of.name());
        return t;
    }

    /** The tied names: each second name and the tensor whose values it shares. */
    public Map<String, String> aliases() {
        return Collections.unmodifiableMap(aliases);
    }

    void allocate() {
        values = new float[size];
        grads = new float[size];
    }

    /**
     * Makes this block read and write {@code other}'s values (same layout required), keeping its own
     * gradients: how the replicas of a {@link ShardedModel} share one set of weights.
     */
    void shareValuesOf(Parameters other) {
        if (other.size != size || !other.tensors.keySet().equals(tensors.keySet())) {
            throw new IllegalArgumentException("parameter layouts differ");
        }
        values = other.values;
    }

    /** All parameter values, in registration order. */
    public float[] values() {
        return values;
    }

    /** The gradients, same layout as {@link #values()}. */
    public float[] grads() {
        return grads;
    }

    /** The total number of parameter values (a tied tensor's counted once). */
    public int size() {
        return size;
    }

    /** The tensors, in registration order. */
    public List<Tensor> tensors() {
        return Collections.unmodifiableList(new ArrayList<>(tensors.values()));
    }

    /** The tensor called {@code name}; a clear error when the model has none such. */
    public Tensor tensor(String name) {
        Tensor t = tensors.get(name);
        if (t == null) throw new RnnlabException("the model has no parameter '" + name + "' (it has " + tensors.keySet() + ")");
        return t;
    }

    /** Whether the model has a parameter called {@code name}. */
    public boolean has(String name) {
        return tensors.containsKey(name);
    }

    /** Sets every gradient to 0. */
    public void zeroGrads() {
        Arrays.fill(grads, 0f);
    }

    /** Copies {@code data} into the named tensor, checking its shape. */
    public void set(String name, int[] shape, float[] data) {
        Tensor t = tensor(name);
        if (!Arrays.equals(t.shape(), shape) || data.length != t.size()) {
            throw new RnnlabException("parameter '" + name + "' has shape " + t.shapeString() + " but the data has shape "
                    + Arrays.toString(shape) + " (" + data.length + " values)");
        }
        System.arraycopy(data, 0, values, t.offset(), t.size());
    }

    /** A copy of the named tensor's values. */
    public float[] get(String name) {
        Tensor t = tensor(name);
        return Arrays.copyOfRange(values, t.offset(), t.offset() + t.size());
    }

    /** A copy of the named tensor's gradient. */
    public float[] grad(String name) {
        Tensor t = tensor(name);
        return Arrays.copyOfRange(grads, t.offset(), t.offset() + t.size());
    }
}
