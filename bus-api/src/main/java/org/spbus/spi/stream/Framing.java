package org.spbus.spi.stream;

import java.nio.ByteBuffer;

/**
 * How messages are framed on a stream after the SP header exchange.
 *
 * <ul>
 *   <li>{@link #TCP}: a 64-bit big-endian length, then the payload (SP TCP mapping;
 *       NNG {@code src/sp/transport/tcp/tcp.c}).</li>
 *   <li>{@link #IPC}: a message-type byte {@code 0x01}, a 64-bit big-endian length, then the
 *       payload (SP IPC mapping; NNG {@code src/sp/transport/ipc/ipc.c}; the type value is 1,
 *       nanomsg issue #604). A type other than 1 closes the pipe, as NNG does.</li>
 * </ul>
 * The length counts the payload only. Thread-safe (stateless).
 */
public enum Framing
{
    /** Length-prefixed frames: {@code u64 BE length | payload}. */
    TCP(8),
    /** Typed, length-prefixed frames: {@code 0x01 | u64 BE length | payload}. */
    IPC(9);

    /** The only IPC message type defined: an in-band message. */
    public static final byte IPC_MSG_NORMAL = 1;

    private final int headerSize;

    Framing(final int headerSize)
    {
        this.headerSize = headerSize;
    }

    /**
     * Returns the bytes in front of each payload.
     *
     * @return 8 for TCP, 9 for IPC
     */
    public int headerSize()
    {
        return headerSize;
    }

    /**
     * Writes the frame header for a payload of {@code length} bytes at the buffer's position.
     *
     * @param buf    the destination, with at least {@link #headerSize()} bytes remaining
     * @param length the payload length in bytes
     * @throws java.nio.BufferOverflowException if there is not room
     */
    public void putHeader(final ByteBuffer buf, final long length)
    {
        if (this == IPC)
        {
            buf.put(IPC_MSG_NORMAL);
        }
        buf.putLong(length);
    }

    /**
     * Encodes a whole frame, for tests and tools.
     *
     * @param payload the payload
     * @return header and payload in one new array
     */
    public byte[] encode(final byte[] payload)
    {
        final ByteBuffer b = ByteBuffer.allocate(headerSize + payload.length);
        putHeader(b, payload.length);
        b.put(payload);
        return b.array();
    }
}
