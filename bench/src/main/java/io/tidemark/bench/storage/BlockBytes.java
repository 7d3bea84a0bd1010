package io.tidemark.bench.storage;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * What a tenant's sealed blocks take on disk, by file kind ({@code docs/format/block.md}): the
 * {@code index}, the {@code chunks/*} files and the {@code meta} file of every complete block directory
 * (temporary {@code *.tmp} directories are left out). Apparent file sizes, in bytes.
 *
 * @param blocks     complete block directories
 * @param indexBytes every block's {@code index}
 * @param chunkBytes every block's chunk files
 * @param metaBytes  every block's {@code meta}
 */
record BlockBytes(int blocks, long indexBytes, long chunkBytes, long metaBytes) {
    /** Everything: index, chunks and meta. */
    long total() {
        return indexBytes + chunkBytes + metaBytes;
    }

    /** Measures the blocks under {@code blocksDirectory} (a tenant's {@code blocks/}); zeros if it does not exist. */
    static BlockBytes measure(final Path blocksDirectory) throws IOException {
        if (!Files.isDirectory(blocksDirectory)) {
            return new BlockBytes(0, 0, 0, 0);
        }
        final List<Path> blocks;
        try (Stream<Path> listed = Files.list(blocksDirectory)) {
            blocks = listed.filter(Files::isDirectory).filter(path -> !path.getFileName().toString().endsWith(".tmp")).toList();
        }
        long index = 0;
        long chunks = 0;
        long meta = 0;
        for (final Path block : blocks) {
            index += sizeIfPresent(block.resolve("index"));
            meta += sizeIfPresent(block.resolve("meta"));
            try (Stream<Path> files = Files.list(block.resolve("chunks"))) {
                for (final Path file : files.filter(Files::isRegularFile).toList()) {
                    chunks += Files.size(file);
                }
            }
        }
        return new BlockBytes(blocks.size(), index, chunks, meta);
    }

    private static long sizeIfPresent(final Path file) throws IOException {
        return Files.isRegularFile(file) ? Files.size(file) : 0;
    }
}
