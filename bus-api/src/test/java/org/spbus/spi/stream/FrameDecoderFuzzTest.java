package org.spbus.spi.stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayOutputStream;
import java.lang.reflect.Field;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.constraints.Size;
import org.spbus.BusOptions;

/**
 * Fuzzes {@link FrameDecoder} for both {@link Framing}s (sp-wire-protocol.md sections 3.1, 3.2,
 * 3.5, 3.7). The decoder sees whatever a peer writes, cut into reads of any size, so the
 * properties are:
 * <ul>
 *   <li>frames encoded from random messages and cut into random chunks (heap, offset, direct and
 *       read-only buffers) decode to exactly the same messages, in order, and {@code inFrame()}
 *       is true exactly when a read ended inside a frame;</li>
 *   <li>any bytes at all (uniform garbage, and valid streams with random bytes overwritten)
 *       decode to exactly what a small independent reference parser finds, however they are
 *       chunked; the only exception ever thrown is {@link FrameDecoder.TooLargeOrMalformed},
 *       with {@code tooLarge} telling the two cases apart; no message and no body buffer is
 *       ever longer than the maximum size;</li>
 *   <li>lengths around the maximum size: equal is accepted, one more is refused on the 8 length
 *       bytes alone; every length a Java array cannot hold is refused;</li>
 *   <li>an IPC type byte other than 1 is malformed whatever length follows;</li>
 *   <li>a sink that says stop leaves the buffer right behind the message it refused.</li>
 * </ul>
 * Tries per property: {@code jqwik.tries.default}, 2000 in {@code junit-platform.properties};
 * a long run: {@code mvn -pl bus-api verify -Djqwik.tries.default=200000 -Dtest=FrameDecoderFuzzTest}.
 */
class FrameDecoderFuzzTest
{
    private static final Field BODY;

