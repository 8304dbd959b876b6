package org.spbus.engine;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.spbus.BusClosedException;
import org.spbus.BusException;
import org.spbus.Counter;
import org.spbus.DialMode;
import org.spbus.Dialer;
import org.spbus.ProtocolException;
import org.spbus.spi.CloseReason;
import org.spbus.spi.DialCallback;
import org.spbus.spi.TransportDialer;
import org.spbus.spi.TransportPipe;

/**
 * A socket's dialer: one pipe at most, redialed after every failure or loss with NNG's
 * backoff (sp-wire-protocol.md section 7.2, without NNG 1.5.2's sign bug): wait a uniformly
 * random time in [0, window), where the window starts at reconnectMin, doubles after each
 * failure up to reconnectMax (if set), and resets once a pipe is attached.
 */
final class DialerImpl implements Dialer, PipeOwner
{
    private static final System.Logger LOG = System.getLogger("org.spbus.engine");

    private final BusSocketImpl socket;
    private final TransportDialer transport;
    private final long minWindowNanos;
    private final long maxWindowNanos;
    private final Object lock = new Object();
    private long windowNanos;
    private boolean everConnected;
    private ScheduledFuture<?> pendingRedial;
    private volatile EnginePipe pipe;
    private volatile boolean closed;
    private final EndpointCounters counters = new EndpointCounters();
    /** Completed by the first attempt of a blocking dial. */
    private CompletableFuture<EnginePipe> first;

    DialerImpl(final BusSocketImpl socket, final TransportDialer transport)
    {
        this.socket = socket;
        this.transport = transport;
        this.minWindowNanos = socket.options.reconnectMin().toNanos();
        this.maxWindowNanos = socket.options.reconnectMax().toNanos();
        this.windowNanos = minWindowNanos;
    }

