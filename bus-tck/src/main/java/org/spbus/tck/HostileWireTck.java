package org.spbus.tck;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import org.junit.jupiter.api.Test;
import org.spbus.BusSocket;
import org.spbus.Counter;
import org.spbus.spi.stream.Framing;
import org.spbus.spi.stream.SpHeader;

/**
 * Hostile bytes from the wire (needs {@link Capability#WIRE}): a raw peer speaking the
 * transport's framing sends a wrong protocol id, garbage instead of the SP header, a length
 * over the receive maximum size, or a truncated frame. Each bad connection is closed by the
 * listener and counted, nothing partial is delivered, and a good peer on the same listener loses
 * nothing. Also: many frames in one write keep their boundaries and order.
 *
 * <p>Subclass once per transport, passing its fixture.
 */
public abstract class HostileWireTck extends AbstractBusTck
{
    private static final int MAX = 1024;

    /**
     * Creates the suite.
     *
     * @param fixture the transport under test
     */
    protected HostileWireTck(final TransportFixture fixture)
    {
        super(fixture);
    }

    private BusSocket server()
    {
        return open(options().recvMaxSize(MAX).handshakeTimeout(Duration.ofSeconds(2)).build());
    }

    private SocketChannel raw(final String url) throws IOException
    {
        final SocketChannel ch = SocketChannel.open(fixture.addressOf(url));
        ch.configureBlocking(false);
        return ch;
    }

    private byte[] frame(final byte[] body)
    {
        return fixture.wireFraming().encode(body);
    }

    private static void write(final SocketChannel ch, final byte[] bytes) throws IOException
    {
        final ByteBuffer b = ByteBuffer.wrap(bytes);
        final long end = System.nanoTime() + Await.timeout().toNanos();
        while (b.hasRemaining())
        {
            if (ch.write(b) == 0)
            {
                if (System.nanoTime() - end > 0)
                {
                    fail("test peer: could not write to the listener");
                }
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
            }
        }
    }

    /** Reads what the listener sends until it closes the connection; fails if it never does. */
    private static byte[] readUntilClosed(final SocketChannel ch, final String rule)
    {
        final ByteArrayOutputStream got = new ByteArrayOutputStream();
        final ByteBuffer b = ByteBuffer.allocate(4096);
        final long end = System.nanoTime() + Await.timeout().toNanos();
        while (true)
        {
            b.clear();
            final int n;
            try
            {
                n = ch.read(b);
            }
            catch (final IOException e)
            {
                return got.toByteArray(); // reset: closed too
            }
            if (n < 0)
            {
                return got.toByteArray();
            }
            got.write(b.array(), 0, n);
            if (n == 0)
            {
                if (System.nanoTime() - end > 0)
                {
                    fail(rule + ": the listener never closed the bad connection");
                }
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
            }
        }
    }

    private void assertGoodPeerUnaffected(final BusSocket server, final BusSocket good, final String rule)
    {
        good.send(bytes("good-to-server"));
        assertEquals("good-to-server", text(server.recv(Await.timeout())), rule + ": the good peer's message was lost");
        server.send(bytes("server-to-good"));
        assertEquals("server-to-good", text(good.recv(Await.timeout())), rule + ": the good peer missed a broadcast");
        assertEquals(1, pipes(server), rule + ": the listener should have only the good peer's pipe left");
    }

    /** What a bad raw peer does, and what the test then checks on the server. */
    @FunctionalInterface
    private interface BadPeer
    {
        void run(BusSocket server, SocketChannel bad) throws IOException;
    }

    /**
     * The scaffold of every hostile case: a listener with a good peer attached, a raw bad peer
     * doing {@code bad}, then {@code after} on the server, then the good peer must be untouched.
     */
    private void withBadPeer(final String rule, final BadPeer bad, final java.util.function.Consumer<BusSocket> after)
        throws IOException
    {
        assumeCapability(Capability.WIRE, "a raw peer must reach the listener");
        try (BusSocket server = server(); BusSocket good = open())
        {
            final String url = listen(server).url();
            dial(good, url, server);
            try (SocketChannel ch = raw(url))
            {
                bad.run(server, ch);
            }
            after.accept(server);
            assertGoodPeerUnaffected(server, good, rule);
        }
    }

