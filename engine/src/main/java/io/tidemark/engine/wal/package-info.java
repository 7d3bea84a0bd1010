/**
 * The write-ahead log of one shard: segment files of CRC32C-framed records ({@code SERIES},
 * {@code SAMPLES}), written by the shard thread with group commit and replayed on open, cutting a
 * torn or corrupt tail; checkpoints ({@link io.tidemark.engine.wal.WalCheckpoint}, made on a
 * background thread) replace the oldest segments by their series and recent samples. Layouts are in
 * {@link io.tidemark.engine.wal.SegmentHeaderLayout}, {@link io.tidemark.engine.wal.WalRecordLayout},
 * {@link io.tidemark.engine.wal.CheckpointLayout} and {@code docs/format/wal.md}.
 *
 * <p>Memory: a {@link io.tidemark.engine.wal.WalWriter} owns one off-heap write buffer, taken from
 * the caller's {@link io.tidemark.memory.NativeAllocator} under
 * {@link io.tidemark.memory.MemoryTag#WAL} and freed on close. Replay maps one segment at a time
 * (counted under {@link io.tidemark.memory.MemoryTag#MAPPED_FILES}); the views handed to a
 * {@link io.tidemark.engine.wal.WalVisitor} point into that mapping and are valid only during the
 * callback. A checkpoint takes a 1 MiB buffer under {@link io.tidemark.memory.MemoryTag#WAL} and
 * maps one file at a time, for the duration of the call.
 *
 * <p>Disk full: a write or segment creation that fails for want of space leaves the writer
 * {@linkplain io.tidemark.engine.wal.WalWriter#diskFull() disk full}, not failed: it keeps what it did
 * not write, acknowledges nothing more, and {@link io.tidemark.engine.wal.WalWriter#resume()} retries
 * ({@link io.tidemark.engine.wal.WalDiskFullException}); a failed {@code fsync} is always fatal.
 *
 * <p>Ordering: in {@link io.tidemark.engine.wal.Durability#FSYNC} mode a record or mark is published
 * in {@link io.tidemark.engine.wal.DurablePosition} only after a force that covers it has returned;
 * the jcstress scenarios {@code WalGroupCommitTests} in {@code jcstress-tests} check it.
 */
package io.tidemark.engine.wal;
