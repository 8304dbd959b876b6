package org.spbus.transport.tcp.faults;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.spbus.transport.tcp.faults.Faults.WAIT;
import static org.spbus.transport.tcp.faults.Faults.body;
import static org.spbus.transport.tcp.faults.Faults.intact;
import static org.spbus.transport.tcp.faults.Faults.senderOf;
import static org.spbus.transport.tcp.faults.Faults.seqOf;
import static org.spbus.transport.tcp.faults.Faults.utf8;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.spbus.Bus;
import org.spbus.BusOptions;
import org.spbus.BusSocket;
import org.spbus.Counter;
import org.spbus.DialMode;
import org.spbus.Dialer;
import org.spbus.Message;
import org.spbus.SocketStats;
import org.spbus.tck.Await;
import org.spbus.tck.LeakCheck;
import org.spbus.tck.ExternalTool;

/**
 * A peer process killed with SIGKILL in the middle of a stream ({@link Process#destroyForcibly()}):
 * a real {@code nngcat} (dialing us, and listening for us), and a second JVM running
 * {@link PeerMain}. Each time the killed peer's pipe goes (counted as closed by the peer), no
 * partial message is delivered, the sender that keeps broadcasting throughout is never blocked,
 * a good peer keeps exchanging both ways, and the send side stays accounted for.
 */
@Timeout(60)
@ExtendWith(LeakCheck.class)
class SigkillPeerTest
{
    private static final BusOptions FAST_REDIAL = BusOptions.builder().reconnectMin(Duration.ofMillis(20))
        .reconnectMax(Duration.ofMillis(200)).build();

    private BusSocket server;
    private BusSocket good;
    private Broadcaster broadcaster;

    @AfterEach
    void closeAll() throws InterruptedException
    {
        if (broadcaster != null)
        {
            broadcaster.stop();
        }
        if (good != null)
        {
            good.close();
        }
        if (server != null)
        {
            server.close();
        }
    }

    /** Keeps sending from the server while the peer is killed, and records the slowest send. */
    private static final class Broadcaster
    {
        final AtomicBoolean stop = new AtomicBoolean();
        final AtomicLong slowestNanos = new AtomicLong();
        final AtomicLong sent = new AtomicLong();
        final AtomicReference<Throwable> failure = new AtomicReference<>();
        final Thread thread;

        Broadcaster(final BusSocket s, final int padding)
        {
            thread = new Thread(() ->
            {
                try
                {
                    for (int seq = 0; !stop.get(); seq++)
                    {
                        final long t0 = System.nanoTime();
                        s.send(body(7, seq, padding));
                        slowestNanos.accumulateAndGet(System.nanoTime() - t0, Math::max);
                        sent.incrementAndGet();
                        java.util.concurrent.locks.LockSupport.parkNanos(500_000);
                    }
                }
                catch (final Throwable t)
                {
                    failure.set(t);
                }
            }, "fault-broadcaster");
            thread.setDaemon(true);
            thread.start();
        }

        void stop() throws InterruptedException
        {
            stop.set(true);
            thread.join(WAIT.toMillis());
        }

        void assertNeverBlocked()
        {
            assertEquals(null, failure.get(), "the broadcaster failed");
            assertTrue(slowestNanos.get() < Duration.ofMillis(500).toNanos(),
                "BU-5 send never blocks: a send took " + slowestNanos.get() / 1_000_000 + " ms while a peer was killed");
        }
    }

    private String startServerWithGoodPeer()
    {
        server = Bus.open(BusOptions.builder().recvQueueSize(1024).build());
        final String url = server.listen("tcp://127.0.0.1:0").url();
        good = Bus.open(BusOptions.builder().recvQueueSize(1024).build());
        good.dial(url);
        Await.until(() -> server.pipes().size() == 1, WAIT, "the good peer attached");
        return url;
    }

    /** The good peer gets a fresh broadcast and its message reaches the server (skipping other traffic). */
    private void assertGoodPeerExchanges(final String tag)
    {
        final byte[] ping = utf8("server-ping-" + tag);
        server.send(ping);
        awaitMessage(good, ping, "the good peer never got the server's " + tag + " message");
        final byte[] pong = utf8("good-pong-" + tag);
        good.send(pong);
        awaitMessage(server, pong, "the server never got the good peer's " + tag + " message");
    }

