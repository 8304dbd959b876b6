package org.spbus.tck;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.Arrays;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.spbus.BusOptions;
import org.spbus.BusSocket;
import org.spbus.Counter;

/**
 * What one message looks like after crossing the transport under test: every size from empty
 * to the receive maximum arrives whole and unchanged, the three send forms send exactly what
 * they say, and one pipe keeps the order of 10 000 messages (per-pipe FIFO). With
 * {@link Capability#RECV_MAX_SIZE}, one byte over the limit loses the pipe instead.
 */
public abstract class MessageTck extends AbstractBusTck
{
    /**
     * Creates the suite for one transport.
     *
     * @param fixture describes the transport under test
     */
    protected MessageTck(final TransportFixture fixture)
    {
        super(fixture);
    }

    /**
     * Zero-length messages are messages: each send form sends one, the peer receives an empty
     * array (not {@code null}, not skipped), in order among non-empty ones, both ways.
     */
    @Test
    public void required_zeroLengthMessages_areDeliveredAsEmptyBodies()
    {
        try (BusSocket a = open(); BusSocket b = open())
        {
            connect(a, b);
            a.send(new byte[0]);
            a.send(bytes("one"));
            a.send(bytes("abc"), 2, 0);
            a.send(ByteBuffer.allocate(0));
            b.send(new byte[0]);
            assertArrayEquals(new byte[0], b.recv(Await.timeout()), "zero-length: send(byte[0]) did not arrive empty");
            assertEquals("one", text(b.recv(Await.timeout())), "per-pipe FIFO around empty messages");
            assertArrayEquals(new byte[0], b.recv(Await.timeout()), "zero-length: send(b, off, 0) did not arrive empty");
            assertArrayEquals(new byte[0], b.recvMessage(Await.timeout()).body(),
                "zero-length: send(empty ByteBuffer) did not arrive empty");
            assertArrayEquals(new byte[0], a.recv(Await.timeout()), "zero-length: the dialer's empty message did not arrive");
            assertNull(b.tryRecv(), "zero-length: more messages arrived than were sent");
            assertStat(b, Counter.MESSAGES_RECEIVED, 4, "zero-length: every empty message is counted as received");
            assertStat(b, Counter.BYTES_RECEIVED, 3, "zero-length: BYTES_RECEIVED must count body bytes only (3 for \"one\")");
        }
    }

    /**
     * Messages of many sizes, up to exactly the default receive maximum (1 MiB), arrive whole
     * and unchanged, both ways.
     *
     * @param size the body size in bytes
     */
    @ParameterizedTest(name = "{0} bytes")
    @ValueSource(ints = {1, 7, 255, 256, 4095, 65535, 65536, 65537, (int)BusOptions.DEFAULT_RECV_MAX_SIZE})
    public void required_messagesOfEverySizeUpToRecvMaxSize_arriveWholeAndUnchanged(final int size)
    {
        try (BusSocket a = open(); BusSocket b = open())
        {
            connect(a, b);
            final byte[] body = pattern(size, 31);
            a.send(body);
            final byte[] back = pattern(size, 77);
            b.send(back);
            assertMessage(body, b.recv(Await.timeout()), "listener to dialer");
            assertMessage(back, a.recv(Await.timeout()), "dialer to listener");
        }
    }

    /**
     * A message of exactly the receiver's {@code recvMaxSize} is accepted (the limit is
     * inclusive), and the pipe stays up.
     */
    @Test
    public void required_messageOfExactlyRecvMaxSize_isAccepted()
    {
        final int limit = 1000;
        try (BusSocket a = open(); BusSocket b = open(options().recvMaxSize(limit).build()))
        {
            connect(a, b);
            final byte[] body = pattern(limit, 5);
            a.send(body);
            assertMessage(body, b.recv(Await.timeout()), "exactly recvMaxSize");
            a.send(bytes("after"));
            assertEquals("after", text(b.recv(Await.timeout())), "recvMaxSize: the pipe must stay up after a message at the limit");
            assertEquals(0, stat(b, Counter.PROTOCOL_ERRORS), "recvMaxSize: a message at the limit counted as a protocol error");
        }
    }

    /**
     * With {@link Capability#RECV_MAX_SIZE}: a message one byte over the receiver's
     * {@code recvMaxSize} is not delivered; the receiver closes that pipe and counts a protocol
     * error (NNG's behaviour), while a message at the limit before it was delivered.
     */
    @Test
    public void optional_messageOverRecvMaxSize_closesThePipeAndIsCounted()
    {
        assumeCapability(Capability.RECV_MAX_SIZE, "check that a message over recvMaxSize closes the pipe");
        final int limit = 1000;
        try (BusSocket a = open(); BusSocket b = open(options().recvMaxSize(limit).build()))
        {
            connect(a, b);
            a.send(pattern(limit, 1));
            assertEquals(limit, b.recv(Await.timeout()).length, "recvMaxSize: a message at the limit was refused");
            a.send(pattern(limit + 1, 2));
            Await.until(() -> stat(b, Counter.PROTOCOL_ERRORS) >= 1, Await.timeout(),
                () -> "recvMaxSize: a message over the limit must close the pipe and count PROTOCOL_ERRORS: " + b.stats());
            assertNull(b.tryRecv(), "recvMaxSize: a message over the limit was delivered");
        }
    }

