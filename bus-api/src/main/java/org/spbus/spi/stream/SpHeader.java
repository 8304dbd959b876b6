package org.spbus.spi.stream;

import java.nio.ByteBuffer;

import org.spbus.ProtocolException;

/**
 * The 8-byte SP connection header both sides send at once when a stream connects:
 * {@code 00 'S' 'P' 00 | protocol id (16-bit big-endian) | 00 00}. Source: nanomsg RFC
 * {@code sp-tcp-mapping-01} and {@code sp-ipc-mapping-01}; NNG {@code src/sp/transport/tcp}
 * and {@code ipc} (the same bytes for TCP and IPC). Stateless and thread-safe.
 */
public final class SpHeader
{
    /** The header length in bytes. */
    public static final int SIZE = 8;

    private SpHeader()
    {
    }

    /**
     * Encodes the header a socket of {@code protocolId} sends.
     *
     * @param protocolId the 16-bit SP protocol id (BUS: 0x0070)
     * @return a new 8-byte array
     */
    public static byte[] encode(final int protocolId)
    {
        return new byte[] {0, 'S', 'P', 0, (byte)(protocolId >>> 8), (byte)protocolId, 0, 0};
    }

    /**
     * Writes the header into {@code buf} at its position, advancing it by {@link #SIZE}.
     *
     * @param buf        the destination, with at least 8 bytes remaining
     * @param protocolId the 16-bit SP protocol id
     * @throws java.nio.BufferOverflowException if fewer than 8 bytes remain
     */
    public static void put(final ByteBuffer buf, final int protocolId)
    {
        buf.put(encode(protocolId));
    }

    /**
     * Checks a received header with NNG's strictness (a superset of nanomsg's and mangos's):
     * magic {@code 00 'S' 'P'}, version 0, the expected peer protocol id, reserved bytes zero.
     *
     * @param header         the 8 received bytes
     * @param peerProtocolId the only protocol id accepted
     * @throws ProtocolException naming what is wrong, if anything is
     * @throws IllegalArgumentException if {@code header} is not 8 bytes long
     */
    public static void check(final byte[] header, final int peerProtocolId)
    {
        if (header.length != SIZE)
        {
            throw new IllegalArgumentException("an SP header is 8 bytes, got " + header.length);
        }
        if (header[0] != 0 || header[1] != 'S' || header[2] != 'P')
        {
            throw new ProtocolException("not an SP peer: header " + hex(header));
        }
        if (header[3] != 0)
        {
            throw new ProtocolException("unsupported SP version " + (header[3] & 0xFF) + ": header " + hex(header));
        }
        final int id = ((header[4] & 0xFF) << 8) | (header[5] & 0xFF);
        if (id != peerProtocolId)
        {
            throw new ProtocolException("peer protocol " + describe(id) + " is not accepted (expected "
                + describe(peerProtocolId) + "): header " + hex(header));
        }
        if (header[6] != 0 || header[7] != 0)
        {
            throw new ProtocolException("reserved bytes of the SP header are not zero: header " + hex(header));
        }
    }

    /**
     * Names a protocol id as NNG does, for messages: {@code 0x0070 (bus0)}.
     *
     * @param id the 16-bit protocol id
     * @return a description such as {@code 0x0010 (pair0)}
     */
    public static String describe(final int id)
    {
        final String name;
        switch (id)
        {
            case 0x10: name = "pair0"; break;
            case 0x11: name = "pair1"; break;
            case 0x20: name = "pub0"; break;
            case 0x21: name = "sub0"; break;
            case 0x30: name = "req0"; break;
            case 0x31: name = "rep0"; break;
            case 0x50: name = "push0"; break;
            case 0x51: name = "pull0"; break;
            case 0x62: name = "surveyor0"; break;
            case 0x63: name = "respondent0"; break;
            case 0x70: name = "bus0"; break;
            default: name = "unknown";
        }
        return String.format("0x%04x (%s)", id, name);
    }

    static String hex(final byte[] b)
    {
        final StringBuilder sb = new StringBuilder(b.length * 3);
        for (int i = 0; i < b.length; i++)
        {
            if (i > 0)
            {
                sb.append(' ');
            }
            sb.append(Character.forDigit((b[i] >> 4) & 0xF, 16)).append(Character.forDigit(b[i] & 0xF, 16));
        }
        return sb.toString();
    }
}
