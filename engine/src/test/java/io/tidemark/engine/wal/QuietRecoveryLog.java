package io.tidemark.engine.wal;

import java.util.logging.Level;
import java.util.logging.Logger;

/** Silences recovery's cut warnings while a test provokes hundreds of them on purpose. */
final class QuietRecoveryLog implements AutoCloseable {
    private final Logger logger = Logger.getLogger(WalRecovery.class.getName());
    private final Level previous = logger.getLevel();

    QuietRecoveryLog() {
        logger.setLevel(Level.SEVERE);
    }

    @Override
    public void close() {
        logger.setLevel(previous);
    }
}
