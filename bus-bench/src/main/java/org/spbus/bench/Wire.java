package org.spbus.bench;

/**
 * The benchmark message layout of {@code bench.c} (any size of at least 16 bytes): bytes 0-3
 * the sequence number (little-endian u32), byte 8 the kind ({@code 'P'} probe, {@code 'D'}
 * data), bytes 9-10 the sender id (little-endian); all other bytes zero.
 */
final class Wire
{
    static final int MIN_SIZE = 16;
    static final int KIND_OFF = 8;
    static final int ID_OFF = 9;
    static final byte PROBE = 'P';
    static final byte DATA = 'D';

    private Wire()
    {
    }

    static void fill(final byte[] m, final int seq, final byte kind, final int id)
    {
        m[0] = (byte)seq;
        m[1] = (byte)(seq >>> 8);
        m[2] = (byte)(seq >>> 16);
        m[3] = (byte)(seq >>> 24);
        m[KIND_OFF] = kind;
        m[ID_OFF] = (byte)id;
        m[ID_OFF + 1] = (byte)(id >>> 8);
    }

    static int seq(final byte[] m)
    {
        return (m[0] & 0xff) | (m[1] & 0xff) << 8 | (m[2] & 0xff) << 16 | (m[3] & 0xff) << 24;
    }

    static byte kind(final byte[] m)
    {
        return m[KIND_OFF];
    }

    static int id(final byte[] m)
    {
        return (m[ID_OFF] & 0xff) | (m[ID_OFF + 1] & 0xff) << 8;
    }
}
