package org.spbus.tck;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.TestReporter;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.spbus.BusClosedException;
import org.spbus.BusSocket;
import org.spbus.BusTimeoutException;
import org.spbus.Counter;

/**
 * The seed's {@code TestBusConcurrent} over the transport under test: several threads on
 * several sockets broadcast at once (NF-4, every operation thread-safe). Every message is
 * either delivered exactly once or counted as dropped for one reason; each sender's messages
 * keep their order at every receiver; nobody receives its own.
 *
 * <p>Stochastic in the reactive-streams sense: a pass does not prove thread-safety, but a
 * duplicate, a reordering, a loss that no counter explains, or a loopback is a certain bug.
 */
public abstract class ConcurrencyTck extends AbstractBusTck
{
    private static final int MEMBERS = 3;
    private static final int THREADS_PER_MEMBER = 2;
    private static final int MESSAGES_PER_THREAD = 1500;

    /**
     * Creates the suite for one transport.
     *
     * @param fixture describes the transport under test
     */
    protected ConcurrencyTck(final TransportFixture fixture)
    {
        super(fixture);
    }

    /**
     * TestBusConcurrent. Three members in a full mesh, two sender threads each, all sending at
     * once while a receiver thread per member drains: after quiescence
     * {@code copies offered = delivered + dropped (send queue full + pipe closed + receive queue full)},
     * no (sender, sequence) pair arrives twice, each sender's sequence only grows at each
     * receiver, and no member receives a message from its own threads.
     *
     * <p>Run twice: with the default queues (16 per pipe, 128 to receive), where senders outrun
     * the pipes and many copies are dropped, so the accounting is what is checked; and with
     * queues larger than everything sent, where nothing may be dropped, so every message must
     * arrive.
     *
     * @param roomy    {@code true} for queues that cannot overflow
     * @param reporter receives the delivered and dropped totals, for the test report
     * @throws InterruptedException if the test thread is interrupted
     */
    @ParameterizedTest(name = "{index}: queues larger than the traffic = {0}")
    @ValueSource(booleans = {false, true})
    public void stochastic_NF4_concurrentBroadcasts_eachMessageOnceOrCountedDropped_perSenderOrderKept(
        final boolean roomy, final TestReporter reporter) throws InterruptedException
    {
        final List<BusSocket> members = new ArrayList<>();
        final List<Thread> threads = new ArrayList<>();
        final AtomicBoolean stop = new AtomicBoolean();
        final List<Throwable> failures = Collections.synchronizedList(new ArrayList<>());
        try
        {
            final List<String> urls = new ArrayList<>();
            for (int i = 0; i < MEMBERS; i++)
            {
                final BusSocket m = open(roomy
                    ? options().sendQueueSize(4 * THREADS_PER_MEMBER * MESSAGES_PER_THREAD)
                        .recvQueueSize(4 * MEMBERS * THREADS_PER_MEMBER * MESSAGES_PER_THREAD).build()
                    : options().build());
                members.add(m);
                urls.add(listen(m).url());
                for (int j = 0; j < i; j++)
                {
                    dial(m, urls.get(j), members.get(j));
                }
            }
            for (final BusSocket m : members)
            {
                awaitPipes(m, MEMBERS - 1, "test setup: full mesh");
            }

            final List<List<byte[]>> received = new ArrayList<>();
            for (int i = 0; i < MEMBERS; i++)
            {
                final BusSocket m = members.get(i);
                final List<byte[]> got = Collections.synchronizedList(new ArrayList<>());
                received.add(got);
                threads.add(start("tck-receiver-" + i, failures, () ->
                {
                    while (!stop.get())
                    {
                        try
                        {
                            got.add(m.recv(Duration.ofMillis(20)));
                        }
                        catch (final BusTimeoutException e)
                        {
                            // poll the stop flag again
                        }
                    }
                }));
            }
            final CountDownLatch go = new CountDownLatch(1);
            final List<Thread> senders = new ArrayList<>();
            for (int i = 0; i < MEMBERS; i++)
            {
                final BusSocket m = members.get(i);
                for (int t = 0; t < THREADS_PER_MEMBER; t++)
                {
                    final int sender = i * THREADS_PER_MEMBER + t;
                    senders.add(start("tck-sender-" + sender, failures, () ->
                    {
                        go.await();
                        for (int seq = 0; seq < MESSAGES_PER_THREAD; seq++)
                        {
                            m.send(sequenced(sender, seq, 24));
                        }
                    }));
                }
            }
            threads.addAll(senders);
            go.countDown();
            for (final Thread t : senders)
            {
                t.join(Await.timeout().toMillis());
                assertTrue(!t.isAlive(), "BU-5 send never blocks: " + t.getName() + " did not finish sending");
            }
            assertTrue(failures.isEmpty(), "NF-4: a sender failed: " + failures);

            // Quiescence: all queued copies written (or dropped), all written copies read (or dropped),
            // all read messages taken by the receiver threads.
            Await.until(() -> members.stream().allMatch(m -> stat(m, Counter.MESSAGES_WRITTEN)
                    + stat(m, Counter.DROPPED_PIPE_CLOSED) == stat(m, Counter.PIPE_MESSAGES_QUEUED)), Await.timeout(),
                () -> "accounting: queued copies were neither written nor counted as dropped: " + statsOf(members));
            Await.until(() -> sum(members, Counter.MESSAGES_WRITTEN)
                    == sum(members, Counter.MESSAGES_RECEIVED) + sum(members, Counter.DROPPED_RECV_QUEUE_FULL), Await.timeout(),
                () -> "accounting: written copies were neither received nor counted as dropped: " + statsOf(members));
            Await.until(() -> received.stream().mapToLong(List::size).sum() == sum(members, Counter.MESSAGES_RECEIVED),
                Await.timeout(), () -> "accounting: MESSAGES_RECEIVED counts messages recv() never returned: " + statsOf(members));
            stop.set(true);
            for (final Thread t : threads)
            {
                t.join(Await.timeout().toMillis());
            }
            assertTrue(failures.isEmpty(), "NF-4: a thread failed: " + failures);

            final long sendsPerMember = (long)THREADS_PER_MEMBER * MESSAGES_PER_THREAD;
            for (int i = 0; i < MEMBERS; i++)
            {
                final BusSocket m = members.get(i);
                assertEquals(sendsPerMember, stat(m, Counter.MESSAGES_SENT), "NF-4: concurrent sends were miscounted");
                assertEquals(0, stat(m, Counter.DROPPED_NO_PEERS), "test setup: a member lost its peers");
                assertEquals(sendsPerMember * (MEMBERS - 1),
                    stat(m, Counter.PIPE_MESSAGES_QUEUED) + stat(m, Counter.DROPPED_SEND_QUEUE_FULL),
                    "accounting: each send must be offered to every pipe, queued or counted as dropped: " + m.stats());
            }
            final long offered = MEMBERS * sendsPerMember * (MEMBERS - 1);
            final long delivered = received.stream().mapToLong(List::size).sum();
            final long dropped = sum(members, Counter.DROPPED_SEND_QUEUE_FULL) + sum(members, Counter.DROPPED_PIPE_CLOSED)
                + sum(members, Counter.DROPPED_RECV_QUEUE_FULL);
            reporter.publishEntry(Map.of("offered", Long.toString(offered), "delivered", Long.toString(delivered),
                "dropped", Long.toString(dropped)));
            assertEquals(offered, delivered + dropped, "accounting: sent = delivered + dropped fails: offered " + offered
                + ", delivered " + delivered + ", dropped " + dropped);
            if (roomy)
            {
                assertEquals(0, dropped, "queues larger than the traffic must not drop: " + statsOf(members));
            }
            assertTrue(delivered > 0, "BU-2: nothing was delivered at all");

            for (int i = 0; i < MEMBERS; i++)
            {
                final Map<Integer, Integer> lastSeq = new HashMap<>();
                for (final byte[] body : received.get(i))
                {
                    final int sender = senderOf(body);
                    final int seq = seqOf(body);
                    if (sender / THREADS_PER_MEMBER == i)
                    {
                        fail("BU-3 no loopback: member " + i + " received a message of its own sender " + sender);
                    }
                    final Integer last = lastSeq.put(sender, seq);
                    if (last != null && seq <= last)
                    {
                        fail((seq == last ? "exactly once: member " + i + " received message " + seq + " of sender "
                            + sender + " twice" : "per-sender order: member " + i + " received message " + seq
                            + " of sender " + sender + " after message " + last));
                    }
                }
            }
        }
        finally
        {
            stop.set(true);
            members.forEach(BusSocket::close);
            for (final Thread t : threads)
            {
                t.join(Await.timeout().toMillis());
            }
        }
    }

    private static long sum(final List<BusSocket> members, final Counter c)
    {
        return members.stream().mapToLong(m -> stat(m, c)).sum();
    }

    private static String statsOf(final List<BusSocket> members)
    {
        final StringBuilder sb = new StringBuilder();
        for (final BusSocket m : members)
        {
            sb.append('\n').append(m.stats());
        }
        return sb.toString();
    }

    /** A body that may throw anything; failures are collected. */
    @FunctionalInterface
    private interface Body
    {
        void run() throws Exception;
    }

    private static Thread start(final String name, final List<Throwable> failures, final Body body)
    {
        final Thread t = new Thread(() ->
        {
            try
            {
                body.run();
            }
            catch (final BusClosedException e)
            {
                // the socket closed under a thread at the end of a failed test
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
