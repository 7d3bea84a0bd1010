package io.tidemark.promql.ast;

import java.util.List;

/**
 * A PromQL function's signature, as in Prometheus' {@code parser.Functions}. {@code variadic} is 0 for a fixed
 * argument count; otherwise the last of {@code argTypes} is optional and may repeat up to {@code variadic} times
 * (-1: without limit), so between {@code argTypes.size() - 1} and {@code argTypes.size() - 1 + variadic} arguments are
 * accepted. {@code experimental} functions need {@code ParserOptions.experimentalFunctions()};
 * {@code nativeHistogramOnly} ones only produce results for native histograms, which Tidemark does not store, so on
 * floats they return nothing; {@code prometheus2Only} ones exist only in Prometheus 2.x and need the
 * {@code PROMETHEUS2} compatibility setting.
 */
public record Function(String name, List<ValueType> argTypes, int variadic, ValueType returnType,
                       boolean experimental, boolean nativeHistogramOnly, boolean prometheus2Only) {

    /** Copies the argument types, which are immutable from here on. */
    public Function {
        argTypes = List.copyOf(argTypes);
    }

    /** The fewest arguments a call may pass. */
    public int minArgs() {
        return variadic == 0 ? argTypes.size() : argTypes.size() - 1;
    }

    /** The most arguments a call may pass, or {@link Integer#MAX_VALUE} without limit. */
    public int maxArgs() {
        if (variadic == 0) {
            return argTypes.size();
        }
        return variadic < 0 ? Integer.MAX_VALUE : argTypes.size() - 1 + variadic;
    }

    /** The type argument {@code index} must have (the last declared type for the repeated tail). */
    public ValueType argType(final int index) {
        return argTypes.get(Math.min(index, argTypes.size() - 1));
    }
}
