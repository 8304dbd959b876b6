package org.spbus.tck;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.spbus.BusSocket;
import org.spbus.BusTimeoutException;
import org.spbus.Counter;
import org.spbus.Message;

/**
 * The seed's unit-test table, run over the transport under test: {@code TestBusSendNoPeers},
 * {@code TestBusBroadcast}, {@code TestBusNoLoopback}, {@code TestBusSymmetric},
 * {@code TestBusBestEffort}, {@code TestBusRecv} and {@code TestBusRecvTimeout}
 * ({@code TestSocketClose} is {@link SocketCloseTck}). Rules BU-1 to BU-5 of the seed.
 *
 * <p>Subclass once per fixture:
 * <pre>{@code
 * class TcpBusSemanticsTckTest extends BusSemanticsTck {
 *     TcpBusSemanticsTckTest() { super(TcpFixture.IPV4); }
 * }
 * }</pre>
 */
public abstract class BusSemanticsTck extends AbstractBusTck
{
    /**
     * Creates the suite for one transport.
     *
     * @param fixture describes the transport under test
     */
    protected BusSemanticsTck(final TransportFixture fixture)
    {
        super(fixture);
    }

    /**
     * TestBusSendNoPeers. BU-5: a send with no pipe returns normally (every send form) and is
     * counted as {@link Counter#DROPPED_NO_PEERS}; a listener with no peer yet changes nothing.
     */
    @Test
    public void required_BU5_sendWithNoPeers_returnsAndCountsDropNoPeers()
    {
        try (BusSocket s = open())
        {
            s.send(bytes("alone"));
            s.send(bytes("xalonex"), 1, 5);
            final ByteBuffer bb = ByteBuffer.wrap(bytes("alone"));
            s.send(bb);
            assertEquals(bb.limit(), bb.position(), "send(ByteBuffer) must consume the buffer even with no peer");
            listen(s);
            s.send(new byte[0]);
            assertEquals(4, stat(s, Counter.MESSAGES_SENT), "BU-5 no peers: every send is counted as sent");
            assertEquals(4, stat(s, Counter.DROPPED_NO_PEERS),
                "BU-5 no peers: a send with no pipe must be counted as DROPPED_NO_PEERS");
            assertEquals(0, stat(s, Counter.PIPE_MESSAGES_QUEUED), "BU-5 no peers: nothing may be queued with no pipe");
            assertNull(s.tryRecv(), "BU-3 no loopback: a send with no peer came back to the sender");
        }
    }

    /**
     * TestBusBroadcast. BU-2: one send reaches every directly connected peer, exactly once.
     *
     * @param peers how many peers dial the sender
     */
    @ParameterizedTest(name = "{0} peer(s)")
    @ValueSource(ints = {1, 3, 8})
    public void required_BU2_sendReachesEveryPeer_exactlyOnce(final int peers)
    {
        final BusSocket hub = open();
        final List<BusSocket> spokes = new ArrayList<>();
        try (hub)
        {
            final String url = listen(hub).url();
            for (int i = 0; i < peers; i++)
            {
                final BusSocket s = open();
                spokes.add(s);
                dial(s, url, hub);
            }
            hub.send(bytes("to-all"));
            hub.send(bytes("end"));
            assertEquals(2L * peers, stat(hub, Counter.PIPE_MESSAGES_QUEUED),
                "BU-2 broadcast: each send must be queued once per pipe");
            for (int i = 0; i < peers; i++)
            {
                final BusSocket s = spokes.get(i);
                assertEquals("to-all", text(s.recv(Await.timeout())), "BU-2 broadcast: peer " + i + " did not get the message");
                assertEquals("end", text(s.recv(Await.timeout())),
                    "BU-2 broadcast: peer " + i + " got the message more than once, or out of order");
                assertNull(s.tryRecv(), "BU-2 broadcast: peer " + i + " got more than was sent");
            }
        }
        finally
        {
            spokes.forEach(BusSocket::close);
        }
    }

