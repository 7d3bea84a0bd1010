package io.tidemark.engine.db;

import io.tidemark.engine.wal.WalDiskFullException;

/**
 * A write refused because a shard's WAL cannot write: its file system is out of space (or quota).
 * Thrown to producers by {@link TenantAppender#append} and {@link TenantAppender#commit()} while the
 * disk is full; what the call could not publish stays buffered in the appender and goes with its next
 * commit (or is dropped by {@link TenantAppender#discard()}). Nothing acknowledged before is lost, and
 * the shard takes writes again by itself once the WAL can write: no restart is needed. A server
 * answers 503.
 *
 * <p>One instance is made per shard per disk-full episode and thrown to every producer, so it has
 * no stack trace and takes no suppressed exceptions; {@link #getCause()} is the WAL's error.
 */
public final class DiskFullException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    DiskFullException(final String tenant, final int shard, final WalDiskFullException cause) {
        super("disk full: WAL of tenant " + tenant + " shard " + shard + " cannot write: " + cause.getCause().getMessage()
            + "; write refused, writes resume by themselves when space returns", cause, false, false);
    }
}
