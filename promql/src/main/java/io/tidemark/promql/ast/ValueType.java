package io.tidemark.promql.ast;

/** The type a PromQL expression evaluates to, with Prometheus' internal and documented names. */
public enum ValueType {
    /** No value: only an empty argument list has it. */
    NONE("none", "none"),
    /** A single float without labels. */
    SCALAR("scalar", "scalar"),
    /** One sample per series at the evaluation time. */
    VECTOR("vector", "instant vector"),
    /** A range of samples per series. */
    MATRIX("matrix", "range vector"),
    /** A string literal. */
    STRING("string", "string");

    private final String internalName;
    private final String documentedName;

    ValueType(final String internalName, final String documentedName) {
        this.internalName = internalName;
        this.documentedName = documentedName;
    }

    /** The name used in some of Prometheus' messages, such as {@code matrix} in "got matrix instead". */
    public String internalName() {
        return internalName;
    }

    /** The user-facing name, such as {@code range vector}, as Prometheus' {@code DocumentedType} writes it. */
    public String documentedName() {
        return documentedName;
    }
}