    /**
     * TestBusNoLoopback. BU-3: a sender never receives its own message. Proven without waiting
     * for an absence: the peer answers after receiving, and the first (and only) message the
     * sender finds is that answer.
     */
    @Test
    public void required_BU3_senderNeverReceivesItsOwnMessage()
    {
        try (BusSocket a = open(); BusSocket b = open())
        {
            connect(a, b);
            a.send(bytes("from-a"));
            assertEquals("from-a", text(b.recv(Await.timeout())), "BU-2: the peer did not receive the message");
            b.send(bytes("from-b"));
            assertEquals("from-b", text(a.recv(Await.timeout())), "BU-3 no loopback: the sender received its own message");
            a.send(bytes("done"));
            assertEquals("done", text(b.recv(Await.timeout())), "BU-3 no loopback: the sender received its own message");
            assertNull(a.tryRecv(), "BU-3 no loopback: the sender received its own message");
            assertNull(b.tryRecv(), "BU-3 no loopback: the sender received its own message");
            assertStat(b, Counter.MESSAGES_RECEIVED, 2, "BU-3 no loopback: the sender received its own message");
            assertStat(a, Counter.MESSAGES_RECEIVED, 1, "BU-3 no loopback: the sender received its own message");
        }
    }

    /**
     * TestBusSymmetric. BU-1 and BU-4: both ends of a pipe, listener and dialer, send and
     * receive, in any order: two sends in a row, two receives in a row (no request/reply state).
     */
    @Test
    public void required_BU1_BU4_bothEndsSendAndReceive_noStateMachine()
    {
        try (BusSocket l = open(); BusSocket d = open())
        {
            connect(l, d);
            l.send(bytes("l1"));
            l.send(bytes("l2"));
            d.send(bytes("d1"));
            d.send(bytes("d2"));
            assertEquals("l1", text(d.recv(Await.timeout())), "BU-1 symmetric: the dialer did not receive from the listener");
            assertEquals("l2", text(d.recv(Await.timeout())), "BU-4 no state machine: a second send in a row was lost");
            assertEquals("d1", text(l.recv(Await.timeout())), "BU-1 symmetric: the listener did not receive from the dialer");
            assertEquals("d2", text(l.recv(Await.timeout())), "BU-4 no state machine: a second send in a row was lost");
            for (int round = 0; round < 3; round++)
            {
                d.send(bytes("ping" + round));
                assertEquals("ping" + round, text(l.recv(Await.timeout())), "BU-1 symmetric: round " + round);
                l.send(bytes("pong" + round));
                assertEquals("pong" + round, text(d.recv(Await.timeout())), "BU-1 symmetric: round " + round);
            }
        }
    }

