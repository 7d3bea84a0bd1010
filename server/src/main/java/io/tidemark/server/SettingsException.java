package io.tidemark.server;

/** A command line, environment variable or config file the server cannot use; the message is one line for the user. */
public final class SettingsException extends Exception {
    private static final long serialVersionUID = 1L;

    /** A problem described by {@code message}. */
    public SettingsException(final String message) {
        super(message);
    }
}
