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
import org.spbus.Counter;
import org.spbus.SocketStats;

/**
 * Receive throughput (the seed's {@code BenchmarkBusRecv}): {@code senders} peer sockets, each
 * with a background thread sending {@code size}-byte messages as fast as {@code send} returns,
 * and the measured thread calling the hub's {@code recv}. One operation is one message
 * received, so the score is messages per second. Sending is best-effort: what the receiver
 * cannot keep up with is dropped at the senders' pipe queues or at the hub's receive queue
 * (printed at the end of the trial). With {@code -prof gc}, {@code gc.alloc.rate.norm} is the
 * allocation of all threads (senders and I/O included) per message received.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class BenchmarkBusRecv
{
    private static final Duration LOST = Duration.ofSeconds(5);

    /** The transport: {@code inproc}, {@code tcp} or {@code ipc}. */
    @Param({"inproc", "tcp", "ipc"})
    public String transport;

    /** The number of sending peers, each with its own thread. */
    @Param({"1"})
    public int senders;

    /** The message size in bytes (at least 16). */
    @Param({"64"})
    public int size;

    private BusFixture fixture;
    private BusSocket hub;
    private BackgroundLoop blasters;

    /** Creates the benchmark state (JMH does). */
    public BenchmarkBusRecv()
    {
    }

    /** Connects the senders and starts them. */
    @Setup(Level.Trial)
    public void setUp()
    {
        fixture = BusFixture.open(transport, senders, BusOptions.defaults());
        hub = fixture.hub();
        final BusSocket[] peers = fixture.peers();
        final byte[][] msgs = new byte[senders][size];
        for (int i = 0; i < senders; i++)
        {
            Wire.fill(msgs[i], 0, Wire.DATA, i);
        }
        blasters = new BackgroundLoop("blast", senders, i -> peers[i].send(msgs[i]));
    }

    /** Stops the senders, prints where messages were dropped, closes every socket. */
    @TearDown(Level.Trial)
    public void tearDown()
    {
        try
        {
            blasters.close();
            final SocketStats h = hub.stats();
            long sent = 0;
            long sendDrops = 0;
            for (final BusSocket p : fixture.peers())
            {
                sent += p.stats().get(Counter.MESSAGES_SENT);
                sendDrops += p.stats().get(Counter.DROPPED_SEND_QUEUE_FULL);
            }
            System.out.printf("%n[recv %s] sent=%d dropped_send_queue_full=%d received=%d dropped_recv_queue_full=%d%n",
                transport, sent, sendDrops, h.get(Counter.MESSAGES_RECEIVED), h.get(Counter.DROPPED_RECV_QUEUE_FULL));
        }
        finally
        {
            fixture.close();
        }
    }

    /**
     * Receives one message.
     *
     * @return its body (consumed by JMH)
     */
    @Benchmark
    public byte[] recv()
    {
        return hub.recv(LOST);
    }
}
