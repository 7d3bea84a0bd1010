package io.tidemark.engine.db;

/**
 * What compaction and retention have done since the database was opened, all tenants together.
 *
 * @param compactions              merged blocks written
 * @param blocksCompacted          blocks merged into them (and deleted)
 * @param bytesCompacted           bytes on disk of the blocks merged
 * @param bytesWrittenByCompaction bytes on disk of the merged blocks written
 * @param compactionFailures       compactions that failed (the inputs stay; retried at the next check)
 * @param blocksDeletedByRetention blocks deleted because they were too old or over the size limit
 * @param bytesDeletedByRetention  their bytes on disk
 */
public record BlockCounters(long compactions, long blocksCompacted, long bytesCompacted, long bytesWrittenByCompaction,
                            long compactionFailures, long blocksDeletedByRetention, long bytesDeletedByRetention) {
}
