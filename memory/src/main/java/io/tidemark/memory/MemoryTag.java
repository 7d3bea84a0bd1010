package io.tidemark.memory;

/**
 * What a native allocation is for. Bytes in use are counted per tag so that each part of the
 * database can be limited, exported as a self-metric and checked for leaks on its own.
 */
public enum MemoryTag {
    /** Scratch buffers of encoders and decoders. */
    CODEC_SCRATCH,
    /** Open chunks of the in-memory head. */
    HEAD_CHUNKS,
    /** Symbol table, series registry and postings. */
    INDEX,
    /** Write-ahead log buffers. */
    WAL,
    /** Sealed blocks: page buffers of readers and writers. */
    BLOCKS,
    /** Decoded chunks kept for queries, up to the cache's byte budget. */
    CHUNK_CACHE,
    /** Memory-mapped files. */
    MAPPED_FILES,
    /** Network buffers owned by Tidemark rather than by Netty. */
    NETWORK,
    /** Tests and benchmarks. */
    TEST;

    private static final MemoryTag[] VALUES = values();

    /** All tags, shared; callers must not modify the array. */
    static MemoryTag[] all() {
        return VALUES;
    }
}
