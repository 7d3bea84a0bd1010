/**
 * The binary protocol's frames, byte for byte as {@code docs/protocol.md} describes them: one class per message with
 * its offsets and its encoder and decoder, over a bounds-checked {@link io.tidemark.client.protocol.FrameReader} and a
 * growable {@link io.tidemark.client.protocol.FrameWriter}. Client and server share these classes.
 */
package io.tidemark.client.protocol;
