package org.spbus.transport.tcp.interop;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.spbus.transport.tcp.interop.RawPeer.BUS_HEADER;
import static org.spbus.transport.tcp.interop.RawPeer.concat;
import static org.spbus.transport.tcp.interop.RawPeer.frame;
import static org.spbus.transport.tcp.interop.RawPeer.header;
import static org.spbus.transport.tcp.interop.RawPeer.lengthOnly;
import static org.spbus.transport.tcp.interop.Tools.WAIT;
import static org.spbus.transport.tcp.interop.Tools.awaitCounter;
import static org.spbus.transport.tcp.interop.Tools.recvText;
import static org.spbus.transport.tcp.interop.Tools.utf8;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.spbus.Bus;
import org.spbus.BusOptions;
import org.spbus.BusSocket;
import org.spbus.Counter;
import org.spbus.SocketStats;
import org.spbus.tck.ExternalTool;

/**
 * Hostile and unusual peers against an spbus TCP listener. Each test keeps a GOOD peer (another
 * spbus socket dialed to the same listener) and checks, after the bad peer has been dealt with,
 * that spbus closed the bad connection, counted it under the right counter, and that the good
 * pipe was not disturbed: it still receives broadcasts and its messages still arrive.
 */
@Timeout(30)
class HostilePeerTest
{
    private static final AtomicInteger SEQ = new AtomicInteger();

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

    /** Opens the spbus listener with {@code options} and connects the good peer to it. */
    private void start(final BusOptions options)
    {
        server = Bus.open(options);
        url = server.listen("tcp://127.0.0.1:0").url();
        good = Bus.open();
        good.dial(url);
        awaitCounter(server, Counter.PIPES_CURRENT, 1);
    }

    private void start()
    {
        start(BusOptions.defaults());
    }

    /** Connects a raw peer and reads spbus's header, which it must send without waiting for ours. */
    private RawPeer connectRaw() throws IOException
    {
        final RawPeer p = RawPeer.connect(url);
        p.expectBusHeader();
        return p;
    }

    /**
     * The good peer still works: a broadcast from the listener reaches it, its message reaches
     * the listener, the listener has only its pipe, and the good side saw no pipe loss.
     */
    private void assertGoodPeerUnaffected()
    {
        awaitCounter(server, Counter.PIPES_CURRENT, 1);
        final int n = SEQ.incrementAndGet();
        server.send(utf8("broadcast-" + n));
        assertEquals("broadcast-" + n, recvText(good, () -> "good peer, broadcast from the listener"));
        good.send(utf8("from-good-" + n));
        assertEquals("from-good-" + n, recvText(server, () -> "listener, message from the good peer"));
        final SocketStats g = good.stats();
        assertEquals(1, g.get(Counter.PIPES_CURRENT), () -> "good peer " + g);
        assertEquals(1, g.get(Counter.PIPES_TOTAL), () -> "good peer " + g);
        assertEquals(0, g.get(Counter.PIPES_CLOSED_BY_PEER), () -> "good peer " + g);
        assertEquals(0, g.get(Counter.RECONNECTS), () -> "good peer " + g);
        assertEquals(0, g.get(Counter.DIAL_FAILURES), () -> "good peer " + g);
        assertEquals(0, server.stats().get(Counter.DROPPED_RECV_QUEUE_FULL), () -> "listener " + server.stats());
    }

    /** A bad header: spbus closes the connection at once, counts a handshake failure, attaches nothing. */
    private void assertHeaderRejected(final byte[] bytes) throws IOException
    {
        start();
        try (RawPeer bad = connectRaw())
        {
            bad.write(bytes);
            bad.awaitClosedByPeer(Duration.ofSeconds(5));
        }
        awaitCounter(server, Counter.HANDSHAKE_FAILURES, 1);
        final SocketStats st = server.stats();
        assertEquals(2, st.get(Counter.ACCEPTS), () -> "listener " + st);
        assertEquals(1, st.get(Counter.PIPES_TOTAL), () -> "the bad peer must never be attached; " + st);
        assertEquals(0, st.get(Counter.PROTOCOL_ERRORS), () -> "listener " + st);
        assertEquals(0, st.get(Counter.MESSAGES_RECEIVED), () -> "listener " + st);
        assertGoodPeerUnaffected();
    }

