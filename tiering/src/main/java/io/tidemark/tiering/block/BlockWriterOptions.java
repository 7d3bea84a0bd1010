package io.tidemark.tiering.block;

import io.tidemark.codecs.block.ZstdBlockCodec;

/**
 * How a {@link BlockWriter} lays out chunk data.
 *
 * @param pageBytes      uncompressed bytes after which a page is cut (a larger chunk gets a page of its own)
 * @param chunkFileBytes a chunk file is closed before it would pass this size
 * @param zstdLevel      zstd compression level of pages
 * @param files          the file operations (a fault-injecting one in tests)
 */
public record BlockWriterOptions(int pageBytes, long chunkFileBytes, int zstdLevel, BlockFileSystem files) {
    /** Validates the ranges. */
    public BlockWriterOptions {
        if (pageBytes < 64 || pageBytes > BlockLayout.MAX_PAGE_BYTES) {
            throw new IllegalArgumentException("pageBytes out of range [64, " + BlockLayout.MAX_PAGE_BYTES + "]: pageBytes=" + pageBytes);
        }
        if (chunkFileBytes < BlockLayout.FILE_HEADER_BYTES || chunkFileBytes > BlockLayout.MAX_CHUNK_FILE_BYTES) {
            throw new IllegalArgumentException("chunkFileBytes out of range: chunkFileBytes=" + chunkFileBytes);
        }
        if (files == null) {
            throw new IllegalArgumentException("files must not be null");
        }
    }

    /** 256 KiB pages, 512 MiB chunk files, zstd level 3, the real file system. */
    public static BlockWriterOptions defaults() {
        return new BlockWriterOptions(BlockLayout.DEFAULT_PAGE_BYTES, BlockLayout.DEFAULT_CHUNK_FILE_BYTES,
            ZstdBlockCodec.DEFAULT_LEVEL, BlockFileSystem.DEFAULT);
    }

    /** These options with another page size. */
    public BlockWriterOptions withPageBytes(final int bytes) {
        return new BlockWriterOptions(bytes, chunkFileBytes, zstdLevel, files);
    }

    /** These options with another chunk file size limit. */
    public BlockWriterOptions withChunkFileBytes(final long bytes) {
        return new BlockWriterOptions(pageBytes, bytes, zstdLevel, files);
    }

    /** These options with other file operations. */
    public BlockWriterOptions withFiles(final BlockFileSystem fileSystem) {
        return new BlockWriterOptions(pageBytes, chunkFileBytes, zstdLevel, fileSystem);
    }
}