    void start(final DialMode mode)
    {
        if (mode == DialMode.NON_BLOCKING)
        {
            attempt();
            return;
        }
        final CompletableFuture<EnginePipe> f = new CompletableFuture<>();
        synchronized (lock)
        {
            first = f;
        }
        attempt();
        final long waitNanos = socket.options.handshakeTimeout().toNanos() + TimeUnit.SECONDS.toNanos(5);
        boolean interrupted = false;
        try
        {
            while (true)
            {
                try
                {
                    f.get(waitNanos, TimeUnit.NANOSECONDS);
                    return;
                }
                catch (final InterruptedException e)
                {
                    interrupted = true;
                }
                catch (final ExecutionException e)
                {
                    throw rethrowable(e.getCause());
                }
                catch (final TimeoutException e)
                {
                    throw new ProtocolException("dial " + url() + " did not complete within "
                        + TimeUnit.NANOSECONDS.toMillis(waitNanos) + " ms");
                }
            }
        }
        finally
        {
            if (interrupted)
            {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static BusException rethrowable(final Throwable t)
    {
        if (t instanceof BusException)
        {
            final BusException e = (BusException)t;
            // Rethrow the same type, with this thread's stack, keeping the original as cause.
            return e;
        }
        return new BusException(String.valueOf(t), t);
    }

    private void attempt()
    {
        if (closed)
        {
            failFirst(new BusClosedException("dialer closed: " + url()));
            return;
        }
        counters.dialAttempts.incrementAndGet();
        socket.counters.increment(Counter.DIAL_ATTEMPTS);
        transport.connect(new DialCallback()
        {
            @Override
            public void connected(final TransportPipe tp)
            {
                socket.attach(tp, DialerImpl.this);
            }

            @Override
            public void failed(final BusException cause)
            {
                if (closed || socket.isClosed())
                {
                    failFirst(new BusClosedException("closed while dialing " + url()));
                    return;
                }
                counters.dialFailures.incrementAndGet();
                socket.counters.increment(Counter.DIAL_FAILURES);
                if (cause instanceof ProtocolException)
                {
                    counters.handshakeFailures.incrementAndGet();
                    socket.counters.increment(Counter.HANDSHAKE_FAILURES);
                }
                else if (cause instanceof org.spbus.PeerRejectedException)
                {
                    counters.peersRejected.incrementAndGet();
                    socket.counters.increment(Counter.PEERS_REJECTED);
                }
                LOG.log(System.Logger.Level.DEBUG, () -> "socket " + socket.socketId + ": dial " + url() + " failed: " + cause);
                if (cause instanceof ProtocolException || cause instanceof org.spbus.PeerRejectedException)
                {
                    JfrEvents.handshakeRejected(socket, url(), cause);
                }
                if (!failFirst(cause))
                {
                    scheduleRedial();
                }
            }
        });
    }

    /** Fails a pending blocking first attempt; returns false if there was none. */
    private boolean failFirst(final BusException cause)
    {
        final CompletableFuture<EnginePipe> f;
        synchronized (lock)
        {
            f = first;
            first = null;
        }
        if (f == null)
        {
            return false;
        }
        f.completeExceptionally(cause);
        return true;
    }

    private void scheduleRedial()
    {
        synchronized (lock)
        {
            if (closed || socket.isClosed())
            {
                return;
            }
            final long window = windowNanos;
            if (maxWindowNanos > 0)
            {
                windowNanos = Math.min(windowNanos * 2, maxWindowNanos);
            }
            final long delay = window <= 0 ? 0 : ThreadLocalRandom.current().nextLong(window);
            try
            {
                pendingRedial = socket.executor().schedule(this::attempt, delay, TimeUnit.NANOSECONDS);
            }
            catch (final java.util.concurrent.RejectedExecutionException e)
            {
                // The socket is closing.
            }
        }
    }

    @Override
    public void pipeAttached(final EnginePipe p)
    {
        final CompletableFuture<EnginePipe> f;
        synchronized (lock)
        {
            pipe = p;
            windowNanos = minWindowNanos;
            if (everConnected)
            {
                counters.reconnects.incrementAndGet();
                socket.counters.increment(Counter.RECONNECTS);
            }
            counters.pipesTotal.incrementAndGet();
            counters.pipesCurrent.incrementAndGet();
            everConnected = true;
            f = first;
            first = null;
        }
        if (f != null)
        {
            f.complete(p);
        }
    }

    @Override
    public void pipeClosed(final EnginePipe p, final CloseReason reason)
    {
        synchronized (lock)
        {
            if (pipe == p)
            {
                pipe = null;
            }
        }
        counters.pipesCurrent.decrementAndGet();
        if (reason != CloseReason.LOCAL || !closed)
        {
            scheduleRedial();
        }
    }

    @Override
    public void attachFailed(final BusException cause)
    {
        if (closed || socket.isClosed())
        {
            failFirst(new BusClosedException("closed while dialing " + url()));
            return;
        }
        counters.dialFailures.incrementAndGet();
        if (cause instanceof org.spbus.PeerRejectedException)
        {
            counters.peersRejected.incrementAndGet();
        }
        socket.counters.increment(Counter.DIAL_FAILURES);
        if (!failFirst(cause))
        {
            scheduleRedial();
        }
    }

    @Override
    public EndpointCounters counters()
    {
        return counters;
    }

    @Override
    public org.spbus.EndpointStats stats()
    {
        return counters.snapshot();
    }

    @Override
    public String url()
    {
        return transport.url();
    }

    @Override
    public boolean isConnected()
    {
        return pipe != null;
    }

    @Override
    public boolean isClosed()
    {
        return closed || socket.isClosed();
    }

    @Override
    public void close()
    {
        synchronized (lock)
        {
            if (closed)
            {
                return;
            }
            closed = true;
            if (pendingRedial != null)
            {
                pendingRedial.cancel(false);
            }
        }
        transport.close();
        failFirst(new BusClosedException("dialer closed: " + url()));
        socket.removeDialer(this);
    }

    @Override
    public String toString()
    {
        return "Dialer[" + url() + "]";
    }
}
