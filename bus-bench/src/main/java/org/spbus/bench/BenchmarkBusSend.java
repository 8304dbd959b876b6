package org.spbus.bench;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.spbus.BusOptions;
import org.spbus.BusSocket;
import org.spbus.BusTimeoutException;
import org.spbus.Counter;
import org.spbus.SocketStats;

/**
 * The cost of one {@code send} call: the hub broadcasts 64-byte messages back to back to
 * {@code peers} connected peers, each drained by its own background thread. The call copies the
 * body and offers it to every pipe's send queue; a pipe whose queue is full drops it, so at this
 * rate part of the calls take the (cheaper) drop path; the share is printed at the end of the
 * trial. Over {@code inproc} the call also delivers to the peers' receive queues. With
 * {@code -prof gc}, {@code gc.alloc.rate.norm} is the allocation of all threads per send.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class BenchmarkBusSend
{
    private static final Duration POLL = Duration.ofMillis(100);

    /** The transport: {@code inproc}, {@code tcp} or {@code ipc}. */
    @Param({"inproc", "tcp", "ipc"})
    public String transport;

    /** The number of connected peers. */
    @Param({"1", "10"})
    public int peers;

    private BusFixture fixture;
    private BusSocket hub;
    private BackgroundLoop drainers;
    private final byte[] msg = new byte[64];

    /** Creates the benchmark state (JMH does). */
    public BenchmarkBusSend()
    {
    }

    /** Connects the peers and starts draining them. */
    @Setup(Level.Trial)
    public void setUp()
    {
        fixture = BusFixture.open(transport, peers, BusOptions.defaults());
        hub = fixture.hub();
        final BusSocket[] ps = fixture.peers();
        Wire.fill(msg, 0, Wire.DATA, 0);
        drainers = new BackgroundLoop("drain", peers, i ->
        {
            try
            {
                ps[i].recv(POLL);
            }
            catch (final BusTimeoutException e)
            {
                // idle; poll the stop flag
            }
        });
    }

    /** Stops the drains, prints the drop share, closes every socket. */
    @TearDown(Level.Trial)
    public void tearDown()
    {
        try
        {
            drainers.close();
            final SocketStats h = hub.stats();
            final long copies = h.get(Counter.PIPE_MESSAGES_QUEUED) + h.get(Counter.DROPPED_SEND_QUEUE_FULL);
            System.out.printf("%n[send %s x%d] sends=%d copies_queued=%d dropped_send_queue_full=%d (%.1f%% of copies)%n",
                transport, peers, h.get(Counter.MESSAGES_SENT), h.get(Counter.PIPE_MESSAGES_QUEUED),
                h.get(Counter.DROPPED_SEND_QUEUE_FULL),
                copies == 0 ? 0.0 : 100.0 * h.get(Counter.DROPPED_SEND_QUEUE_FULL) / copies);
        }
        finally
        {
            fixture.close();
        }
    }

    /** One broadcast send call. */
    @Benchmark
    public void send()
    {
        hub.send(msg);
    }
}
