package org.spbus.spi.stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.ByteBuffer;
import java.util.Arrays;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.spbus.ProtocolException;

/**
 * Fuzzes {@link SpHeader#check(byte[], int)} (sp-wire-protocol.md section 2.3): whatever 8 bytes
 * a peer sends, the check accepts exactly {@code 00 'S' 'P' 00 | id | 00 00} for the expected id
 * and rejects everything else with a {@link ProtocolException} (never another exception, which
 * would escape the transport's handshake code). Tries per property: {@code jqwik.tries.default}
 * (2000 in {@code junit-platform.properties}; {@code -Djqwik.tries.default=200000} for a long run).
 */
class SpHeaderFuzzTest
{
    private static final int BUS0 = 0x70;

    /** Any 8 bytes against any expected id: accepted iff they are exactly the encoded header. */
    @Property
    void anyEightBytes_acceptedExactlyWhenTheValidHeader(@ForAll @Size(8) final byte[] header,
        @ForAll @IntRange(min = 0, max = 0xFFFF) final int expected)
    {
        assertAcceptedIffValid(header, expected);
    }

    /**
     * Headers one or two bytes away from the valid BUS header (the interesting region that
     * uniform random bytes almost never reach): rejected unless the mutation left them valid.
     */
    @Property
    void nearValidHeaders_rejectedUnlessValid(@ForAll("nearBusHeader") final byte[] header)
    {
        assertAcceptedIffValid(header, BUS0);
    }

    @Provide
    Arbitrary<byte[]> nearBusHeader()
    {
        final Arbitrary<Integer> index = Arbitraries.integers().between(0, 7);
        final Arbitrary<Byte> value = Arbitraries.bytes().withDistribution(net.jqwik.api.RandomDistribution.uniform())
            .edgeCases(c -> c.includeOnly((byte)0, (byte)1, (byte)0x70, (byte)0x80, (byte)0xFF, (byte)'S', (byte)'P'));
        return net.jqwik.api.Combinators.combine(index, value, index, value).as((i, v, j, w) ->
        {
            final byte[] h = SpHeader.encode(BUS0);
            h[i] = v;
            h[j] = w;
            return h;
        });
    }

    /** encode then check is the identity for every 16-bit protocol id, and only that id passes. */
    @Property
    void encodeThenCheck_acceptsItsOwnIdOnly(@ForAll @IntRange(min = 0, max = 0xFFFF) final int id,
        @ForAll @IntRange(min = 0, max = 0xFFFF) final int other)
    {
        final byte[] h = SpHeader.encode(id);
        assertDoesNotThrow(() -> SpHeader.check(h, id));
        if (other != id)
        {
            assertThrows(ProtocolException.class, () -> SpHeader.check(h, other));
        }
        final ByteBuffer b = ByteBuffer.allocate(SpHeader.SIZE + 3);
        b.position(3);
        SpHeader.put(b, id);
        assertEquals(SpHeader.SIZE + 3, b.position());
        assertArrayEquals(h, Arrays.copyOfRange(b.array(), 3, 3 + SpHeader.SIZE));
    }

    /** A header array of the wrong length is a programming error, not a peer's: IllegalArgumentException. */
    @Property(tries = 200)
    void wrongLength_isIllegalArgument(@ForAll @Size(max = 16) final byte[] header)
    {
        if (header.length == SpHeader.SIZE)
        {
            return;
        }
        assertThrows(IllegalArgumentException.class, () -> SpHeader.check(header, BUS0));
    }

    /** The check does not change the caller's bytes. */
    @Property(tries = 500)
    void checkDoesNotModifyTheHeader(@ForAll @Size(8) final byte[] header)
    {
        final byte[] copy = header.clone();
        try
        {
            SpHeader.check(header, BUS0);
        }
        catch (final ProtocolException e)
        {
            // expected for most inputs
        }
        assertArrayEquals(copy, header);
    }

    /** The exact bytes nngcat and nanocat send (section 2.1) pass; each documented rejection is named. */
    @Example
    void documentedCases()
    {
        assertDoesNotThrow(() -> SpHeader.check(new byte[] {0, 'S', 'P', 0, 0, 0x70, 0, 0}, BUS0));
        assertRejected(new byte[] {0, 'S', 'P', 0, 0, 0x10, 0, 0}, "0x0010 (pair0)");
        assertRejected(new byte[] {0, 'S', 'P', 0, 0, 0x71, 0, 0}, "0x0071");
        assertRejected(new byte[] {0, 'S', 'P', 1, 0, 0x70, 0, 0}, "version 1");
        assertRejected(new byte[] {0, 'S', 'P', 0, 0, 0x70, 1, 1}, "reserved");
        assertRejected(new byte[] {0, 'S', 'P', 0, 0, 0x70, 0, 1}, "reserved");
        assertRejected("GET / HT".getBytes(java.nio.charset.StandardCharsets.US_ASCII), "not an SP peer");
        assertRejected(new byte[8], "not an SP peer");
    }

    private static void assertRejected(final byte[] header, final String mentions)
    {
        final ProtocolException e = assertThrows(ProtocolException.class, () -> SpHeader.check(header, BUS0));
        assertTrue(e.getMessage().contains(mentions), () -> "message should mention " + mentions + ": " + e.getMessage());
        assertTrue(e.getMessage().contains(SpHeader.hex(header)), () -> "message should show the header: " + e.getMessage());
    }

    private static void assertAcceptedIffValid(final byte[] header, final int expected)
    {
        final boolean valid = Arrays.equals(header, SpHeader.encode(expected));
        final byte[] copy = header.clone();
        try
        {
            SpHeader.check(header, expected);
            if (!valid)
            {
                fail("accepted an invalid header " + SpHeader.hex(copy) + " for expected id " + expected);
            }
        }
        catch (final ProtocolException e)
        {
            if (valid)
            {
                fail("rejected the valid header " + SpHeader.hex(copy) + ": " + e.getMessage());
            }
            assertTrue(e.getMessage() != null && !e.getMessage().isEmpty(), "a rejection must say why");
        }
        catch (final RuntimeException e)
        {
            fail("check threw " + e + " instead of ProtocolException for " + SpHeader.hex(copy), e);
        }
    }
}
