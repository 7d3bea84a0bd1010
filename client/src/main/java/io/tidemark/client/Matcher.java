package io.tidemark.client;

import io.tidemark.client.protocol.SelectFrame;
import java.util.Objects;

/**
 * A label matcher of {@link TidemarkClient#select}, as in PromQL: {@code name="value"}, {@code !=}, {@code =~} and
 * {@code !~} (regular expressions are anchored, RE2 syntax, evaluated by the server).
 *
 * @param type  how the value is compared
 * @param name  the label name
 * @param value the value or regular expression
 */
public record Matcher(Type type, String name, String value) {
    /** The four matcher types, with their wire codes. */
    public enum Type {
        /** {@code =}. */
        EQUAL(SelectFrame.EQUAL),
        /** {@code !=}. */
        NOT_EQUAL(SelectFrame.NOT_EQUAL),
        /** {@code =~}. */
        REGEX(SelectFrame.REGEX),
        /** {@code !~}. */
        NOT_REGEX(SelectFrame.NOT_REGEX);

        private final int wire;

        Type(final int wire) {
            this.wire = wire;
        }

        /** The matcher's {@code type} byte in SELECT. */
        public int wire() {
            return wire;
        }
    }

    /** Checks that nothing is null. */
    public Matcher {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(value, "value");
    }

    /** {@code name="value"}. */
    public static Matcher equal(final String name, final String value) {
        return new Matcher(Type.EQUAL, name, value);
    }

    /** {@code name!="value"}. */
    public static Matcher notEqual(final String name, final String value) {
        return new Matcher(Type.NOT_EQUAL, name, value);
    }

    /** {@code name=~"regex"}. */
    public static Matcher regex(final String name, final String regex) {
        return new Matcher(Type.REGEX, name, regex);
    }

    /** {@code name!~"regex"}. */
    public static Matcher notRegex(final String name, final String regex) {
        return new Matcher(Type.NOT_REGEX, name, regex);
    }

    SelectFrame.Matcher toFrame() {
        return new SelectFrame.Matcher(type.wire(), name, value);
    }
}