    // ---------------------------------------------------------------- handshake

    @Test
    void wrongProtocolIdPair0() throws IOException
    {
        assertHeaderRejected(header(0x0010, 0, 0));
    }

    @Test
    void wrongProtocolIdPair0WithFrameBehindIt() throws IOException
    {
        // Data right behind a rejected header must never be delivered.
        assertHeaderRejected(concat(header(0x0010, 0, 0), frame(utf8("sneaky"))));
    }

    @Test
    void garbageHttpRequest() throws IOException
    {
        assertHeaderRejected("GET / HTTP/1.1\r\n".getBytes(StandardCharsets.US_ASCII));
    }

    @Test
    void wrongVersionByte() throws IOException
    {
        assertHeaderRejected(header(0x0070, 1, 0));
    }

    @Test
    void nonzeroReservedBytes() throws IOException
    {
        assertHeaderRejected(header(0x0070, 0, 0x0001));
    }

    @Test
    void nonzeroReservedHighByte() throws IOException
    {
        assertHeaderRejected(header(0x0070, 0, 0x0100));
    }

    /** A real NNG PAIR0 socket dials the BUS listener; spbus rejects it every time it redials. */
    @Test
    void realNngcatPair0Dialer() throws IOException
    {
        assertRealWrongProtocolPeerRejected("--pair0");
    }

    /** A real NNG PUB socket dials the BUS listener. */
    @Test
    void realNngcatPub0Dialer() throws IOException
    {
        assertRealWrongProtocolPeerRejected("--pub0");
    }

    private void assertRealWrongProtocolPeerRejected(final String protocol) throws IOException
    {
        final String nngcat = Tools.require("nngcat", "nng-utils");
        start();
        final List<String> cmd = new ArrayList<>(List.of(nngcat, protocol, "--dial", url,
            "--data", "wrong-protocol", "--interval", "1", "--count", "10"));
        if (!protocol.startsWith("--pub"))
        {
            cmd.add("--quoted"); // nngcat refuses output formats for a send-only protocol
        }
        try (ExternalTool p = ExternalTool.start(cmd))
        {
            Tools.await(WAIT, () -> "a handshake failure from " + p.describe() + "; listener " + server.stats(),
                () -> server.stats().get(Counter.HANDSHAKE_FAILURES) >= 1 || !p.isAlive());
            assertTrue(server.stats().get(Counter.HANDSHAKE_FAILURES) >= 1,
                () -> "nngcat exited before spbus saw its connection: " + p.describe());
            final SocketStats st = server.stats();
            assertEquals(1, st.get(Counter.PIPES_TOTAL), () -> protocol + " peer must never be attached; " + st);
            assertEquals(0, st.get(Counter.MESSAGES_RECEIVED), () -> "listener " + st);
            // Checked while nngcat is still alive and redialing.
            assertGoodPeerUnaffected();
            assertTrue(p.stdout().isEmpty(), () -> "nngcat must not have received anything: " + p.describe());
        }
        assertGoodPeerUnaffected();
    }

    /** A silent peer is closed once the handshake timeout (300 ms here) has passed, not before. */
    @Test
    void silentPeerClosedAfterHandshakeTimeout() throws IOException
    {
        start(BusOptions.builder().handshakeTimeout(Duration.ofMillis(300)).build());
        final Duration closedAfter;
        try (RawPeer bad = connectRaw())
        {
            closedAfter = bad.awaitClosedByPeer(Duration.ofSeconds(5));
        }
        assertTrue(closedAfter.toMillis() >= 250, () -> "closed too early: " + closedAfter);
        assertTrue(closedAfter.toMillis() < 3000, () -> "closed too late: " + closedAfter);
        awaitCounter(server, Counter.HANDSHAKE_FAILURES, 1);
        assertEquals(1, server.stats().get(Counter.PIPES_TOTAL));
        assertGoodPeerUnaffected();
    }