    /**
     * TestBusBestEffort. BU-5: a slow peer (one that does not receive while the sender sends)
     * does not slow the sender or the other peers: every send returns at once and a fast peer
     * loses nothing. When the slow peer reads again, it gets every message that was not counted
     * as dropped, by the sender ({@link Counter#DROPPED_SEND_QUEUE_FULL}) or by itself
     * ({@link Counter#DROPPED_RECV_QUEUE_FULL}), in order: {@code sent = delivered + dropped} on
     * the slow path. (How many are dropped depends on how much the transport buffers: a TCP
     * loopback may hold all of them.) The fast peer is kept fast by receiving every few
     * messages, fewer than any queue holds.
     */
    @Test
    public void required_BU5_slowPeerDropsAndCountsIt_fastPeerLosesNothing()
    {
        final int n = 2000;
        final int window = 8;
        final int slowQueue = 4;
        try (BusSocket sender = open();
             BusSocket fast = open();
             BusSocket slow = open(options().recvQueueSize(slowQueue).build()))
        {
            final String url = listen(sender).url();
            dial(fast, url, sender);
            dial(slow, url, sender);
            long slowestSendNanos = 0;
            for (int i = 0; i < n; i++)
            {
                final long t0 = System.nanoTime();
                sender.send(sequenced(1, i, 16));
                slowestSendNanos = Math.max(slowestSendNanos, System.nanoTime() - t0);
                if ((i + 1) % window == 0 || i == n - 1)
                {
                    for (int j = i - (i % window); j <= i; j++)
                    {
                        final byte[] got = fast.recv(Await.timeout());
                        assertEquals(j, seqOf(got), "BU-5 best-effort: the fast peer lost or reordered a message"
                            + " because another peer was slow");
                    }
                }
            }
            assertTrue(slowestSendNanos < Duration.ofSeconds(2).toNanos(),
                "BU-5 send never blocks: one send took " + Duration.ofNanos(slowestSendNanos).toMillis() + " ms");
            assertNull(fast.tryRecv(), "BU-2: the fast peer got more messages than were sent");
            assertEquals(0, stat(fast, Counter.DROPPED_RECV_QUEUE_FULL), "BU-5: the fast peer dropped a message");
            assertEquals(n, stat(sender, Counter.MESSAGES_SENT), "every send must be counted as sent");

            // The slow peer now reads. Everything the sender did not drop, and count, reaches it,
            // in order: messages are lost only where a counter says so.
            final long[] got = {0};
            final int[] last = {-1};
            Await.until(() ->
            {
                byte[] b;
                while ((b = slow.tryRecv()) != null)
                {
                    assertTrue(seqOf(b) > last[0], "per-pipe FIFO: the slow peer's messages are out of order");
                    last[0] = seqOf(b);
                    got[0]++;
                }
                return got[0] + stat(sender, Counter.DROPPED_SEND_QUEUE_FULL)
                    + stat(slow, Counter.DROPPED_RECV_QUEUE_FULL) == n;
            }, Await.timeout(), () -> "BU-5 accounting: sent = delivered + counted drops does not hold on the slow path"
                + " (the slow peer got " + got[0] + " of " + n + "): sender " + sender.stats() + ", slow peer " + slow.stats());
            assertEquals(0, stat(sender, Counter.DROPPED_PIPE_CLOSED), "no pipe closed during the test");
            Await.until(() -> stat(sender, Counter.PIPE_MESSAGES_PENDING) == 0
                    && stat(sender, Counter.MESSAGES_WRITTEN) == stat(sender, Counter.PIPE_MESSAGES_QUEUED), Await.timeout(),
                () -> "BU-5 accounting: queued = written + pending does not settle: " + sender.stats());
            assertEquals(got[0], stat(slow, Counter.MESSAGES_RECEIVED), "every message the slow peer got is counted");
            assertNull(slow.tryRecv(), "BU-5: the slow peer received more than MESSAGES_RECEIVED counts");
        }
    }

    /**
     * TestBusRecv. BU-1: a socket receives from any of its peers; {@code recvMessage} tells the
     * pipe each message came on (non-zero, the same for one peer, different between peers), and
     * the messages of one peer keep their order.
     */
    @Test
    public void required_BU1_recvFromAnyPeer_withPipeId()
    {
        try (BusSocket a = open(); BusSocket b = open(); BusSocket c = open())
        {
            final String url = listen(a).url();
            dial(b, url, a);
            dial(c, url, a);
            b.send(bytes("b1"));
            c.send(bytes("c1"));
            b.send(bytes("b2"));
            c.send(bytes("c2"));
            final Map<String, Integer> pipeOf = new HashMap<>();
            final List<String> order = new ArrayList<>();
            for (int i = 0; i < 4; i++)
            {
                final Message m = i % 2 == 0 ? a.recvMessage(Await.timeout()) : a.recvMessage();
                assertNotEquals(0, m.pipeId(), "recvMessage: a message from a pipe must carry its non-zero pipe id");
                pipeOf.put(m.text(), m.pipeId());
                order.add(m.text());
            }
            assertEquals(4, pipeOf.size(), "BU-1 recv from any peer: expected b1, b2, c1, c2 but got " + order);
            assertEquals(pipeOf.get("b1"), pipeOf.get("b2"), "recvMessage: two messages of one peer carry different pipe ids");
            assertEquals(pipeOf.get("c1"), pipeOf.get("c2"), "recvMessage: two messages of one peer carry different pipe ids");
            assertNotEquals(pipeOf.get("b1"), pipeOf.get("c1"), "recvMessage: two peers' messages carry the same pipe id");
            assertTrue(order.indexOf("b1") < order.indexOf("b2") && order.indexOf("c1") < order.indexOf("c2"),
                "per-pipe FIFO: one peer's messages were reordered: " + order);
            a.send(bytes("reply"));
            assertEquals("reply", text(b.recvMessage(Await.timeout()).body()), "BU-2: a peer missed a broadcast");
            final Message atC = c.recvMessage(Await.timeout());
            assertEquals("reply", atC.text(), "BU-2: a peer missed a broadcast");
            assertNotEquals(0, atC.pipeId(), "recvMessage: a dialer's pipe must carry a non-zero pipe id");
        }
    }

