package org.spbus.bench;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;

import org.spbus.Bus;
import org.spbus.BusClosedException;
import org.spbus.BusOptions;
import org.spbus.BusSocket;
import org.spbus.BusTimeoutException;
import org.spbus.Counter;

/**
 * Does one frozen peer slow a sender's traffic to the others? A hub listens on TCP; 9 BUS
 * sockets dial it, each with a receiving thread; with {@code frozen}, one more peer connects
 * with a plain socket, exchanges the SP header and never reads. The hub blasts 64 B messages
 * for 3 s; the probe prints the send rate and what the 9 healthy peers received (spbus only;
 * the C harness has no such scenario).
 *
 * <pre>
 * java -p bus-bench/target/bus-bench-0.1.0-SNAPSHOT.jar:bus-bench/target/lib \
 *      -m org.spbus.bench/org.spbus.bench.FrozenPeerProbe [clean|frozen]
 * </pre>
 */
public final class FrozenPeerProbe
{
    private static final int HEALTHY = 9;
    private static final long BLAST_NANOS = 3_000_000_000L;

    private FrozenPeerProbe()
    {
    }

    /**
     * Runs the probe once.
     *
     * @param args {@code frozen} to add the peer that never reads; anything else (or nothing)
     *             runs without it
     * @throws IOException          if the plain peer cannot connect
     * @throws InterruptedException if interrupted
     */
    public static void main(final String[] args) throws IOException, InterruptedException
    {
        final boolean frozen = args.length > 0 && "frozen".equals(args[0]);
        final BusOptions peerOptions = BusOptions.builder().recvTimeout(Duration.ofMillis(100)).build();
        final List<BusSocket> peers = new ArrayList<>();
        final List<Thread> receivers = new ArrayList<>();
        final LongAdder received = new LongAdder();
        SocketChannel plain = null;
        try (BusSocket hub = Bus.open())
        {
            final String url = hub.listen("tcp://127.0.0.1:0").url();
            for (int i = 0; i < HEALTHY; i++)
            {
                final BusSocket p = Bus.open(peerOptions);
                peers.add(p);
                p.dial(url);
            }
            if (frozen)
            {
                final URI u = URI.create(url);
                plain = SocketChannel.open(new InetSocketAddress(u.getHost(), u.getPort()));
                // SP header for BUS (protocol 0x70), then silence: this peer never reads.
                plain.write(ByteBuffer.wrap(new byte[] {0, 'S', 'P', 0, 0, 0x70, 0, 0}));
            }
            hub.awaitPipes(frozen ? HEALTHY + 1 : HEALTHY, Duration.ofSeconds(10));
            final java.util.concurrent.atomic.AtomicBoolean stop = new java.util.concurrent.atomic.AtomicBoolean();
            for (final BusSocket p : peers)
            {
                final Thread t = new Thread(() ->
                {
                    final byte[] buf = new byte[128];
                    while (!stop.get())
                    {
                        try
                        {
                            p.recv(buf);
                            received.increment();
                        }
                        catch (final BusTimeoutException e)
                        {
                            // poll the stop flag
                        }
                        catch (final BusClosedException e)
                        {
                            return;
                        }
                    }
                }, "probe-rx");
                t.start();
                receivers.add(t);
            }
            final byte[] msg = new byte[64];
            long sent = 0;
            final long t0 = System.nanoTime();
            while (System.nanoTime() - t0 < BLAST_NANOS)
            {
                hub.send(msg);
                sent++;
            }
            final double seconds = (System.nanoTime() - t0) / 1e9;
            // Let the last copies land: until the count has not moved for 200 ms.
            long seen = -1;
            while (received.sum() != seen)
            {
                seen = received.sum();
                java.util.concurrent.locks.LockSupport.parkNanos(200_000_000L);
            }
            stop.set(true);
            for (final Thread t : receivers)
            {
                t.join();
            }
            System.out.printf("%s: sent %.0f msgs/s, healthy peers received %.0f msgs/s (drop fraction %.3f), "
                + "hub dropped_send_queue_full=%d%n", frozen ? "frozen" : "clean", sent / seconds, received.sum() / seconds,
                1 - received.sum() / (double)(HEALTHY * sent), hub.stats().get(Counter.DROPPED_SEND_QUEUE_FULL));
        }
        finally
        {
            for (final BusSocket p : peers)
            {
                p.close();
            }
            if (plain != null)
            {
                plain.close();
            }
        }
    }
}