    /**
     * The handshake timeout is one overall deadline from connect, not per read: a peer that
     * trickles one header byte every 150 ms cannot stretch a 500 ms handshake.
     */
    @Test
    void headerTrickledPastTheOverallDeadlineIsClosed() throws IOException
    {
        start(BusOptions.builder().handshakeTimeout(Duration.ofMillis(500)).build());
        final Duration closedAfter;
        try (RawPeer bad = connectRaw())
        {
            for (final byte b : BUS_HEADER)
            {
                try
                {
                    bad.write(new byte[] {b});
                }
                catch (final IOException e)
                {
                    break; // already closed by spbus
                }
                Tools.pause(150);
            }
            closedAfter = bad.awaitClosedByPeer(Duration.ofSeconds(3));
        }
        assertTrue(closedAfter.toMillis() < 1100, () -> "closed only after " + closedAfter
            + ": the handshake deadline must not restart on every byte");
        awaitCounter(server, Counter.HANDSHAKE_FAILURES, 1);
        assertEquals(1, server.stats().get(Counter.PIPES_TOTAL));
        assertGoodPeerUnaffected();
    }

    /** A header sent one byte at a time (well within the timeout) still makes a working pipe. */
    @Test
    void headerDribbledOneByteAtATime() throws IOException
    {
        start();
        try (RawPeer peer = connectRaw())
        {
            for (final byte b : BUS_HEADER)
            {
                peer.write(new byte[] {b});
                Tools.pause(20);
            }
            awaitCounter(server, Counter.PIPES_CURRENT, 2);
            // A frame dribbled too, then messages flow both ways.
            for (final byte b : frame(utf8("dribbled")))
            {
                peer.write(new byte[] {b});
                Tools.pause(5);
            }
            assertEquals("dribbled", recvText(server, () -> "dribbled frame"));
            server.send(utf8("to-both"));
            assertArrayEquals(utf8("to-both"), peer.readFrame(WAIT));
            assertEquals("to-both", recvText(good, () -> "good peer"));
            peer.write(frame(utf8("after")));
            assertEquals("after", recvText(server, () -> "frame after the dribble"));
        }
        awaitCounter(server, Counter.PIPES_CLOSED_BY_PEER, 1);
        assertEquals(0, server.stats().get(Counter.HANDSHAKE_FAILURES));
        assertGoodPeerUnaffected();
    }

    // ---------------------------------------------------------------- framing

    /** Length over recvMaxSize (1024): closed on the 8 length bytes alone, before any payload. */
    @Test
    void frameLengthOverRecvMaxSize() throws IOException
    {
        start(BusOptions.builder().recvMaxSize(1024).build());
        try (RawPeer bad = connectRaw())
        {
            bad.write(BUS_HEADER);
            // Exactly the limit is accepted.
            final byte[] exact = new byte[1024];
            exact[1023] = 42;
            bad.write(frame(exact));
            assertArrayEquals(exact, server.recv(WAIT), "a message of exactly recvMaxSize must be delivered");
            bad.write(lengthOnly(1025));
            bad.awaitClosedByPeer(Duration.ofSeconds(5));
        }
        assertFramingErrorCounted();
    }

    @Test
    void frameLengthLongMaxValue() throws IOException
    {
        assertLengthRejected(Long.MAX_VALUE);
    }

    /** 2^64-1: negative as a Java long; must not be taken for a small or negative size. */
    @Test
    void frameLengthAllOnes() throws IOException
    {
        assertLengthRejected(-1L);
    }

    /** Just over what a Java array can hold, with the limit off (0 = unlimited). */
    @Test
    void frameLengthOverJavaArrayWithNoLimit() throws IOException
    {
        start(BusOptions.builder().recvMaxSize(0).build());
        try (RawPeer bad = connectRaw())
        {
            bad.write(concat(BUS_HEADER, lengthOnly(BusOptions.MAX_MESSAGE_SIZE + 1)));
            bad.awaitClosedByPeer(Duration.ofSeconds(5));
        }
        assertFramingErrorCounted();
    }