    private void hostileHeader(final byte[] header, final String rule) throws IOException
    {
        withBadPeer(rule, (server, bad) ->
        {
            write(bad, header);
            final byte[] got = readUntilClosed(bad, rule);
            assertTrue(got.length <= SpHeader.SIZE, rule + ": the listener sent data frames to a peer that failed"
                + " the header exchange (" + got.length + " bytes)");
        }, server -> Await.until(() -> stat(server, Counter.HANDSHAKE_FAILURES) >= 1, Await.timeout(),
            () -> rule + ": the failed header exchange was not counted: " + server.stats()));
    }

    /**
     * A peer announcing another protocol (PAIR v0, 0x0010) is closed during the header exchange
     * and counted; the good peer is untouched.
     *
     * @throws IOException if the test peer cannot connect
     */
    @Test
    public void required_wrongProtocolId_closesThatConnectionOnly() throws IOException
    {
        hostileHeader(SpHeader.encode(0x10), "SP header: a PAIR peer must be refused");
    }

    /**
     * Garbage instead of the SP header (an HTTP request line) is closed and counted.
     *
     * @throws IOException if the test peer cannot connect
     */
    @Test
    public void required_garbageHeader_closesThatConnectionOnly() throws IOException
    {
        hostileHeader("GET / HTTP/1.1\r\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII),
            "SP header: a non-SP peer must be refused");
    }

    /**
     * A frame that announces more than the receive maximum size closes the pipe before the
     * payload is read, and is counted as a protocol error.
     *
     * @throws IOException if the test peer cannot connect
     */
    @Test
    public void required_lengthOverRecvMaxSize_closesThatPipeOnly() throws IOException
    {
        final String rule = "receive maximum size";
        withBadPeer(rule, (server, bad) ->
        {
            write(bad, SpHeader.encode(0x70));
            final byte[] frame = frame(new byte[MAX + 1]);
            write(bad, java.util.Arrays.copyOf(frame, fixture.wireFraming().headerSize()));
            readUntilClosed(bad, rule);
        }, server ->
        {
            Await.until(() -> stat(server, Counter.PROTOCOL_ERRORS) == 1, Await.timeout(),
                () -> rule + ": the oversized frame was not counted as a protocol error: " + server.stats());
            assertNull(server.tryRecv(), rule + ": part of the oversized message was delivered");
        });
    }

    /**
     * A frame cut short by the peer's close is never delivered; what came before it is.
     *
     * @throws IOException if the test peer cannot connect
     */
    @Test
    public void required_truncatedFrameThenClose_deliversNothingPartial() throws IOException
    {
        final String rule = "framing: a truncated frame";
        withBadPeer(rule, (server, bad) ->
        {
            write(bad, SpHeader.encode(0x70));
            final byte[] whole = frame(bytes("whole"));
            final byte[] cut = frame(new byte[100]);
            final byte[] both = new byte[whole.length + cut.length - 40];
            System.arraycopy(whole, 0, both, 0, whole.length);
            System.arraycopy(cut, 0, both, whole.length, cut.length - 40);
            write(bad, both);
            assertEquals("whole", text(server.recv(Await.timeout())), rule + ": the whole frame before it was lost");
        }, server ->
        {
            Await.until(() -> pipes(server) == 1, Await.timeout(), () -> rule + ": the closed pipe stayed attached");
            assertNull(server.tryRecv(), rule + ": part of a truncated message was delivered");
        });
    }

    /**
     * Two hundred frames (one of them empty) written at once arrive all, whole, in order: the
     * decoder keeps message boundaries whatever the reads look like.
     *
     * @throws IOException if the test peer cannot connect
     */
    @Test
    public void required_manyFramesInOneWrite_keepBoundariesAndOrder() throws IOException
    {
        assumeCapability(Capability.WIRE, "a raw peer must reach the listener");
        final String rule = "framing: message boundaries";
        try (BusSocket server = open(options().recvQueueSize(256).build()))
        {
            final String url = listen(server).url();
            try (SocketChannel peer = raw(url))
            {
                final ByteArrayOutputStream out = new ByteArrayOutputStream();
                out.writeBytes(SpHeader.encode(0x70));
                for (int i = 0; i < 200; i++)
                {
                    out.writeBytes(frame(i == 100 ? new byte[0] : bytes("m" + i)));
                }
                write(peer, out.toByteArray());
                for (int i = 0; i < 200; i++)
                {
                    assertEquals(i == 100 ? "" : "m" + i, text(server.recv(Await.timeout())),
                        rule + ": frame " + i + " lost, merged, split or reordered");
                }
                assertNull(server.tryRecv(), rule + ": more messages than frames");
            }
        }
    }
}
