package org.spbus;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Relays messages between raw BUS sockets, as NNG's {@code nng_device}: the way to join
 * partial meshes on purpose.
 *
 * <ul>
 *   <li>{@link #reflect(BusSocket)}: one raw socket; every message received from one pipe is
 *       sent to all of the socket's other pipes (never back to its origin). A star of peers
 *       dialing one reflector behaves as a full mesh.</li>
 *   <li>{@link #bridge(BusSocket, BusSocket)}: two raw sockets; everything received on one is
 *       sent on all pipes of the other, both ways.</li>
 * </ul>
 *
 * <p><b>Relation to BU-6</b> ("messages do not forward beyond direct peers"): BU-6 still holds
 * for every cooked socket, which never forwards. A device is an explicit application that
 * receives and re-sends; the forwarding is its purpose. Like NNG, spbus puts no hop count on
 * BUS messages, so devices connected in a cycle forward a message around the cycle for ever:
 * keep device topologies acyclic.
 *
 * <p>Each direction runs on its own thread ({@code spbus-device-N-...}); sends are best-effort
 * as always, so a slow destination drops (and counts) rather than stalls the device. Thread-safe.
 */
public final class Device implements AutoCloseable
{
    private static final AtomicInteger IDS = new AtomicInteger();
    private static final Duration POLL = Duration.ofMillis(100);

    private final List<Thread> threads = new ArrayList<>();
    private final AtomicLong relayed = new AtomicLong();
    private volatile boolean closed;

    private Device()
    {
    }

    /**
     * Starts a reflector on one raw socket.
     *
     * @param socket a raw socket ({@link BusOptions#raw()})
     * @return the running device
     * @throws IllegalArgumentException if the socket is not raw
     * @throws NullPointerException if {@code socket} is {@code null}
     */
    public static Device reflect(final BusSocket socket)
    {
        requireRaw(socket);
        final Device d = new Device();
        d.start(socket, socket, "reflect");
        return d;
    }

    /**
     * Starts a bridge between two raw sockets.
     *
     * @param a one raw socket
     * @param b another raw socket
     * @return the running device
     * @throws IllegalArgumentException if a socket is not raw, or both are the same (use {@link #reflect})
     * @throws NullPointerException if an argument is {@code null}
     */
    public static Device bridge(final BusSocket a, final BusSocket b)
    {
        requireRaw(a);
        requireRaw(b);
        if (a == b)
        {
            throw new IllegalArgumentException("bridge needs two sockets; use Device.reflect(socket) for one");
        }
        final Device d = new Device();
        d.start(a, b, "a-to-b");
        d.start(b, a, "b-to-a");
        return d;
    }

    private static void requireRaw(final BusSocket s)
    {
        Objects.requireNonNull(s, "socket");
        if (!s.options().raw())
        {
            throw new IllegalArgumentException("a device relays between raw sockets: open them with BusOptions.raw(true)");
        }
    }

    private void start(final BusSocket from, final BusSocket to, final String name)
    {
        final Thread t = new Thread(() -> relay(from, to), "spbus-device-" + IDS.incrementAndGet() + "-" + name);
        t.setDaemon(true);
        threads.add(t);
        t.start();
    }

    private void relay(final BusSocket from, final BusSocket to)
    {
        while (!closed)
        {
            final Message m;
            try
            {
                m = from.recvMessage(POLL);
            }
            catch (final BusTimeoutException e)
            {
                continue;
            }
            catch (final BusClosedException e)
            {
                return;
            }
            try
            {
                // Same socket: the pipe id excludes the origin. Other socket: ids never match
                // across sockets (they are unique in the JVM), so the message goes to every pipe.
                to.send(m);
                relayed.incrementAndGet();
            }
            catch (final BusClosedException e)
            {
                return;
            }
        }
    }

    /**
     * Returns how many messages the device has relayed.
     *
     * @return messages
     */
    public long relayed()
    {
        return relayed.get();
    }

    /**
     * Returns whether the device still relays: not closed, and its sockets open.
     *
     * @return {@code true} while any relay thread runs
     */
    public boolean isRunning()
    {
        for (final Thread t : threads)
        {
            if (t.isAlive())
            {
                return true;
            }
        }
        return false;
    }

    /**
     * Waits until the device stops (closed, or a socket closed).
     *
     * @throws InterruptedException if interrupted while waiting
     */
    public void await() throws InterruptedException
    {
        for (final Thread t : threads)
        {
            t.join();
        }
    }

    /**
     * Stops relaying (the sockets stay open) and waits for the device's threads to end, which
     * takes at most about 100 ms. Idempotent.
     */
    @Override
    public void close()
    {
        closed = true;
        boolean interrupted = false;
        for (final Thread t : threads)
        {
            while (t.isAlive())
            {
                try
                {
                    t.join();
                }
                catch (final InterruptedException e)
                {
                    interrupted = true;
                }
            }
        }
        if (interrupted)
        {
            Thread.currentThread().interrupt();
        }
    }
}
