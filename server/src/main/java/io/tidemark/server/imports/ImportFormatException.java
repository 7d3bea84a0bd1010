package io.tidemark.server.imports;

/** A line of an import body that cannot be parsed; the message says what and where in the line. */
public final class ImportFormatException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** A parse error: {@code problem} at byte {@code column} (0-based) of the line. */
    public ImportFormatException(final String problem, final int column) {
        super(problem + " at column " + (column + 1), null, false, false);
    }
}
