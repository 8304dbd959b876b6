package org.spbus.transport.tcp.faults;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.spbus.transport.tcp.faults.Faults.WAIT;
import static org.spbus.transport.tcp.faults.Faults.body;
import static org.spbus.transport.tcp.faults.Faults.intact;
import static org.spbus.transport.tcp.faults.Faults.senderOf;
import static org.spbus.transport.tcp.faults.Faults.seqOf;

import java.time.Duration;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.spbus.Bus;
import org.spbus.BusOptions;
import org.spbus.BusSocket;
import org.spbus.BusTimeoutException;
import org.spbus.Counter;
import org.spbus.Message;
import org.spbus.Pipe;
import org.spbus.SocketStats;
import org.spbus.tck.Await;
import org.spbus.tck.LeakCheck;

/**
 * A bounded soak: five members, four in a full TCP mesh and a fifth joined to two of them (over
 * TCP; over inproc with {@code -Dspbus.soak.inproc=true}, which fails today on an inproc
 * accounting bug, see {@link InprocAccountingTest}), each sending sequenced messages from its own thread and receiving on another, while
 * random pipes are closed ({@code pipes().get(i).close()}; dialers redial). Checked per receiver
 * and sender: nothing corrupted, nothing duplicated, per-pipe FIFO, no loopback, no forwarding
 * (the fifth member hears only its two peers). At quiescence (senders and churn stopped, the
 * mesh whole again, a fence message through every pipe): every member's send side is accounted
 * for ({@code PIPE_MESSAGES_QUEUED = MESSAGES_WRITTEN + DROPPED_PIPE_CLOSED}, nothing pending),
 * {@code MESSAGES_SENT} equals the sends made, each receiver's {@code MESSAGES_RECEIVED} equals
 * what {@code recv} returned plus {@code RECV_QUEUE_DEPTH}, and the messages written but never
 * received (lost in the kernel buffers of closed pipes, which no counter sees) are reported.
 *
 * <p>Duration: {@code -Dspbus.soak.seconds=N} (default 20, at most 240).
 */
@ExtendWith(LeakCheck.class)
class SoakTest
{
    private static final int MEMBERS = 5;
    private static final int INPROC_MEMBER = 4;
    private static final int FENCE = Integer.MAX_VALUE;
    private static final boolean INPROC = Boolean.getBoolean("spbus.soak.inproc");
    private static final String[] NAMES = {"m0", "m1", "m2", "m3", INPROC ? "m4(inproc)" : "m4(edge)"};

    /** Who is directly connected to whom. */
    private static boolean linked(final int a, final int b)
    {
        if (a == b)
        {
            return false;
        }
        if (a == INPROC_MEMBER || b == INPROC_MEMBER)
        {
            final int other = a == INPROC_MEMBER ? b : a;
            return other == 0 || other == 2;
        }
        return true;
    }

    private static int expectedPipes(final int m)
    {
        int n = 0;
        for (int o = 0; o < MEMBERS; o++)
        {
            n += linked(m, o) ? 1 : 0;
        }
        return n;
    }

    /** What one receiver saw. Written by its receiver thread only; read after the join. */
    private static final class Seen
    {
        final BitSet[] seqs = new BitSet[MEMBERS];
        final Map<Long, Integer> lastByPipeAndSender = new HashMap<>();
        final boolean[] fence = new boolean[MEMBERS];
        final long[] fromSender = new long[MEMBERS];
        final AtomicLong returned = new AtomicLong();
        final ConcurrentLinkedQueue<String> violations = new ConcurrentLinkedQueue<>();
        volatile int fences;

        Seen()
        {
            for (int i = 0; i < MEMBERS; i++)
            {
                seqs[i] = new BitSet();
            }
        }
    }