    static
    {
        try
        {
            BODY = FrameDecoder.class.getDeclaredField("body");
            BODY.setAccessible(true);
        }
        catch (final ReflectiveOperationException e)
        {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** How a read hands bytes to the decoder. */
    enum BufferKind
    {
        HEAP, HEAP_WITH_OFFSET, DIRECT, READ_ONLY
    }

    // ---------------------------------------------------------------- properties

    @Property
    void encodedMessages_anyChunking_decodeToTheSameMessagesInOrder(@ForAll final Framing framing,
        @ForAll @Size(max = 24) final List<@Size(max = 600) byte[]> messages,
        @ForAll @Size(max = 40) final List<@IntRange(min = 1, max = 97) Integer> chunkSizes,
        @ForAll final BufferKind kind, @ForAll @IntRange(min = 0, max = 2) final int slack)
    {
        int longest = 0;
        final ByteArrayOutputStream wire = new ByteArrayOutputStream();
        final List<Integer> boundaries = new ArrayList<>();
        boundaries.add(0);
        for (final byte[] m : messages)
        {
            longest = Math.max(longest, m.length);
            final byte[] f = referenceFrame(framing, m);
            assertArrayEquals(f, framing.encode(m), "Framing.encode must match the wire format");
            wire.writeBytes(f);
            boundaries.add(wire.size());
        }
        final long maxSize = longest + slack;
        final byte[] bytes = wire.toByteArray();
        final FrameDecoder d = new FrameDecoder(framing, maxSize);
        final List<byte[]> got = new ArrayList<>();
        int fed = 0;
        for (final byte[] chunk : chunks(bytes, chunkSizes))
        {
            final ByteBuffer buf = buffer(chunk, kind);
            final boolean more = d.decode(buf, body ->
            {
                got.add(body.clone());
                return true;
            });
            assertTrue(more, "a sink that never says stop must never stop the decoder");
            assertFalse(buf.hasRemaining(), "decode must consume the whole read");
            fed += chunk.length;
            assertEquals(!boundaries.contains(fed), d.inFrame(), "inFrame() after " + fed + " of " + bytes.length + " bytes");
            assertBodyWithin(d, maxSize);
        }
        assertEquals(messages.size(), got.size(), "message count");
        for (int i = 0; i < messages.size(); i++)
        {
            assertArrayEquals(messages.get(i), got.get(i), "message " + i);
        }
    }

    @Property
    void uniformGarbage_matchesReferenceParser_inAnyChunking(@ForAll final Framing framing,
        @ForAll @Size(max = 2048) final byte[] garbage, @ForAll @LongRange(min = 0, max = 4096) final long maxSize,
        @ForAll @Size(max = 40) final List<@IntRange(min = 1, max = 300) Integer> chunkSizes, @ForAll final BufferKind kind)
    {
        assertLikeReference(framing, garbage, maxSize, chunkSizes, kind);
    }

    @Property
    void mutatedValidStreams_matchReferenceParser_inAnyChunking(@ForAll("mutatedStream") final Mutated input,
        @ForAll @Size(max = 40) final List<@IntRange(min = 1, max = 300) Integer> chunkSizes, @ForAll final BufferKind kind)
    {
        assertLikeReference(input.framing, input.bytes, input.maxSize, chunkSizes, kind);
    }

    /** A stream of valid frames with a few bytes overwritten, inserted or cut off at the end. */
    record Mutated(Framing framing, byte[] bytes, long maxSize)
    {
        @Override
        public String toString()
        {
            return framing + " maxSize=" + maxSize + " bytes=" + SpHeader.hex(bytes);
        }
    }

    @Provide
    Arbitrary<Mutated> mutatedStream()
    {
        final Arbitrary<Framing> framing = Arbitraries.of(Framing.class);
        final Arbitrary<List<byte[]>> messages = Arbitraries.bytes().array(byte[].class).ofMaxSize(80).list().ofMaxSize(8);
        final Arbitrary<List<int[]>> mutations = Combinators.combine(Arbitraries.integers().between(0, 10_000),
            Arbitraries.integers().between(0, 255), Arbitraries.integers().between(0, 2))
            .as((at, value, op) -> new int[] {at, value, op}).list().ofMaxSize(4);
        final Arbitrary<Integer> cut = Arbitraries.integers().between(0, 12);
        final Arbitrary<Integer> slack = Arbitraries.integers().between(-2, 2);
        return Combinators.combine(framing, messages, mutations, cut, slack).as((f, ms, muts, cutOff, sl) ->
        {
            final ByteArrayOutputStream w = new ByteArrayOutputStream();
            int longest = 0;
            for (final byte[] m : ms)
            {
                w.writeBytes(referenceFrame(f, m));
                longest = Math.max(longest, m.length);
            }
            final List<Byte> bytes = new ArrayList<>();
            for (final byte b : w.toByteArray())
            {
                bytes.add(b);
            }
            for (final int[] m : muts)
            {
                if (bytes.isEmpty())
                {
                    bytes.add((byte)m[1]);
                    continue;
                }
                final int at = m[0] % bytes.size();
                switch (m[2])
                {
                    case 0: bytes.set(at, (byte)m[1]); break;
                    case 1: bytes.add(at, (byte)m[1]); break;
                    default: bytes.remove(at);
                }
            }
            final int keep = Math.max(0, bytes.size() - cutOff);
            final byte[] out = new byte[keep];
            for (int i = 0; i < keep; i++)
            {
                out[i] = bytes.get(i);
            }
            return new Mutated(f, out, Math.max(0, longest + sl));
        });
    }

    @Property
    void lengthsAroundTheMaximum_equalAcceptedOneMoreRefused(@ForAll final Framing framing,
        @ForAll @LongRange(min = 0, max = 1 << 20) final long maxSize, @ForAll @IntRange(min = -2, max = 2) final int delta,
        @ForAll @Size(max = 12) final List<@IntRange(min = 1, max = 5) Integer> chunkSizes)
    {
        final long length = maxSize + delta;
        if (length < 0)
        {
            return;
        }
        final byte[] header = header(framing, Framing.IPC_MSG_NORMAL, length);
        final FrameDecoder d = new FrameDecoder(framing, maxSize);
        final List<byte[]> got = new ArrayList<>();
        try
        {
            for (final byte[] chunk : chunks(header, chunkSizes))
            {
                d.decode(ByteBuffer.wrap(chunk), body -> got.add(body));
                assertBodyWithin(d, maxSize);
            }
            if (length > maxSize)
            {
                fail("length " + length + " over maxSize " + maxSize + " was accepted");
            }
            if (length == 0)
            {
                assertEquals(1, got.size(), "a zero length is a whole (empty) message");
                assertEquals(0, got.get(0).length);
                assertFalse(d.inFrame());
            }
            else
            {
                assertTrue(got.isEmpty());
                assertTrue(d.inFrame(), "the payload is awaited");
                assertEquals(length, ((byte[])BODY.get(d)).length, "the body buffer is exactly the announced length");
            }
        }
        catch (final FrameDecoder.TooLargeOrMalformed e)
        {
            assertTrue(length > maxSize, "length " + length + " within maxSize " + maxSize + " refused: " + e);
            assertTrue(e.tooLarge, "an oversize length is reported as too large");
            assertTrue(e.getMessage().contains(Long.toString(length)), e.getMessage());
            assertNull(bodyOf(d), "nothing may be allocated for a refused length");
        }
        catch (final IllegalAccessException e)
        {
            throw new AssertionError(e);
        }
    }

    /**
     * Every length a Java array cannot hold is refused, even with the largest maximum (0 =
     * unlimited becomes {@link BusOptions#MAX_MESSAGE_SIZE}), and as a negative long.
     */
    @Property
    void lengthsOverAJavaArray_alwaysRefused(@ForAll final Framing framing,
        @ForAll("hugeLengths") final long length)
    {
        final FrameDecoder d = new FrameDecoder(framing, BusOptions.MAX_MESSAGE_SIZE);
        final FrameDecoder.TooLargeOrMalformed e = assertThrows(FrameDecoder.TooLargeOrMalformed.class,
            () -> d.decode(ByteBuffer.wrap(header(framing, Framing.IPC_MSG_NORMAL, length)), body -> true));
        assertTrue(e.tooLarge);
        assertTrue(e.getMessage().contains(Long.toUnsignedString(length)), e.getMessage());
        assertNull(bodyOf(d));
    }

    @Provide
    Arbitrary<Long> hugeLengths()
    {
        return Arbitraries.oneOf(
            Arbitraries.longs().between(BusOptions.MAX_MESSAGE_SIZE + 1, Long.MAX_VALUE),
            Arbitraries.longs().between(Long.MIN_VALUE, -1),
            Arbitraries.of(BusOptions.MAX_MESSAGE_SIZE + 1, 1L << 31, 1L << 32, Long.MAX_VALUE, -1L, Long.MIN_VALUE));
    }

    @Property
    void ipcTypeOtherThanOne_isMalformed_whateverTheLength(@ForAll final byte type, @ForAll final long length,
        @ForAll @IntRange(min = 1, max = 9) final int firstRead)
    {
        if (type == Framing.IPC_MSG_NORMAL)
        {
            return;
        }
        final byte[] h = header(Framing.IPC, type, length);
        final FrameDecoder d = new FrameDecoder(Framing.IPC, 1024);
        final FrameDecoder.TooLargeOrMalformed e = assertThrows(FrameDecoder.TooLargeOrMalformed.class, () ->
        {
            d.decode(ByteBuffer.wrap(h, 0, firstRead), body -> true);
            d.decode(ByteBuffer.wrap(h, firstRead, h.length - firstRead), body -> true);
        });
        assertFalse(e.tooLarge, "a bad type byte is malformed, not too large");
        assertTrue(e.getMessage().contains("type " + (type & 0xFF)), e.getMessage());
    }

    @Property
    void sinkThatStops_leavesTheBufferRightBehindThatMessage(@ForAll final Framing framing,
        @ForAll @Size(min = 1, max = 10) final List<@Size(max = 50) byte[]> messages, @ForAll @IntRange(min = 0, max = 9) final int stopAt)
    {
        final int k = stopAt % messages.size();
        final ByteArrayOutputStream w = new ByteArrayOutputStream();
        int end = 0;
        for (int i = 0; i < messages.size(); i++)
        {
            w.writeBytes(referenceFrame(framing, messages.get(i)));
            if (i == k)
            {
                end = w.size();
            }
        }
        final ByteBuffer buf = ByteBuffer.wrap(w.toByteArray());
        final List<byte[]> got = new ArrayList<>();
        final boolean more = new FrameDecoder(framing, 50).decode(buf, body ->
        {
            got.add(body);
            return got.size() <= k;
        });
        assertFalse(more, "decode must report that the sink stopped it");
        assertEquals(k + 1, got.size());
        assertEquals(end, buf.position(), "the buffer must stop right behind the refused message");
    }

    @Property(tries = 500)
    void resetDropsAPartialFrame_andTheDecoderStartsAfresh(@ForAll final Framing framing,
        @ForAll @Size(min = 1, max = 40) final byte[] message, @ForAll @IntRange(min = 1, max = 48) final int partial)
    {
        final byte[] f = referenceFrame(framing, message);
        final int cut = Math.min(partial, f.length - 1);
        final FrameDecoder d = new FrameDecoder(framing, 64);
        final List<byte[]> got = new ArrayList<>();
        d.decode(ByteBuffer.wrap(f, 0, cut), got::add);
        assertTrue(d.inFrame());
        d.reset();
        assertFalse(d.inFrame());
        d.decode(ByteBuffer.wrap(f), got::add);
        assertEquals(1, got.size());
        assertArrayEquals(message, got.get(0));
    }

    // ---------------------------------------------------------------- regression / documented examples

    /** Section 3.1 and 3.2 captures: {@code hello} over TCP and IPC, and the empty message. */
    @Example
    void wireCaptures()
    {
        assertEquals(List.of("hello"), texts(Framing.TCP, hex("00 00 00 00 00 00 00 05 68 65 6c 6c 6f")));
        assertEquals(List.of("hello"), texts(Framing.IPC, hex("01 00 00 00 00 00 00 00 05 68 65 6c 6c 6f")));
        assertEquals(List.of(""), texts(Framing.TCP, hex("00 00 00 00 00 00 00 00")));
        assertEquals(List.of(""), texts(Framing.IPC, hex("01 00 00 00 00 00 00 00 00")));
    }

    /** TCP framing spoken to an IPC pipe: the first length byte (0) is read as message type 0. */
    @Example
    void tcpFramingOnAnIpcPipe_isMalformed()
    {
        final FrameDecoder.TooLargeOrMalformed e = assertThrows(FrameDecoder.TooLargeOrMalformed.class,
            () -> new FrameDecoder(Framing.IPC, 1024).decode(ByteBuffer.wrap(Framing.TCP.encode(new byte[] {1})), b -> true));
        assertFalse(e.tooLarge);
    }

    /** nngcat's {@code --recv-maxsz 16}: 16 accepted, 17 refused on the length alone (section 3.5). */
    @Example
    void recvMaxSize16()
    {
        assertEquals(1, texts(Framing.TCP, Framing.TCP.encode(new byte[16]), 16).size());
        final FrameDecoder.TooLargeOrMalformed e = assertThrows(FrameDecoder.TooLargeOrMalformed.class,
            () -> new FrameDecoder(Framing.TCP, 16).decode(ByteBuffer.wrap(header(Framing.TCP, (byte)1, 17)), b -> true));
        assertTrue(e.tooLarge);
    }

    // ---------------------------------------------------------------- helpers

    /** What the decoder must do with {@code bytes}, from an independent reference parser. */
    private record Expected(List<byte[]> messages, Boolean tooLarge)
    {
    }

    private static Expected reference(final Framing framing, final byte[] bytes, final long maxSize)
    {
        final List<byte[]> out = new ArrayList<>();
        final int hs = framing == Framing.IPC ? 9 : 8;
        int pos = 0;
        while (bytes.length - pos >= hs)
        {
            if (framing == Framing.IPC && bytes[pos] != 1)
            {
                return new Expected(out, false);
            }
            final long len = ByteBuffer.wrap(bytes, pos + hs - 8, 8).getLong();
            if (Long.compareUnsigned(len, maxSize) > 0)
            {
                return new Expected(out, true);
            }
            if (bytes.length - pos - hs < len)
            {
                break;
            }
            final byte[] m = new byte[(int)len];
            System.arraycopy(bytes, pos + hs, m, 0, m.length);
            out.add(m);
            pos += hs + (int)len;
        }
        return new Expected(out, null);
    }

    private static void assertLikeReference(final Framing framing, final byte[] bytes, final long maxSize,
        final List<Integer> chunkSizes, final BufferKind kind)
    {
        final Expected expected = reference(framing, bytes, maxSize);
        final FrameDecoder d = new FrameDecoder(framing, maxSize);
        final List<byte[]> got = new ArrayList<>();
        Boolean tooLarge = null;
        try
        {
            for (final byte[] chunk : chunks(bytes, chunkSizes))
            {
                d.decode(buffer(chunk, kind), body ->
                {
                    assertTrue(body.length <= maxSize, "a message longer than maxSize was delivered");
                    got.add(body.clone());
                    return true;
                });
                assertBodyWithin(d, maxSize);
            }
        }
        catch (final FrameDecoder.TooLargeOrMalformed e)
        {
            tooLarge = e.tooLarge;
            assertNull(bodyOf(d), "nothing may be allocated for a refused frame");
        }
        catch (final RuntimeException e)
        {
            fail("the decoder threw " + e + "; only TooLargeOrMalformed is allowed", e);
        }
        assertEquals(expected.tooLarge, tooLarge, "error (null = none, true = too large, false = malformed)");
        assertEquals(expected.messages.size(), got.size(), "messages decoded");
        for (int i = 0; i < got.size(); i++)
        {
            assertArrayEquals(expected.messages.get(i), got.get(i), "message " + i);
        }
    }

    private static byte[] bodyOf(final FrameDecoder d)
    {
        try
        {
            return (byte[])BODY.get(d);
        }
        catch (final IllegalAccessException e)
        {
            throw new AssertionError(e);
        }
    }

    private static void assertBodyWithin(final FrameDecoder d, final long maxSize)
    {
        final byte[] b = bodyOf(d);
        if (b != null && b.length > maxSize)
        {
            fail("the decoder allocated a body of " + b.length + " bytes, over maxSize " + maxSize);
        }
    }

    static byte[] referenceFrame(final Framing framing, final byte[] payload)
    {
        final ByteBuffer b = ByteBuffer.allocate((framing == Framing.IPC ? 9 : 8) + payload.length);
        if (framing == Framing.IPC)
        {
            b.put((byte)1);
        }
        return b.putLong(payload.length).put(payload).array();
    }

    private static byte[] header(final Framing framing, final byte type, final long length)
    {
        final ByteBuffer b = ByteBuffer.allocate(framing.headerSize());
        if (framing == Framing.IPC)
        {
            b.put(type);
        }
        return b.putLong(length).array();
    }

    /** Cuts {@code bytes} into reads of the given sizes, cycling through them; none if empty. */
    static List<byte[]> chunks(final byte[] bytes, final List<Integer> sizes)
    {
        final List<byte[]> out = new ArrayList<>();
        int pos = 0;
        int i = 0;
        while (pos < bytes.length)
        {
            final int n = sizes.isEmpty() ? bytes.length : Math.min(bytes.length - pos, sizes.get(i++ % sizes.size()));
            final byte[] c = new byte[n];
            System.arraycopy(bytes, pos, c, 0, n);
            out.add(c);
            pos += n;
        }
        return out;
    }

    private static ByteBuffer buffer(final byte[] chunk, final BufferKind kind)
    {
        switch (kind)
        {
            case HEAP_WITH_OFFSET:
            {
                final byte[] big = new byte[chunk.length + 10];
                System.arraycopy(chunk, 0, big, 5, chunk.length);
                return ByteBuffer.wrap(big, 5, chunk.length);
            }
            case DIRECT:
            {
                final ByteBuffer b = ByteBuffer.allocateDirect(chunk.length + 3);
                b.position(3);
                b.put(chunk);
                b.position(3);
                return b;
            }
            case READ_ONLY:
                return ByteBuffer.wrap(chunk).asReadOnlyBuffer();
            default:
                return ByteBuffer.wrap(chunk);
        }
    }

    private static List<String> texts(final Framing framing, final byte[] wire)
    {
        final List<String> out = new ArrayList<>();
        for (final byte[] b : texts(framing, wire, 1024))
        {
            out.add(new String(b, java.nio.charset.StandardCharsets.UTF_8));
        }
        return out;
    }

    private static List<byte[]> texts(final Framing framing, final byte[] wire, final long maxSize)
    {
        final List<byte[]> out = new ArrayList<>();
        new FrameDecoder(framing, maxSize).decode(ByteBuffer.wrap(wire), out::add);
        return out;
    }

    private static byte[] hex(final String s)
    {
        final String[] parts = s.split(" ");
        final byte[] b = new byte[parts.length];
        for (int i = 0; i < parts.length; i++)
        {
            b[i] = (byte)Integer.parseInt(parts[i], 16);
        }
        return b;
    }
}