    /**
     * {@code send(byte[], offset, length)} sends exactly that slice; {@code send(ByteBuffer)}
     * sends position to limit and advances the position; changing the array right after
     * {@code send} returns does not change what is delivered (the body is copied).
     */
    @Test
    public void required_sendForms_sendExactlyTheirBytes_andCopyTheBody()
    {
        try (BusSocket a = open(); BusSocket b = open())
        {
            connect(a, b);
            final byte[] arr = bytes("0123456789");
            a.send(arr, 3, 4);
            final ByteBuffer bb = ByteBuffer.wrap(bytes("abcdefgh"));
            bb.position(2).limit(5);
            a.send(bb);
            assertEquals(5, bb.position(), "send(ByteBuffer) must advance the position to the limit");
            final ByteBuffer direct = ByteBuffer.allocateDirect(4);
            direct.put(bytes("dir!")).flip();
            a.send(direct);
            final byte[] reused = bytes("original");
            a.send(reused);
            Arrays.fill(reused, (byte)'X');
            assertEquals("3456", text(b.recv(Await.timeout())), "send(byte[], off, len) sent the wrong bytes");
            assertEquals("cde", text(b.recv(Await.timeout())), "send(ByteBuffer) sent the wrong bytes");
            assertEquals("dir!", text(b.recv(Await.timeout())), "send(direct ByteBuffer) sent the wrong bytes");
            assertEquals("original", text(b.recv(Await.timeout())),
                "send must copy the body: changing the array after send changed the message");
        }
    }

    /**
     * Per-pipe FIFO: 10 000 messages each way on one pipe arrive all, once each, in the order
     * sent. The queues are sized above 10 000 so nothing may be dropped.
     */
    @Test
    public void required_perPipeFifo_10000MessagesEachWay_inOrder()
    {
        final int n = 10_000;
        final BusOptions big = options().sendQueueSize(16_384).recvQueueSize(16_384).build();
        try (BusSocket a = open(big); BusSocket b = open(big))
        {
            connect(a, b);
            for (int i = 0; i < n; i++)
            {
                a.send(sequenced(1, i, i % 64));
                b.send(sequenced(2, i, i % 32));
            }
            for (int i = 0; i < n; i++)
            {
                final byte[] atB = b.recv(Await.timeout());
                assertEquals(i, seqOf(atB), "per-pipe FIFO: message " + i + " from the listener arrived out of order");
                assertEquals(8 + i % 64, atB.length, "message " + i + " arrived with the wrong length");
                final byte[] atA = a.recv(Await.timeout());
                assertEquals(i, seqOf(atA), "per-pipe FIFO: message " + i + " from the dialer arrived out of order");
                assertEquals(8 + i % 32, atA.length, "message " + i + " arrived with the wrong length");
            }
            assertNull(a.tryRecv(), "per-pipe FIFO: more messages arrived than were sent");
            assertNull(b.tryRecv(), "per-pipe FIFO: more messages arrived than were sent");
            assertEquals(0, stat(a, Counter.DROPPED_SEND_QUEUE_FULL) + stat(b, Counter.DROPPED_SEND_QUEUE_FULL)
                + stat(a, Counter.DROPPED_RECV_QUEUE_FULL) + stat(b, Counter.DROPPED_RECV_QUEUE_FULL),
                "queues sized above the message count must not drop");
        }
    }

    /**
     * {@code recv(byte[])} copies the body into the caller's buffer and returns the full
     * length (truncating a longer message, as {@code MSG_TRUNC}); bodies it consumes may be
     * reused for later messages, and that never changes a later message nor an array an
     * earlier {@code recv()} returned. 300 messages of 4 KiB (in the reused range), received
     * alternately both ways.
     */
    @Test
    public void required_recvIntoBuffer_copiesAndTruncates_reuseNeverCorrupts()
    {
        final int n = 300;
        final int size = 4096;
        final BusOptions big = options().sendQueueSize(1024).recvQueueSize(1024).build();
        try (BusSocket a = open(big); BusSocket b = open(big))
        {
            connect(a, b);
            final java.util.List<byte[]> kept = new java.util.ArrayList<>();
            final byte[] buf = new byte[size + 64];
            final byte[] small = new byte[100];
            for (int i = 0; i < n; i++)
            {
                a.send(pattern(size, i));
                switch (i % 3)
                {
                    case 0 ->
                    {
                        final int len = b.recv(buf, Await.timeout());
                        assertEquals(size, len, "recv(byte[]) must return the message's length");
                        assertMessage(pattern(size, i), Arrays.copyOf(buf, len), "recv(byte[]) message " + i);
                    }
                    case 1 ->
                    {
                        final byte[] got = b.recv(Await.timeout());
                        assertMessage(pattern(size, i), got, "recv() message " + i);
                        kept.add(got);
                    }
                    default ->
                    {
                        final int len = b.recv(small, Await.timeout());
                        assertEquals(size, len, "recv(byte[]) into a short buffer must return the full length");
                        assertMessage(Arrays.copyOf(pattern(size, i), small.length), small,
                            "recv(byte[]) into a short buffer: the first bytes, message " + i);
                    }
                }
            }
            for (int k = 0; k < kept.size(); k++)
            {
                assertMessage(pattern(size, 3 * k + 1), kept.get(k),
                    "an array returned by recv() changed after later receives (a body was reused while still handed out)");
            }
            assertNull(b.tryRecv(), "more messages arrived than were sent");
        }
    }

    private static byte[] pattern(final int size, final int seed)
    {
        final byte[] b = new byte[size];
        int x = seed;
        for (int i = 0; i < size; i++)
        {
            x = x * 1103515245 + 12345;
            b[i] = (byte)(x >>> 16);
        }
        return b;
    }

    private static void assertMessage(final byte[] expected, final byte[] actual, final String what)
    {
        assertNotNull(actual, what);
        assertEquals(expected.length, actual.length, "message integrity (" + what + "): wrong length");
        if (!Arrays.equals(expected, actual))
        {
            final int at = Arrays.mismatch(expected, actual);
            assertTrue(false, "message integrity (" + what + "): " + expected.length + "-byte body differs at byte " + at);
        }
    }
}
