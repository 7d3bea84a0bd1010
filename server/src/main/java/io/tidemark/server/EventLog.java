package io.tidemark.server;

import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;

/**
 * Logs one {@code key=value} event line through {@link System.Logger}, except once a JVM shutdown has begun: then
 * {@code java.util.logging}'s own shutdown hook may already have removed its handlers, so the line goes straight to
 * standard error in the same format, and the shutdown steps are not lost.
 */
public final class EventLog {
    /** The same time format as the {@code java.util.logging} format the server sets. */
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSZ");
    private static volatile boolean shuttingDown;

    private EventLog() {
    }

    /** From now on, write events to standard error directly. */
    static void jvmShuttingDown() {
        shuttingDown = true;
    }

    public static void info(final System.Logger logger, final String event) {
        log(logger, System.Logger.Level.INFO, event);
    }

    public static void log(final System.Logger logger, final System.Logger.Level level, final String event) {
        if (shuttingDown) {
            System.err.println(TIME.format(ZonedDateTime.now()) + " level=" + level.getName() + " logger="
                + logger.getName() + " " + event);
            System.err.flush();
        } else {
            logger.log(level, event);
        }
    }
}
