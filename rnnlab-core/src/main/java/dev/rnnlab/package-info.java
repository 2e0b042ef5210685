/**
 * rnnlab: recurrent sequence models on the JVM. Packages follow the data's path:
 * {@code text} -> {@code data} -> {@code nn} -> {@code bptt} -> {@code train} -> {@code generate},
 * beside {@code tensor} (storage, GEMM, kernels), {@code stats}, {@code lm}, {@code series}, {@code io},
 * {@code plot} and {@code cli}; {@code run} assembles a run from its spec, and {@code serve} and
 * {@code dashboard} put a model and a run's progress on the web.
 */
package dev.rnnlab;
