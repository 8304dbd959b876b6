package org.spbus.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;
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
import org.spbus.Bus;
import org.spbus.BusSocket;

/**
 * The send path alone: a hub broadcasts 64-byte messages over TCP to {@code peers} raw peers,
 * plain {@link SocketChannel}s that answer the SP header and then read into one reused buffer,
 * so that nothing but spbus allocates in this JVM. With {@code -prof gc},
 * {@code gc.alloc.rate.norm} is what one {@code send} costs the engine and the transport's I/O
 * threads together: the "0 B/op in steady state" target.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class BenchmarkBusSendPath
{
    /** The number of raw peers. */
    @Param({"1", "10"})
    public int peers;

    private BusSocket hub;
    private final List<SocketChannel> channels = new ArrayList<>();
    private final List<Thread> drains = new ArrayList<>();
    private volatile boolean stop;
    private final byte[] msg = new byte[64];

    /** Creates the benchmark state (JMH does). */
    public BenchmarkBusSendPath()
    {
    }

    /** Opens the hub and connects the raw peers. */
    @Setup(Level.Trial)
    public void setUp()
    {
        hub = Bus.open();
        final URI url = URI.create(hub.listen("tcp://127.0.0.1:0").url());
        try
        {
            for (int i = 0; i < peers; i++)
            {
                final SocketChannel ch = SocketChannel.open(new InetSocketAddress(url.getHost(), url.getPort()));
                ch.write(ByteBuffer.wrap(new byte[] {0, 'S', 'P', 0, 0, 0x70, 0, 0}));
                channels.add(ch);
                final Thread t = new Thread(() -> drain(ch), "raw-peer-" + i);
                t.setDaemon(true);
                t.start();
                drains.add(t);
            }
        }
        catch (final IOException e)
        {
            throw new UncheckedIOException(e);
        }
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (hub.pipes().size() < peers && System.nanoTime() < deadline)
        {
            Thread.onSpinWait();
        }
    }

    private void drain(final SocketChannel ch)
    {
        final ByteBuffer buf = ByteBuffer.allocateDirect(256 * 1024);
        try
        {
            while (!stop && ch.read(buf) >= 0)
            {
                buf.clear();
            }
        }
        catch (final IOException e)
        {
            // closed at tear-down
        }
    }

    /**
     * One broadcast.
     */
    @Benchmark
    public void send()
    {
        hub.send(msg);
    }

    /** Closes everything. */
    @TearDown(Level.Trial)
    public void tearDown()
    {
        stop = true;
        hub.close();
        for (final SocketChannel ch : channels)
        {
            try
            {
                ch.close();
            }
            catch (final IOException e)
            {
                // best effort
            }
        }
    }
}