    /** Waits for {@code expected} from the tool; false if the tool exited first. */
    private static boolean receivedFrom(final BusSocket s, final byte[] expected, final ExternalTool tool)
    {
        final boolean[] got = {false};
        Await.until(() ->
        {
            byte[] b;
            while ((b = s.tryRecv()) != null)
            {
                got[0] |= java.util.Arrays.equals(b, expected);
            }
            return got[0] || !tool.isAlive();
        }, WAIT, () -> "nothing from " + tool.describe() + "; stats " + s.stats());
        return got[0];
    }

    private static void awaitMessage(final BusSocket s, final byte[] expected, final String failure)
    {
        Await.until(() ->
        {
            byte[] b;
            while ((b = s.tryRecv()) != null)
            {
                if (java.util.Arrays.equals(b, expected))
                {
                    return true;
                }
            }
            return false;
        }, WAIT, () -> failure + "; stats " + s.stats());
    }

    /**
     * A second JVM dials, streams 2 KiB messages, and is killed with SIGKILL mid-stream while
     * the server broadcasts to it: the server drops its pipe (PIPES_CLOSED_BY_PEER), delivers only
     * whole messages from it, in order, loses none of the good peer's, and never blocks.
     */
    @Test
    void secondJvmKilledMidStream() throws InterruptedException
    {
        final String url = startServerWithGoodPeer();
        final int padding = 2048;
        final int childId = 42;
        broadcaster = new Broadcaster(server, 512);
        try (ExternalTool child = ExternalTool.start(Faults.javaCommand(PeerMain.class, url, Integer.toString(childId),
            Integer.toString(padding))))
        {
            Await.until(() -> server.pipes().size() == 2 || !child.isAlive(), Duration.ofSeconds(30),
                () -> "the child JVM never attached: " + child.describe());
            assertTrue(child.isAlive(), () -> "the child JVM died: " + child.describe());
            final Map<Integer, Integer> lastSeqByPipe = new HashMap<>();
            final long[] fromChild = {0};
            final long[] partial = {0};
            final Runnable drain = () ->
            {
                Message m;
                while ((m = server.tryRecvMessage()) != null)
                {
                    final byte[] b = m.body();
                    if (b.length >= 8 && senderOf(b) == childId)
                    {
                        if (!intact(b, padding))
                        {
                            partial[0]++;
                        }
                        final Integer last = lastSeqByPipe.put(m.pipeId(), seqOf(b));
                        assertTrue(last == null || seqOf(b) > last,
                            "per-pipe FIFO from the child JVM: " + seqOf(b) + " after " + last);
                        fromChild[0]++;
                    }
                }
            };
            Await.until(() ->
            {
                drain.run();
                return fromChild[0] >= 500;
            }, WAIT, () -> "the child JVM's stream never arrived: " + child.describe() + "; " + server.stats());
            final long closedByPeerBefore = server.stats().get(Counter.PIPES_CLOSED_BY_PEER);
            child.kill();
            Await.until(() ->
            {
                drain.run();
                return server.pipes().size() == 1;
            }, WAIT, () -> "the killed JVM's pipe never went: " + server.stats());
            drain.run();
            assertEquals(0, partial[0], "a message cut by the kill was delivered");
            assertEquals(closedByPeerBefore + 1, server.stats().get(Counter.PIPES_CLOSED_BY_PEER),
                () -> "the killed peer's pipe must be counted as closed by the peer: " + server.stats());
            assertGoodPeerExchanges("after-jvm-kill");
            broadcaster.stop();
            broadcaster.assertNeverBlocked();
            Faults.awaitSendSideAccounted(server, "server");
            final SocketStats st = server.stats();
            System.out.println("[sigkill jvm] received " + fromChild[0] + " whole messages from the child before the kill;"
                + " server broadcast " + broadcaster.sent.get() + ", dropped (queue full) " + st.get(Counter.DROPPED_SEND_QUEUE_FULL)
                + ", dropped (pipe closed) " + st.get(Counter.DROPPED_PIPE_CLOSED));
        }
    }

