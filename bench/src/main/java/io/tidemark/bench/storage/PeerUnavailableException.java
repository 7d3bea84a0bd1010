package io.tidemark.bench.storage;

/** The comparison peer could not be found, started or fed; the bench prints the reason and goes on. */
final class PeerUnavailableException extends Exception {
    private static final long serialVersionUID = 1L;

    PeerUnavailableException(final String reason) {
        super(reason);
    }

    PeerUnavailableException(final String reason, final Throwable cause) {
        super(reason, cause);
    }
}
