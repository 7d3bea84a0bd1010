package io.tidemark.promql.ast;

/**
 * The {@code @} modifier of a selector or subquery: absent, a fixed timestamp ({@code @ 1609746000}, kept in
 * milliseconds, rounded as Prometheus' {@code timestamp.FromFloatSeconds}), or the query's {@code start()} or
 * {@code end()}.
 */
public record AtModifier(Kind kind, long timestampMillis) {
    /** No {@code @} modifier. */
    public static final AtModifier NONE = new AtModifier(Kind.NONE, 0);
    /** {@code @ start()}. */
    public static final AtModifier START = new AtModifier(Kind.START, 0);
    /** {@code @ end()}. */
    public static final AtModifier END = new AtModifier(Kind.END, 0);

    /** What the modifier refers to. */
    public enum Kind {
        /** No modifier: evaluate at each step's time. */
        NONE,
        /** A fixed time, {@link #timestampMillis()}. */
        TIMESTAMP,
        /** The start of the query range. */
        START,
        /** The end of the query range. */
        END
    }

    /** {@code @ <seconds>}, with the time in milliseconds since the epoch. */
    public static AtModifier at(final long timestampMillis) {
        return new AtModifier(Kind.TIMESTAMP, timestampMillis);
    }

    /** True unless this is {@link #NONE}. */
    public boolean isSet() {
        return kind != Kind.NONE;
    }

    /** The modifier as printed after a selector, with its leading space ({@code " @ 10.000"}), or "" if absent. */
    @Override
    public String toString() {
        return switch (kind) {
            case NONE -> "";
            case TIMESTAMP -> " @ " + PromQlFormat.atTimestamp(timestampMillis);
            case START -> " @ start()";
            case END -> " @ end()";
        };
    }
}
