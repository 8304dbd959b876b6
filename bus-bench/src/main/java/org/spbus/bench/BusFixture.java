package org.spbus.bench;

import java.time.Duration;

import org.spbus.Bus;
import org.spbus.BusOptions;
import org.spbus.BusSocket;
import org.spbus.BusTimeoutException;

/**
 * A hub BUS socket listening on a fresh address and {@code n} peer sockets dialed to it, with
 * every pipe proven by a message that crossed it: the set-up shared by the JMH benchmarks.
 * Not thread-safe; close it from the thread that opened it.
 */
public final class BusFixture implements AutoCloseable
{
    private static final Duration PROBE_WAIT = Duration.ofMillis(50);
    private static final long SETUP_DEADLINE_NANOS = 20_000_000_000L;

    private final BusSocket hub;
    private final BusSocket[] peers;
    private final String url;

    private BusFixture(final BusSocket hub, final BusSocket[] peers, final String url)
    {
        this.hub = hub;
        this.peers = peers;
        this.url = url;
    }

    /**
     * Opens the hub and {@code n} peers on {@code transport}, every socket with {@code options},
     * and waits until a broadcast of the hub reaches every peer and a message of every peer
     * reaches the hub (probes, then drained, so that the queues start empty).
     *
     * @param transport {@code inproc}, {@code tcp} or {@code ipc}
     * @param n         the number of peers, 1 or more
     * @param options   the options of every socket
     * @return the connected fixture
     * @throws IllegalStateException if the pipes do not all carry a message within 20 s
     */
    public static BusFixture open(final String transport, final int n, final BusOptions options)
    {
        final BusSocket hub = Bus.open(options);
        final BusSocket[] peers = new BusSocket[n];
        String url = null;
        try
        {
            url = hub.listen(Addresses.listenUrl(transport)).url();
            for (int i = 0; i < n; i++)
            {
                peers[i] = Bus.open(options);
                peers[i].dial(url);
            }
            final BusFixture f = new BusFixture(hub, peers, url);
            f.awaitAllPipes();
            return f;
        }
        catch (final RuntimeException | Error e)
        {
            for (final BusSocket p : peers)
            {
                Harness.closeQuietly(p);
            }
            Harness.closeQuietly(hub);
            Addresses.cleanup(url);
            throw e;
        }
    }

    /**
     * Returns the hub socket.
     *
     * @return the socket every peer dialed
     */
    public BusSocket hub()
    {
        return hub;
    }

    /**
     * Returns the peer sockets.
     *
     * @return the array itself, in dial order
     */
    public BusSocket[] peers()
    {
        return peers;
    }

    private void awaitAllPipes()
    {
        final byte[] probe = new byte[Wire.MIN_SIZE];
        Wire.fill(probe, 0, Wire.PROBE, 0);
        final long start = System.nanoTime();
        final boolean[] got = new boolean[peers.length];
        int missing = peers.length;
        // hub -> every peer
        while (missing > 0)
        {
            checkDeadline(start);
            hub.send(probe);
            for (int i = 0; i < peers.length; i++)
            {
                if (!got[i] && receiveOne(peers[i]))
                {
                    got[i] = true;
                    missing--;
                }
            }
        }
        // every peer -> hub (the hub's side of each pipe is attached once the hub got from it)
        final boolean[] heard = new boolean[peers.length];
        missing = peers.length;
        while (missing > 0)
        {
            checkDeadline(start);
            for (int i = 0; i < peers.length; i++)
            {
                if (!heard[i])
                {
                    Wire.fill(probe, 0, Wire.PROBE, i);
                    peers[i].send(probe);
                }
            }
            byte[] m;
            while ((m = poll(hub)) != null)
            {
                final int id = Wire.id(m);
                if (id < heard.length && !heard[id])
                {
                    heard[id] = true;
                    missing--;
                }
            }
        }
        drain();
    }

    /**
     * Discards whatever is queued on every socket right now, without waiting. A probe still in
     * flight may arrive later; the benchmarks match messages by sequence number.
     */
    public void drain()
    {
        while (hub.tryRecv() != null)
        {
            // discard
        }
        for (final BusSocket p : peers)
        {
            while (p.tryRecv() != null)
            {
                // discard
            }
        }
    }

    private static boolean receiveOne(final BusSocket s)
    {
        return poll(s) != null;
    }

    private static byte[] poll(final BusSocket s)
    {
        try
        {
            return s.recv(PROBE_WAIT);
        }
        catch (final BusTimeoutException e)
        {
            return null;
        }
    }

    private static void checkDeadline(final long start)
    {
        if (System.nanoTime() - start > SETUP_DEADLINE_NANOS)
        {
            throw new IllegalStateException("set-up: the pipes did not all carry a message within 20 s");
        }
    }

    /** Closes every socket and removes an ipc socket file. */
    @Override
    public void close()
    {
        for (final BusSocket p : peers)
        {
            Harness.closeQuietly(p);
        }
        Harness.closeQuietly(hub);
        Addresses.cleanup(url);
    }
}
