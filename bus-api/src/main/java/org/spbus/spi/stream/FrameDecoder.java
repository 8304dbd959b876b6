package org.spbus.spi.stream;

import java.nio.ByteBuffer;

import org.spbus.ProtocolException;

/**
 * Decodes the frames of one stream after the SP header exchange (see {@link Framing}), from
 * reads of any size: a frame may be split at any byte, and one read may hold many frames.
 * The length is checked against the receive maximum size before the payload is allocated or
 * read, as NNG does. Not thread-safe: one decoder per pipe, used by one thread at a time.
 */
final class FrameDecoder
{
    private static final byte[] EMPTY = new byte[0];

    /** Receives decoded messages. */
    interface Sink
    {
        /**
         * Takes one whole message.
         *
         * @return false to stop decoding (the pipe was closed)
         */
        boolean message(byte[] body);

        /**
         * Returns an array of exactly {@code length} bytes for the next body.
         *
         * @param length the body's length in bytes
         * @return the array; by default a new one
         */
        default byte[] allocate(final int length)
        {
            return new byte[length];
        }
    }

    private final int headerSize;
    private final boolean typed;
    private final long maxSize;
    private final byte[] header = new byte[9];
    private int headerFill;
    private byte[] body;
    private int bodyFill;

    FrameDecoder(final Framing framing, final long maxSize)
    {
        this.headerSize = framing.headerSize();
        this.typed = framing == Framing.IPC;
        this.maxSize = maxSize;
    }

    /**
     * Decodes what {@code buf} holds, handing each whole message to {@code sink}.
     *
     * @return true to go on; false if the sink asked to stop
     * @throws ProtocolException on a bad IPC message type or a length over the maximum; the
     *                           decoder is then unusable and the pipe must close
     */
    boolean decode(final ByteBuffer buf, final Sink sink)
    {
        while (buf.hasRemaining())
        {
            if (body == null)
            {
                final long length;
                final byte type;
                if (headerFill == 0 && buf.remaining() >= headerSize)
                {
                    type = typed ? buf.get() : Framing.IPC_MSG_NORMAL;
                    length = buf.getLong();
                }
                else
                {
                    final int k = Math.min(buf.remaining(), headerSize - headerFill);
                    buf.get(header, headerFill, k);
                    headerFill += k;
                    if (headerFill < headerSize)
                    {
                        return true;
                    }
                    headerFill = 0;
                    final int off = headerSize - 8;
                    type = typed ? header[0] : Framing.IPC_MSG_NORMAL;
                    long l = 0;
                    for (int i = 0; i < 8; i++)
                    {
                        l = (l << 8) | (header[off + i] & 0xFF);
                    }
                    length = l;
                }
                if (type != Framing.IPC_MSG_NORMAL)
                {
                    throw new TooLargeOrMalformed(false, "unknown IPC message type " + (type & 0xFF)
                        + " (only 1 is defined)");
                }
                if (length < 0 || length > maxSize)
                {
                    throw new TooLargeOrMalformed(true, "peer announced a message of "
                        + Long.toUnsignedString(length) + " bytes, over the receive maximum size of " + maxSize + " bytes");
                }
                if (length == 0)
                {
                    if (!sink.message(EMPTY))
                    {
                        return false;
                    }
                    continue;
                }
                body = sink.allocate((int)length);
                bodyFill = 0;
            }
            final int k = Math.min(buf.remaining(), body.length - bodyFill);
            buf.get(body, bodyFill, k);
            bodyFill += k;
            if (bodyFill == body.length)
            {
                final byte[] b = body;
                body = null;
                if (!sink.message(b))
                {
                    return false;
                }
            }
        }
        return true;
    }

    /** Whether a frame is partly decoded (a stream that ends now ends mid-message). */
    boolean inFrame()
    {
        return headerFill > 0 || body != null;
    }

    /** Drops a partial frame. */
    void reset()
    {
        headerFill = 0;
        body = null;
    }

    /** A framing error: {@link #tooLarge} tells an oversize length from a malformed frame. */
    static final class TooLargeOrMalformed extends ProtocolException
    {
        private static final long serialVersionUID = 1L;
        final boolean tooLarge;

        TooLargeOrMalformed(final boolean tooLarge, final String message)
        {
            super(message);
            this.tooLarge = tooLarge;
        }
    }
}