    @Test
    @Timeout(300)
    void soak_meshWithPipeChurn_nothingLostThatIsNotCounted() throws InterruptedException
    {
        final int seconds = Math.max(1, Math.min(240, Integer.getInteger("spbus.soak.seconds", 20)));
        final BusOptions o = BusOptions.builder().reconnectMin(Duration.ofMillis(20)).reconnectMax(Duration.ofMillis(200))
            .recvQueueSize(256).build();
        final List<BusSocket> m = new ArrayList<>();
        final List<Thread> threads = new ArrayList<>();
        final AtomicBoolean stopSend = new AtomicBoolean();
        final AtomicBoolean stopRecv = new AtomicBoolean();
        final long[] sends = new long[MEMBERS];
        final Seen[] seen = new Seen[MEMBERS];
        final ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
        try
        {
            for (int i = 0; i < MEMBERS; i++)
            {
                m.add(Bus.open(o));
                seen[i] = new Seen();
            }
            final List<String> tcpUrls = new ArrayList<>();
            for (int i = 0; i < 4; i++)
            {
                tcpUrls.add(m.get(i).listen("tcp://127.0.0.1:0").url());
                for (int j = 0; j < i; j++)
                {
                    m.get(i).dial(tcpUrls.get(j));
                }
            }
            // The fifth member, a partial one: over tcp by default; over inproc with -Dspbus.soak.inproc=true
            // (fails today: see InprocAccountingTest, the inproc accounting bug).
            final String edge = INPROC ? "inproc://soak-" + ProcessHandle.current().pid() + "-" + System.nanoTime()
                : "tcp://127.0.0.1:0";
            final String edgeUrl = m.get(INPROC_MEMBER).listen(edge).url();
            m.get(0).dial(edgeUrl);
            m.get(2).dial(edgeUrl);
            awaitMeshWhole(m, "setup");

            for (int i = 0; i < MEMBERS; i++)
            {
                final int me = i;
                final BusSocket s = m.get(i);
                final Seen mine = seen[i];
                threads.add(start("soak-recv-" + i, failures, () ->
                {
                    while (!stopRecv.get())
                    {
                        final Message msg;
                        try
                        {
                            msg = s.recvMessage(Duration.ofMillis(20));
                        }
                        catch (final BusTimeoutException e)
                        {
                            continue;
                        }
                        mine.returned.incrementAndGet();
                        check(me, msg, mine);
                    }
                }));
            }
            final long start = System.nanoTime();
            for (int i = 0; i < MEMBERS; i++)
            {
                final int me = i;
                final BusSocket s = m.get(i);
                threads.add(start("soak-send-" + i, failures, () ->
                {
                    final Random r = new Random(me);
                    int seq = 0;
                    while (!stopSend.get())
                    {
                        for (int k = 0; k < 8; k++)
                        {
                            s.send(body(me, seq++, r.nextInt(300)));
                        }
                        sends[me] = seq;
                        LockSupport.parkNanos(1_000_000);
                    }
                }));
            }

            // Churn on this thread: close a random pipe of a random member every 50 to 250 ms.
            final Random r = new Random(42);
            long churned = 0;
            final long end = start + Duration.ofSeconds(seconds).toNanos();
            while (System.nanoTime() - end < 0 && failures.isEmpty())
            {
                final BusSocket victim = m.get(r.nextInt(MEMBERS));
                final List<Pipe> ps = victim.pipes();
                if (!ps.isEmpty())
                {
                    ps.get(r.nextInt(ps.size())).close();
                    churned++;
                }
                LockSupport.parkNanos(Duration.ofMillis(50 + r.nextInt(200)).toNanos());
            }
            stopSend.set(true);
            for (final Thread t : threads)
            {
                if (t.getName().startsWith("soak-send"))
                {
                    t.join(WAIT.toMillis());
                }
            }
            assertTrue(failures.isEmpty(), () -> "a soak thread failed: " + failures);

            // Quiescence: the mesh whole again, every send queue drained, a fence through every pipe.
            awaitMeshWhole(m, "after the churn");
            for (int i = 0; i < MEMBERS; i++)
            {
                final BusSocket s = m.get(i);
                Await.until(() -> s.stats().get(Counter.PIPE_MESSAGES_PENDING) == 0, WAIT,
                    () -> "send queues never drained: " + s.stats());
                Faults.awaitSendSideAccounted(s, NAMES[i]);
            }
            // A fence from every member through its current pipes: per-pipe FIFO means that all
            // earlier messages on a pipe have arrived once its fence has. Sent again every 50 ms
            // until every receiver has one from each peer (a pipe closing late may swallow one).
            final long[] fences = new long[MEMBERS];
            final long[] lastFence = {0};
            Await.until(() ->
            {
                boolean all = true;
                for (int i = 0; i < MEMBERS; i++)
                {
                    all &= seen[i].fences == expectedPipes(i);
                }
                if (!all && System.nanoTime() - lastFence[0] > 50_000_000L)
                {
                    for (int i = 0; i < MEMBERS; i++)
                    {
                        m.get(i).send(body(i, FENCE, 0));
                        fences[i]++;
                    }
                    lastFence[0] = System.nanoTime();
                }
                return all;
            }, WAIT, () -> "fences never arrived everywhere");
            for (int i = 0; i < MEMBERS; i++)
            {
                final int me = i;
                Await.until(() -> m.get(me).stats().get(Counter.RECV_QUEUE_DEPTH) == 0
                        && seen[me].returned.get() == m.get(me).stats().get(Counter.MESSAGES_RECEIVED), WAIT,
                    () -> NAMES[me] + ": MESSAGES_RECEIVED != returned by recv + RECV_QUEUE_DEPTH: returned "
                        + seen[me].returned.get() + ", " + m.get(me).stats());
            }
            stopRecv.set(true);
            for (final Thread t : threads)
            {
                t.join(WAIT.toMillis());
            }
            assertTrue(failures.isEmpty(), () -> "a soak thread failed: " + failures);

            // The per-message checks the receivers made.
            for (int i = 0; i < MEMBERS; i++)
            {
                assertTrue(seen[i].violations.isEmpty(), NAMES[i] + ": " + seen[i].violations.size() + " violations, first "
                    + seen[i].violations.stream().limit(5).toList());
            }

            // Accounting at quiescence.
            long written = 0;
            long received = 0;
            long recvDrops = 0;
            long sentTotal = 0;
            final StringBuilder report = new StringBuilder();
            for (int i = 0; i < MEMBERS; i++)
            {
                final SocketStats st = m.get(i).stats();
                final long made = sends[i] + fences[i];
                sentTotal += made;
                assertEquals(made, st.get(Counter.MESSAGES_SENT), NAMES[i] + ": MESSAGES_SENT must count every send");
                assertEquals(st.get(Counter.PIPE_MESSAGES_QUEUED), st.get(Counter.MESSAGES_WRITTEN) + st.get(Counter.DROPPED_PIPE_CLOSED),
                    NAMES[i] + ": queued = written + dropped (pipe closed) at quiescence: " + st);
                assertEquals(seen[i].returned.get(), st.get(Counter.MESSAGES_RECEIVED), NAMES[i] + ": received = returned by recv");
                assertTrue(st.get(Counter.DROPPED_NO_PEERS) <= st.get(Counter.MESSAGES_SENT));
                assertTrue(st.get(Counter.PIPE_MESSAGES_QUEUED) + st.get(Counter.DROPPED_SEND_QUEUE_FULL)
                        <= 2L * expectedPipes(i) * st.get(Counter.MESSAGES_SENT),
                    NAMES[i] + ": more copies offered than a send can have pipes: " + st);
                long fromOthers = 0;
                for (int s = 0; s < MEMBERS; s++)
                {
                    fromOthers += seen[i].fromSender[s];
                    assertTrue(seen[i].fromSender[s] <= sends[s] + fences[s], NAMES[i] + " got more from " + NAMES[s] + " than it sent");
                }
                written += st.get(Counter.MESSAGES_WRITTEN);
                received += st.get(Counter.MESSAGES_RECEIVED);
                recvDrops += st.get(Counter.DROPPED_RECV_QUEUE_FULL);
                report.append(String.format("%n  %-10s sent %8d  queued %8d  written %8d  drop[full %7d, closed %5d, no-peers %4d]"
                        + "  received %8d  recv-drop %d  pipes total %4d  reconnects %4d  closed-by-peer %4d",
                    NAMES[i], st.get(Counter.MESSAGES_SENT), st.get(Counter.PIPE_MESSAGES_QUEUED), st.get(Counter.MESSAGES_WRITTEN),
                    st.get(Counter.DROPPED_SEND_QUEUE_FULL), st.get(Counter.DROPPED_PIPE_CLOSED), st.get(Counter.DROPPED_NO_PEERS),
                    fromOthers, st.get(Counter.DROPPED_RECV_QUEUE_FULL), st.get(Counter.PIPES_TOTAL), st.get(Counter.RECONNECTS),
                    st.get(Counter.PIPES_CLOSED_BY_PEER)));
            }
            final long inTransit = written - received - recvDrops;
            System.out.println("[soak] " + seconds + " s, " + MEMBERS + " members (4 tcp mesh + " + NAMES[INPROC_MEMBER] + "), " + churned
                + " pipes closed by churn; sends " + sentTotal + ", copies written " + written + ", received " + received
                + ", receive drops " + recvDrops + ", written but never received (lost in closed pipes' kernel buffers,"
                + " no counter) " + inTransit + report);
            assertTrue(inTransit >= 0, "more received than written: duplicates? " + inTransit);
            if (churned == 0)
            {
                assertEquals(0, inTransit, "without churn every written copy must be received or counted");
            }
        }
        finally
        {
            stopSend.set(true);
            stopRecv.set(true);
            for (final BusSocket s : m)
            {
                s.close();
            }
            for (final Thread t : threads)
            {
                t.join(WAIT.toMillis());
            }
        }
    }

