package org.spbus.transport.unix.faults;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.spbus.Bus;
import org.spbus.BusOptions;
import org.spbus.BusSocket;
import org.spbus.Counter;
import org.spbus.SocketStats;
import org.spbus.tck.Await;
import org.spbus.tck.LeakCheck;

/**
 * Hostile peers over {@code ipc://} (NNG IPC framing: a type byte {@code 0x01}, a u64 length,
 * the payload; sp-wire-protocol.md section 3.2), what the TCP hostile-peer tests cannot reach:
 * unknown message types, TCP framing spoken to an IPC listener, truncated IPC frames, 200 IPC
 * frames in one write, an oversize IPC length and a silent peer. Each bad peer is disconnected
 * with a counted reason, and a good spbus peer on the same listener loses nothing.
 */
@Timeout(30)
@ExtendWith(LeakCheck.class)
class IpcHostilePeerTest
{
    private static final byte[] BUS_HEADER = {0, 'S', 'P', 0, 0, 0x70, 0, 0};
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final AtomicInteger SEQ = new AtomicInteger();

    @TempDir
    Path dir;

    private BusSocket server;
    private BusSocket good;
    private String url;

    @AfterEach
    void closeSockets()
    {
        if (good != null)
        {
            good.close();
        }
        if (server != null)
        {
            server.close();
        }
    }

    private void start(final BusOptions options)
    {
        server = Bus.open(options);
        url = server.listen("ipc://" + dir.resolve("hostile.ipc")).url();
        good = Bus.open();
        good.dial(url);
        Await.until(() -> server.pipes().size() == 1, WAIT, "the good peer attached");
    }

