package io.tidemark.server.remote;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;

/** Reads the metadata entries of a request whose structure {@link WriteRequestDecoder#decode} has checked. */
final class MetadataReader {
    private MetadataReader() {
    }

    static void read(final ProtoCursor in, final long length, final String tenant, final MetadataSink sink) {
        final MemorySegment body = in.segment();
        in.position(0);
        while (in.position() < length) {
            final int tag = in.tag(length);
            if (tag >>> 3 != WriteRequestDecoder.REQUEST_METADATA) {
                in.skip(tag & 7, length);
                continue;
            }
            final long end = in.delimitedEnd(length);
            int type = 0;
            String family = "";
            String help = "";
            String unit = "";
            while (in.position() < end) {
                final int field = in.tag(end);
                switch (field >>> 3) {
                    case WriteRequestDecoder.METADATA_TYPE -> type = (int) in.varint(end);
                    case WriteRequestDecoder.METADATA_FAMILY_NAME, WriteRequestDecoder.METADATA_HELP, WriteRequestDecoder.METADATA_UNIT -> {
                        final long stringEnd = in.delimitedEnd(end);
                        final String text = new String(body.asSlice(in.position(), stringEnd - in.position())
                            .toArray(ValueLayout.JAVA_BYTE), StandardCharsets.UTF_8);
                        in.position(stringEnd);
                        if (field >>> 3 == WriteRequestDecoder.METADATA_FAMILY_NAME) {
                            family = text;
                        } else if (field >>> 3 == WriteRequestDecoder.METADATA_HELP) {
                            help = text;
                        } else {
                            unit = text;
                        }
                    }
                    default -> in.skip(field & 7, end);
                }
            }
            sink.metadata(tenant, type, family, help, unit);
        }
    }
}