    /**
     * A real nngcat dials the server, sends once a second and prints what the server streams
     * to it; killed with SIGKILL mid-stream: the pipe goes, counted; the good peer is untouched.
     */
    @Test
    void nngcatDialerKilledMidStream() throws InterruptedException
    {
        final String nngcat = ExternalTool.require("nngcat", "nng-utils");
        final String url = startServerWithGoodPeer();
        broadcaster = new Broadcaster(server, 64);
        try (ExternalTool cat = ExternalTool.start(List.of(nngcat, "--bus0", "--dial", url, "--data", "from-nngcat", "--interval", "1",
            "--quoted")))
        {
            Await.until(() -> server.pipes().size() == 2 || !cat.isAlive(), WAIT, () -> "nngcat never attached: " + cat.describe());
            awaitMessage(server, utf8("from-nngcat"), "nothing from nngcat: " + cat.describe());
            Await.until(() -> cat.stdoutLines().size() >= 20, WAIT, () -> "nngcat is not receiving the stream: " + cat.describe());
            final long closedByPeerBefore = server.stats().get(Counter.PIPES_CLOSED_BY_PEER);
            cat.kill();
            Await.until(() -> server.pipes().size() == 1, WAIT, () -> "the killed nngcat's pipe never went: " + server.stats());
            assertEquals(closedByPeerBefore + 1, server.stats().get(Counter.PIPES_CLOSED_BY_PEER),
                () -> "counted as closed by the peer: " + server.stats());
            assertGoodPeerExchanges("after-nngcat-kill");
            broadcaster.stop();
            broadcaster.assertNeverBlocked();
            Faults.awaitSendSideAccounted(server, "server");
        }
    }

    /**
     * spbus dials a listening nngcat, which is killed with SIGKILL mid-stream: the dialer's pipe
     * goes, the dialer keeps redialing the dead port (counted failures, never blocking the
     * sender), and a new nngcat on the same port is reached again (RECONNECTS), gets the stream
     * and its messages arrive.
     */
    @Test
    void nngcatListenerKilledMidStream_dialerRedialsANewOne() throws InterruptedException
    {
        final String nngcat = ExternalTool.require("nngcat", "nng-utils");
        server = Bus.open(FAST_REDIAL);
        final int port = Faults.freePort();
        final String url = "tcp://127.0.0.1:" + port;
        final List<String> cmd = List.of(nngcat, "--bus0", "--listen", url, "--data", "from-nngcat", "--interval", "1", "--quoted");
        broadcaster = new Broadcaster(server, 64);
        Dialer d = null;
        try (ExternalTool first = ExternalTool.start(cmd))
        {
            d = server.dial(url, DialMode.NON_BLOCKING);
            final Dialer dialer = d;
            Await.until(() -> dialer.isConnected() || !first.isAlive(), WAIT, () -> "never connected to " + first.describe());
            Await.until(() -> first.stdoutLines().size() >= 20, WAIT, () -> "nngcat is not receiving the stream: " + first.describe());
            first.kill();
            Await.until(() -> !dialer.isConnected(), WAIT, () -> "the dialer still reports connected: " + server.stats());
            final long failures = server.stats().get(Counter.DIAL_FAILURES);
            Await.until(() -> server.stats().get(Counter.DIAL_FAILURES) >= failures + 2, WAIT,
                () -> "the dialer does not keep redialing the dead port: " + server.stats());
            // nngcat 1.5.2 with --interval exits with "Cannot set recv timeout: Invalid argument"
            // when its receive loop falls behind its interval (it then asks for a negative
            // timeout), which a loaded machine sometimes causes while nngcat prints the stream.
            // Such a run proves nothing either way: start another nngcat on the port (3 at most).
            for (int attempt = 1; ; attempt++)
            {
                final long reconnects = server.stats().get(Counter.RECONNECTS);
                try (ExternalTool second = ExternalTool.start(cmd))
                {
                    Await.until(() -> server.stats().get(Counter.RECONNECTS) > reconnects && dialer.isConnected()
                        || !second.isAlive(), WAIT,
                        () -> "never reconnected to a new nngcat on the same port: " + second.describe() + "; " + server.stats());
                    Await.until(() -> second.stdoutLines().size() >= 5 || !second.isAlive(), WAIT,
                        () -> "the new nngcat gets no stream: " + second.describe());
                    if (second.isAlive() && receivedFrom(server, utf8("from-nngcat"), second))
                    {
                        break;
                    }
                    final boolean nngcatBug = !second.isAlive() && second.stderr().contains("Cannot set recv timeout");
                    assertTrue(nngcatBug && attempt < 3, () -> "nothing from the new nngcat: " + second.describe() + "; "
                        + server.stats());
                }
            }
            broadcaster.stop();
            broadcaster.assertNeverBlocked();
            Faults.awaitSendSideAccounted(server, "server");
        }
        finally
        {
            if (d != null)
            {
                d.close();
            }
        }
    }
}