    private void assertLengthRejected(final long length) throws IOException
    {
        start();
        try (RawPeer bad = connectRaw())
        {
            bad.write(concat(BUS_HEADER, lengthOnly(length)));
            bad.awaitClosedByPeer(Duration.ofSeconds(5));
        }
        assertFramingErrorCounted();
    }

    private void assertFramingErrorCounted()
    {
        awaitCounter(server, Counter.PROTOCOL_ERRORS, 1);
        final SocketStats st = server.stats();
        assertEquals(2, st.get(Counter.PIPES_TOTAL), () -> "the peer had a valid header; " + st);
        assertEquals(0, st.get(Counter.HANDSHAKE_FAILURES), () -> "listener " + st);
        assertEquals(0, st.get(Counter.PIPES_CLOSED_BY_PEER), () -> "spbus closed it, not the peer; " + st);
        assertGoodPeerUnaffected();
    }

    /** A frame cut short by the peer's close: the partial message must not be delivered. */
    @Test
    void truncatedFrameThenClose() throws IOException
    {
        start();
        try (RawPeer bad = connectRaw())
        {
            final byte[] partial = frame(utf8("0123456789"));
            bad.write(concat(BUS_HEADER, frame(utf8("complete")), Arrays.copyOf(partial, 8 + 5)));
            assertEquals("complete", recvText(server, () -> "complete frame before the truncated one"));
        }
        awaitCounter(server, Counter.PIPES_CLOSED_BY_PEER, 1);
        assertEquals(0, server.stats().get(Counter.PROTOCOL_ERRORS));
        // The next message the listener gets is the good peer's, not the partial one.
        assertGoodPeerUnaffected();
        assertEquals(2, server.stats().get(Counter.MESSAGES_RECEIVED),
            () -> "only 'complete' and the good peer's message were received: " + server.stats());
    }

    /** A frame header (length) cut short by the close. */
    @Test
    void truncatedLengthThenClose() throws IOException
    {
        start();
        try (RawPeer bad = connectRaw())
        {
            bad.write(concat(BUS_HEADER, new byte[] {0, 0, 0}));
            awaitCounter(server, Counter.PIPES_CURRENT, 2);
        }
        awaitCounter(server, Counter.PIPES_CLOSED_BY_PEER, 1);
        assertEquals(0, server.stats().get(Counter.MESSAGES_RECEIVED));
        assertGoodPeerUnaffected();
    }

    /** 200 frames in one write: all delivered, in order. */
    @Test
    void twoHundredFramesInOneWrite() throws IOException
    {
        start(BusOptions.builder().recvQueueSize(1024).build());
        try (RawPeer peer = connectRaw())
        {
            final ByteArrayOutputStream all = new ByteArrayOutputStream();
            all.writeBytes(BUS_HEADER);
            for (int i = 0; i < 200; i++)
            {
                all.writeBytes(frame(utf8(String.format("m-%03d", i))));
            }
            peer.write(all.toByteArray());
            for (int i = 0; i < 200; i++)
            {
                final int n = i;
                assertEquals(String.format("m-%03d", i), recvText(server, () -> "frame " + n + " of 200"));
            }
            assertEquals(200, server.stats().get(Counter.MESSAGES_RECEIVED));
            assertEquals(0, server.stats().get(Counter.DROPPED_RECV_QUEUE_FULL));
        }
        awaitCounter(server, Counter.PIPES_CLOSED_BY_PEER, 1);
        assertGoodPeerUnaffected();
    }

    /** A zero-length frame between two others is delivered as an empty message, in order. */
    @Test
    void zeroLengthFrameBetweenTwoOthers() throws IOException
    {
        start();
        try (RawPeer peer = connectRaw())
        {
            peer.write(BUS_HEADER);
            peer.write(concat(frame(utf8("a")), frame(new byte[0]), frame(utf8("b"))));
            assertEquals("a", recvText(server, () -> "first"));
            assertArrayEquals(new byte[0], server.recv(WAIT), "the empty message");
            assertEquals("b", recvText(server, () -> "third"));
            // And spbus sends an empty message as a bare zero length.
            server.send(new byte[0]);
            assertArrayEquals(lengthOnly(0), peer.read(8, WAIT));
            assertArrayEquals(new byte[0], good.recv(WAIT));
        }
        awaitCounter(server, Counter.PIPES_CLOSED_BY_PEER, 1);
        assertGoodPeerUnaffected();
    }

