/**
 * JMH benchmarks. Each reports nanoseconds per sample (operations per invocation = samples) so that
 * figures compare directly with {@code ./tidemark bench}; run with {@code -prof gc} for allocation.
 */
package io.tidemark.bench.jmh;