    private static void check(final int me, final Message msg, final Seen seen)
    {
        final byte[] b = msg.body();
        if (b.length < 8 || !intact(b, b.length - 8))
        {
            seen.violations.add("corrupt message of " + b.length + " bytes");
            return;
        }
        final int sender = senderOf(b);
        final int seq = seqOf(b);
        if (sender < 0 || sender >= MEMBERS)
        {
            seen.violations.add("unknown sender " + sender);
            return;
        }
        if (sender == me)
        {
            seen.violations.add("BU-3 loopback: own message " + seq);
            return;
        }
        if (!linked(me, sender))
        {
            seen.violations.add("BU-6 forwarding: message from " + NAMES[sender] + ", not a direct peer");
            return;
        }
        if (seq == FENCE)
        {
            if (!seen.fence[sender])
            {
                seen.fence[sender] = true;
                seen.fences++;
            }
            seen.fromSender[sender]++;
            return;
        }
        if (seen.seqs[sender].get(seq))
        {
            seen.violations.add("duplicate: " + NAMES[sender] + " #" + seq);
        }
        seen.seqs[sender].set(seq);
        seen.fromSender[sender]++;
        final long key = ((long)msg.pipeId() << 8) | sender;
        final Integer last = seen.lastByPipeAndSender.put(key, seq);
        if (last != null && seq <= last)
        {
            seen.violations.add("per-pipe FIFO: " + NAMES[sender] + " #" + seq + " after #" + last + " on pipe " + msg.pipeId());
        }
    }

    private static void awaitMeshWhole(final List<BusSocket> m, final String when)
    {
        for (int i = 0; i < MEMBERS; i++)
        {
            final int me = i;
            Await.until(() -> m.get(me).stats().get(Counter.PIPES_CURRENT) == expectedPipes(me), WAIT,
                () -> "mesh " + when + ": " + NAMES[me] + " has " + m.get(me).stats().get(Counter.PIPES_CURRENT) + " pipes, expected "
                    + expectedPipes(me));
        }
    }

    /** A body that may throw. */
    private interface Body
    {
        void run() throws Exception;
    }

    private static Thread start(final String name, final ConcurrentLinkedQueue<Throwable> failures, final Body body)
    {
        final Thread t = new Thread(() ->
        {
            try
            {
                body.run();
            }
            catch (final Throwable e)
            {
                failures.add(e);
            }
        }, name);
        t.setDaemon(true);
        t.start();
        return t;
    }
}