    /** The header and the first frames in the same write: bytes behind the header are kept. */
    @Test
    void headerAndDataInTheSameWrite() throws IOException
    {
        start();
        try (RawPeer peer = RawPeer.connect(url))
        {
            // Sent before reading anything from spbus.
            peer.write(concat(BUS_HEADER, frame(utf8("first")), frame(utf8("second"))));
            peer.expectBusHeader();
            assertEquals("first", recvText(server, () -> "first frame behind the header"));
            assertEquals("second", recvText(server, () -> "second frame behind the header"));
            awaitCounter(server, Counter.PIPES_CURRENT, 2);
            server.send(utf8("reply"));
            assertArrayEquals(utf8("reply"), peer.readFrame(WAIT));
            assertEquals("reply", recvText(good, () -> "good peer"));
        }
        awaitCounter(server, Counter.PIPES_CLOSED_BY_PEER, 1);
        assertGoodPeerUnaffected();
    }

    /**
     * A peer that completes the handshake and then never reads: sends never block, the stalled
     * pipe drops what its queue cannot hold (counted), and the good pipe gets every message in
     * order. What the stalled peer finally reads is in order, with no duplicates.
     */
    @Test
    void stalledPeerDoesNotBlockSendOrOtherPipes() throws IOException
    {
        start();
        try (RawPeer stalled = RawPeer.connect(url, 32 * 1024))
        {
            stalled.write(BUS_HEADER);
            stalled.expectBusHeader();
            awaitCounter(server, Counter.PIPES_CURRENT, 2);
            final int n = 400;
            final byte[] body = new byte[64 * 1024];
            final long t0 = System.nanoTime();
            for (int i = 0; i < n; i++)
            {
                ByteBuffer.wrap(body).putInt(i);
                server.send(body);
                final byte[] got = good.recv(WAIT);
                assertEquals(i, ByteBuffer.wrap(got).getInt(), "the good peer gets every message in order");
            }
            final long ms = (System.nanoTime() - t0) / 1_000_000;
            assertTrue(ms < 15_000, () -> n + " paced sends took " + ms + " ms");
            final SocketStats st = server.stats();
            assertTrue(st.get(Counter.DROPPED_SEND_QUEUE_FULL) > 0,
                () -> "the stalled pipe must have dropped messages: " + st);
            assertEquals(2, st.get(Counter.PIPES_CURRENT), () -> "a slow pipe is not closed: " + st);
            int last = -1;
            while (true)
            {
                final byte[] got;
                try
                {
                    got = stalled.readFrame(Duration.ofMillis(500));
                }
                catch (final SocketTimeoutException e)
                {
                    break; // drained
                }
                final int seq = ByteBuffer.wrap(got).getInt();
                assertTrue(seq > last, "the stalled peer reads in order: " + seq + " after " + last);
                last = seq;
            }
            assertTrue(last >= 0 && last < n - 1, "the stalled peer got some, but not all, messages: last " + last);
        }
        awaitCounter(server, Counter.PIPES_CLOSED_BY_PEER, 1);
        assertGoodPeerUnaffected();
    }

    /** A peer that connects and closes before sending a full header: one handshake failure. */
    @ParameterizedTest
    @ValueSource(ints = {0, 3, 7})
    void closedDuringHandshake(final int headerBytes) throws IOException
    {
        start();
        try (RawPeer bad = connectRaw())
        {
            if (headerBytes > 0)
            {
                bad.write(Arrays.copyOf(BUS_HEADER, headerBytes));
            }
        }
        awaitCounter(server, Counter.HANDSHAKE_FAILURES, 1);
        assertEquals(1, server.stats().get(Counter.PIPES_TOTAL));
        assertGoodPeerUnaffected();
    }
}