    /** A raw IPC peer that has exchanged headers with spbus. */
    private SocketChannel connectRaw() throws IOException
    {
        final SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX);
        ch.connect(UnixDomainSocketAddress.of(url.substring("ipc://".length())));
        final ByteBuffer h = ByteBuffer.allocate(8);
        while (h.hasRemaining())
        {
            if (ch.read(h) < 0)
            {
                fail("spbus closed before sending its header");
            }
        }
        assertArrayEquals(BUS_HEADER, h.array(), "spbus's IPC header");
        return ch;
    }

    private static void write(final SocketChannel ch, final byte[] bytes) throws IOException
    {
        final ByteBuffer b = ByteBuffer.wrap(bytes);
        while (b.hasRemaining())
        {
            ch.write(b);
        }
    }

    /** Reads until end of stream (or a reset): spbus closed the connection. Fails after 5 s. */
    private static long awaitClosed(final SocketChannel ch) throws IOException
    {
        final long t0 = System.nanoTime();
        ch.configureBlocking(false);
        final ByteBuffer sink = ByteBuffer.allocate(65536);
        while (true)
        {
            sink.clear();
            final int n;
            try
            {
                n = ch.read(sink);
            }
            catch (final IOException e)
            {
                break; // reset
            }
            if (n < 0)
            {
                break;
            }
            if (System.nanoTime() - t0 > Duration.ofSeconds(5).toNanos())
            {
                fail("spbus did not close the IPC connection within 5 s");
            }
            if (n == 0)
            {
                java.util.concurrent.locks.LockSupport.parkNanos(1_000_000); // deadline-bounded poll
            }
        }
        return (System.nanoTime() - t0) / 1_000_000;
    }

    static byte[] ipcFrame(final int type, final byte[] payload)
    {
        return ByteBuffer.allocate(9 + payload.length).put((byte)type).putLong(payload.length).put(payload).array();
    }

    static byte[] concat(final byte[]... parts)
    {
        final ByteArrayOutputStream b = new ByteArrayOutputStream();
        for (final byte[] p : parts)
        {
            b.writeBytes(p);
        }
        return b.toByteArray();
    }

    static byte[] utf8(final String s)
    {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static String text(final byte[] b)
    {
        return new String(b, StandardCharsets.UTF_8);
    }

    private void assertGoodPeerUnaffected()
    {
        Await.until(() -> server.pipes().size() == 1, WAIT, () -> "only the good pipe is left: " + server.stats());
        final int n = SEQ.incrementAndGet();
        server.send(utf8("broadcast-" + n));
        assertEquals("broadcast-" + n, text(good.recv(WAIT)), "the good peer missed a broadcast");
        good.send(utf8("from-good-" + n));
        assertEquals("from-good-" + n, text(server.recv(WAIT)), "the listener missed the good peer's message");
        final SocketStats g = good.stats();
        assertEquals(1, g.get(Counter.PIPES_TOTAL), () -> "the good pipe must never drop: " + g);
        assertEquals(0, g.get(Counter.PIPES_CLOSED_BY_PEER), () -> "good peer " + g);
    }

    private void assertProtocolErrorCounted()
    {
        Await.until(() -> server.stats().get(Counter.PROTOCOL_ERRORS) == 1, WAIT, () -> "PROTOCOL_ERRORS: " + server.stats());
        final SocketStats st = server.stats();
        assertEquals(2, st.get(Counter.PIPES_TOTAL), () -> "the bad peer had a valid header: " + st);
        assertEquals(0, st.get(Counter.PIPES_CLOSED_BY_PEER), () -> "spbus closed it, not the peer: " + st);
        assertEquals(0, st.get(Counter.HANDSHAKE_FAILURES), () -> "listener " + st);
        assertGoodPeerUnaffected();
    }

    /** A type byte other than 1 closes the pipe at once (as NNG; nanomsg would abort), counted; earlier frames count. */
    @ParameterizedTest(name = "type 0x{0}")
    @ValueSource(strings = {"00", "02", "7f", "80", "ff"})
    void unknownIpcMessageTypeClosesThePipe(final String hexType) throws IOException
    {
        start(BusOptions.defaults());
        try (SocketChannel bad = connectRaw())
        {
            write(bad, concat(BUS_HEADER, ipcFrame(1, utf8("before")), ipcFrame(Integer.parseInt(hexType, 16), utf8("bad")),
                ipcFrame(1, utf8("after"))));
            assertEquals("before", text(server.recv(WAIT)), "the valid frame before the bad one is delivered");
            final long ms = awaitClosed(bad);
            assertTrue(ms < 2000, "closed only after " + ms + " ms");
        }
        assertProtocolErrorCounted();
        assertEquals(2, server.stats().get(Counter.MESSAGES_RECEIVED), () -> "nothing behind the bad frame: " + server.stats());
    }

    /** A peer that speaks TCP framing (no type byte) to an IPC listener: its first length byte reads as type 0. */
    @Test
    void tcpFramingOnIpcIsRefused() throws IOException
    {
        start(BusOptions.defaults());
        try (SocketChannel bad = connectRaw())
        {
            write(bad, concat(BUS_HEADER, ByteBuffer.allocate(13).putLong(5).put(utf8("hello")).array()));
            awaitClosed(bad);
        }
        assertProtocolErrorCounted();
        assertEquals(1, server.stats().get(Counter.MESSAGES_RECEIVED), () -> "only the good peer's: " + server.stats());
    }

    /** An IPC length over recvMaxSize is refused on the 9 header bytes alone; exactly the limit passes. */
    @Test
    void ipcLengthOverRecvMaxSize() throws IOException
    {
        start(BusOptions.builder().recvMaxSize(1024).build());
        try (SocketChannel bad = connectRaw())
        {
            write(bad, concat(BUS_HEADER, ipcFrame(1, new byte[1024])));
            assertEquals(1024, server.recv(WAIT).length);
            write(bad, ByteBuffer.allocate(9).put((byte)1).putLong(1025).array());
            awaitClosed(bad);
        }
        assertProtocolErrorCounted();
    }

    /**
     * IPC frames cut short by the peer's close, at each point of the frame: the complete frame
     * before is delivered, the partial one never is, and the pipe counts as closed by the peer.
     *
     * @param cut how many bytes of the 14-byte frame {@code 01 | 00..05 | hello} are sent
     * @throws IOException on a raw socket error
     */
    @ParameterizedTest(name = "{0} of 14 bytes")
    @ValueSource(ints = {1, 5, 9, 12})
    void truncatedIpcFrameThenClose(final int cut) throws IOException
    {
        start(BusOptions.defaults());
        try (SocketChannel bad = connectRaw())
        {
            write(bad, concat(BUS_HEADER, ipcFrame(1, utf8("complete")), Arrays.copyOf(ipcFrame(1, utf8("hello")), cut)));
            assertEquals("complete", text(server.recv(WAIT)));
        }
        Await.until(() -> server.stats().get(Counter.PIPES_CLOSED_BY_PEER) == 1, WAIT, () -> "closed by peer: " + server.stats());
        assertEquals(0, server.stats().get(Counter.PROTOCOL_ERRORS));
        assertGoodPeerUnaffected();
        assertEquals(2, server.stats().get(Counter.MESSAGES_RECEIVED), () -> "the partial frame was delivered: " + server.stats());
    }

    /** 200 IPC frames (with empty ones among them) in one write: all delivered, in order. */
    @Test
    void twoHundredIpcFramesInOneWrite() throws IOException
    {
        start(BusOptions.builder().recvQueueSize(1024).build());
        try (SocketChannel peer = connectRaw())
        {
            final ByteArrayOutputStream all = new ByteArrayOutputStream();
            all.writeBytes(BUS_HEADER);
            for (int i = 0; i < 200; i++)
            {
                all.writeBytes(ipcFrame(1, i % 50 == 7 ? new byte[0] : utf8(String.format("m-%03d", i))));
            }
            write(peer, all.toByteArray());
            for (int i = 0; i < 200; i++)
            {
                final String expected = i % 50 == 7 ? "" : String.format("m-%03d", i);
                assertEquals(expected, text(server.recv(WAIT)), "frame " + i + " of 200");
            }
            assertEquals(200, server.stats().get(Counter.MESSAGES_RECEIVED));
        }
        Await.until(() -> server.stats().get(Counter.PIPES_CLOSED_BY_PEER) == 1, WAIT, () -> "closed by peer: " + server.stats());
        assertGoodPeerUnaffected();
    }

    /** A peer that connects over IPC and sends nothing is closed after the (300 ms) handshake timeout. */
    @Test
    void silentIpcPeerClosedAfterHandshakeTimeout() throws IOException
    {
        start(BusOptions.builder().handshakeTimeout(Duration.ofMillis(300)).build());
        final long t0 = System.nanoTime();
        try (SocketChannel silent = connectRaw())
        {
            awaitClosed(silent);
        }
        final long ms = (System.nanoTime() - t0) / 1_000_000;
        assertTrue(ms >= 250 && ms < 3000, "closed after " + ms + " ms (timeout 300 ms)");
        Await.until(() -> server.stats().get(Counter.HANDSHAKE_FAILURES) == 1, WAIT, () -> "handshake failure: " + server.stats());
        assertEquals(1, server.stats().get(Counter.PIPES_TOTAL));
        assertGoodPeerUnaffected();
    }
}
