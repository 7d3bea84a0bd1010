package io.tidemark.bench;

import java.util.HashMap;
import java.util.Map;

/** {@code --key value} options of a bench command, with typed defaults and clear errors. */
public final class BenchOptions {
    private final Map<String, String> values;

    private BenchOptions(final Map<String, String> values) {
        this.values = values;
    }

    /** Parses {@code --key value} pairs. */
    public static BenchOptions parse(final String[] args) {
        final Map<String, String> values = new HashMap<>();
        for (int i = 0; i < args.length; i++) {
            if (!args[i].startsWith("--") || i + 1 >= args.length) {
                throw new BadOption("expected --key value pairs, got '" + args[i] + "'", null);
            }
            values.put(args[i].substring(2), args[++i]);
        }
        return new BenchOptions(values);
    }

    /** The option's text, or {@code fallback}. */
    public String text(final String key, final String fallback) {
        return values.getOrDefault(key, fallback);
    }

    /** The option as an int, or {@code fallback}. */
    public int integer(final String key, final int fallback) {
        final String text = values.get(key);
        if (text == null) {
            return fallback;
        }
        try {
            return Integer.parseInt(text);
        } catch (final NumberFormatException e) {
            throw new BadOption("--" + key + " must be an integer, got '" + text + "'", e);
        }
    }

    /** Whether the option was given. */
    public boolean has(final String key) {
        return values.containsKey(key);
    }

    /** An option the user gave wrong: the bench says so in one line, without a stack trace. */
    public static final class BadOption extends IllegalArgumentException {
        private static final long serialVersionUID = 1L;

        BadOption(final String message, final Throwable cause) {
            super(message, cause);
        }
    }
}