    /**
     * TestBusRecvTimeout. A receive with a timeout and no message throws
     * {@link BusTimeoutException} after roughly that time (not before it, not much after), also
     * with a peer attached; the socket's default {@code recvTimeout} applies to {@code recv()};
     * {@code tryRecv} returns {@code null} at once; and the socket still works afterwards.
     */
    @Test
    public void required_recvTimeout_throwsBusTimeoutAfterRoughlyTheTimeout_tryRecvReturnsNull()
    {
        final Duration timeout = Duration.ofMillis(200);
        final Duration slack = Duration.ofSeconds(2);
        try (BusSocket a = open(options().recvTimeout(Duration.ofMillis(150)).build()); BusSocket b = open())
        {
            connect(a, b);
            assertTimesOut(() -> a.recv(timeout), timeout, slack, "recv(Duration)");
            assertTimesOut(() -> a.recvMessage(timeout), timeout, slack, "recvMessage(Duration)");
            assertTimesOut(a::recv, Duration.ofMillis(150), slack, "recv() with BusOptions.recvTimeout");
            assertTimesOut(a::recvMessage, Duration.ofMillis(150), slack, "recvMessage() with BusOptions.recvTimeout");
            assertTimesOut(() -> a.recv(Duration.ZERO), Duration.ZERO, slack, "recv(Duration.ZERO)");
            final long t0 = System.nanoTime();
            assertNull(a.tryRecv(), "tryRecv: no message was sent, it must return null");
            assertNull(a.tryRecvMessage(), "tryRecvMessage: no message was sent, it must return null");
            assertTrue(System.nanoTime() - t0 < slack.toNanos(), "tryRecv must not wait");
            b.send(bytes("after-timeouts"));
            assertArrayEquals(bytes("after-timeouts"), a.recv(Await.timeout()),
                "a receive timeout must leave the socket usable");
        }
    }

    private static void assertTimesOut(final Runnable recv, final Duration timeout, final Duration slack, final String what)
    {
        final long t0 = System.nanoTime();
        assertThrows(BusTimeoutException.class, recv::run,
            "recv timeout: " + what + " with no message must throw BusTimeoutException");
        final long elapsed = System.nanoTime() - t0;
        // 2 ms of tolerance for clocks coarser than the deadline arithmetic.
        assertTrue(elapsed >= timeout.toNanos() - 2_000_000L, "recv timeout: " + what + " gave up after "
            + Duration.ofNanos(elapsed).toMillis() + " ms, before its timeout of " + timeout.toMillis() + " ms");
        assertTrue(elapsed <= timeout.plus(slack).toNanos(), "recv timeout: " + what + " took "
            + Duration.ofNanos(elapsed).toMillis() + " ms for a timeout of " + timeout.toMillis() + " ms");
    }
}
