package org.spbus.cli;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;

/**
 * How received messages are written to stdout: nngcat 1.5.2's {@code printmsg()}, byte for
 * byte (see {@code nngcat-spec.md} section 2). Stateless and thread-safe.
 */
enum OutputFormat
{
    /** {@code --format no}, and the default when no format is given: prints nothing. */
    NONE,
    /** {@code --raw}: the body as is, no separator. */
    RAW,
    /** {@code --ascii}/{@code -A}: bytes 0x20-0x7E as is, every other byte as {@code .}; no separator. */
    ASCII,
    /** {@code --quoted}/{@code -Q}: a C-like quoted string and a newline. */
    QUOTED,
    /** {@code --hex}: {@code "} then {@code \xNN} for every byte, {@code "} and a newline. */
    HEX,
    /** {@code --msgpack}: a msgpack bin8/bin16/bin32 header, then the body. */
    MSGPACK;

    private static final byte[] HEX_DIGITS = "0123456789abcdef".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    /**
     * Returns the format named by {@code --format}'s argument, compared exactly (lowercase) as
     * nngcat does.
     *
     * @param name {@code no}, {@code ascii}, {@code hex}, {@code msgpack}, {@code quoted} or {@code raw}
     * @return the format, or {@code null} if the name is not one of those
     */
    static OutputFormat byName(final String name)
    {
        switch (name)
        {
            case "no":
                return NONE;
            case "ascii":
                return ASCII;
            case "hex":
                return HEX;
            case "quoted":
                return QUOTED;
            case "raw":
                return RAW;
            case "msgpack":
                return MSGPACK;
            default:
                return null;
        }
    }

    /**
     * Formats one message.
     *
     * @param body the message body, possibly empty; not modified
     * @return the bytes to write for it (empty for {@link #NONE} and for an empty message in
     *         {@link #RAW} or {@link #ASCII})
     */
    byte[] format(final byte[] body)
    {
        final ByteArrayOutputStream out = new ByteArrayOutputStream(body.length * (this == HEX ? 4 : 1) + 8);
        try
        {
            write(body, out);
        }
        catch (final IOException e)
        {
            throw new AssertionError("ByteArrayOutputStream does not throw", e);
        }
        return out.toByteArray();
    }

    /**
     * Writes one formatted message to {@code out}. Does not flush.
     *
     * @param body the message body, possibly empty; not modified
     * @param out  where to write
     * @throws IOException if {@code out} fails
     */
    void write(final byte[] body, final OutputStream out) throws IOException
    {
        switch (this)
        {
            case NONE:
                return;
            case RAW:
                out.write(body);
                return;
            case ASCII:
            {
                final byte[] b = new byte[body.length];
                for (int i = 0; i < body.length; i++)
                {
                    b[i] = isPrint(body[i]) ? body[i] : (byte)'.';
                }
                out.write(b);
                return;
            }
            case QUOTED:
                out.write(quoted(body));
                return;
            case HEX:
            {
                final byte[] b = new byte[body.length * 4 + 3];
                int n = 0;
                b[n++] = '"';
                for (final byte x : body)
                {
                    b[n++] = '\\';
                    b[n++] = 'x';
                    b[n++] = HEX_DIGITS[(x >> 4) & 0xF];
                    b[n++] = HEX_DIGITS[x & 0xF];
                }
                b[n++] = '"';
                b[n++] = '\n';
                out.write(b, 0, n);
                return;
            }
            case MSGPACK:
                out.write(msgpackHeader(body.length));
                out.write(body);
                return;
            default:
                throw new AssertionError(this);
        }
    }

    /** C's {@code isprint()} in the "C" locale: 0x20 to 0x7E. */
    private static boolean isPrint(final byte b)
    {
        return b >= 0x20 && b <= 0x7E;
    }

    private static byte[] quoted(final byte[] body)
    {
        final byte[] b = new byte[body.length * 4 + 3];
        int n = 0;
        b[n++] = '"';
        for (final byte x : body)
        {
            switch (x)
            {
                case '\n':
                    b[n++] = '\\';
                    b[n++] = 'n';
                    break;
                case '\r':
                    b[n++] = '\\';
                    b[n++] = 'r';
                    break;
                case '\t':
                    b[n++] = '\\';
                    b[n++] = 't';
                    break;
                case '"':
                case '\\':
                    b[n++] = '\\';
                    b[n++] = x;
                    break;
                default:
                    if (isPrint(x))
                    {
                        b[n++] = x;
                    }
                    else
                    {
                        b[n++] = '\\';
                        b[n++] = 'x';
                        b[n++] = HEX_DIGITS[(x >> 4) & 0xF];
                        b[n++] = HEX_DIGITS[x & 0xF];
                    }
                    break;
            }
        }
        b[n++] = '"';
        b[n++] = '\n';
        return java.util.Arrays.copyOf(b, n);
    }

    /**
     * Returns the msgpack bin header nngcat writes for a body of {@code len} bytes: bin8
     * ({@code c4}) below 256, bin16 ({@code c5}) below 65536, else bin32 ({@code c6}); the
     * length big-endian.
     *
     * @param len the body length, 0 or more
     * @return 2, 3 or 5 bytes
     */
    static byte[] msgpackHeader(final int len)
    {
        if (len < 256)
        {
            return new byte[] {(byte)0xc4, (byte)len};
        }
        if (len < 65536)
        {
            return new byte[] {(byte)0xc5, (byte)(len >> 8), (byte)len};
        }
        return new byte[] {(byte)0xc6, (byte)(len >>> 24), (byte)(len >> 16), (byte)(len >> 8), (byte)len};
    }
}
