package io.tidemark.tiering.block;

/**
 * Decodes one entry of the SERIES section:
 * <pre>
 *   labels: uvarint n | n x (name ref: uvarint, value ref: uvarint) | chunks: uvarint m |
 *   m x (min time - previous max time: zigzag varint | max time - min time: uvarint | page: uvarint | offset: uvarint)
 * </pre>
 * (previous max time is 0 for the first chunk). Every field is bounds-checked against the entry's
 * section, and counts are bounded by the bytes left, so damage cannot make it loop or over-allocate.
 */
final class SeriesEntryDecoder {
    private SeriesEntryDecoder() {
    }

    static void decode(final BlockIndex index, final int id, final long seriesCount, final BlockSeries into) {
        final long offsets = index.sectionOffset(BlockLayout.SERIES_OFFSETS);
        final long start = index.sectionOffset(BlockLayout.SERIES);
        final long end = start + index.sectionLength(BlockLayout.SERIES);
        final long offsetField = offsets + (long) id * BlockLayout.SERIES_OFFSET_BYTES;
        final long relative = index.bytes().get(BlockLayout.I64, offsetField);
        if (relative < 0 || relative >= end - start) {
            throw index.corrupt(offsetField, "series " + id + " offset " + relative + " outside the SERIES section");
        }
        long at = start + relative;
        final long labels = index.uvarint(at, end);
        at += BlockIndex.uvarintBytes(labels);
        // each label takes at least 2 bytes, each chunk at least 4
        if (labels == 0 || labels > (end - at) / 2) {
            throw index.corrupt(at, "series " + id + " label count " + labels + " impossible here");
        }
        final long labelsAt = at;
        for (long i = 0; i < 2 * labels; i++) {
            at += BlockIndex.uvarintBytes(index.uvarint(at, end));
        }
        final long chunks = index.uvarint(at, end);
        at += BlockIndex.uvarintBytes(chunks);
        if (chunks == 0 || chunks > (end - at) / 4) {
            throw index.corrupt(at, "series " + id + " chunk count " + chunks + " impossible here");
        }
        into.reset((int) labels, (int) chunks);
        long labelAt = labelsAt;
        for (int i = 0; i < labels; i++) {
            final long nameRef = index.uvarint(labelAt, end);
            final long nameAt = labelAt;
            labelAt += BlockIndex.uvarintBytes(nameRef);
            final long valueRef = index.uvarint(labelAt, end);
            into.setLabel(i, index.symbol(nameRef, nameAt), index.symbol(valueRef, labelAt));
            labelAt += BlockIndex.uvarintBytes(valueRef);
        }
        long previousMax = 0;
        for (int i = 0; i < chunks; i++) {
            final long zigzag = index.uvarint(at, end);
            at += BlockIndex.uvarintBytes(zigzag);
            final long minTime = previousMax + ((zigzag >>> 1) ^ -(zigzag & 1));
            final long span = index.uvarint(at, end);
            at += BlockIndex.uvarintBytes(span);
            final long page = index.uvarint(at, end);
            if (page > 0xFFFF_FFFFL) {
                throw index.corrupt(at, "series " + id + " chunk page " + page + " above u32");
            }
            at += BlockIndex.uvarintBytes(page);
            final long offset = index.uvarint(at, end);
            if (offset > 0xFFFF_FFFFL) {
                throw index.corrupt(at, "series " + id + " chunk offset " + offset + " above u32");
            }
            at += BlockIndex.uvarintBytes(offset);
            previousMax = minTime + span;
            into.addChunk(minTime, previousMax, BlockLayout.chunkRef((int) page, (int) offset));
        }
    }
}
