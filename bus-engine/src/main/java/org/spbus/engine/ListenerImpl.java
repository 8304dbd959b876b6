package org.spbus.engine;

import org.spbus.Counter;
import org.spbus.Listener;
import org.spbus.spi.CloseReason;
import org.spbus.spi.ListenerHandler;
import org.spbus.spi.Transport;
import org.spbus.spi.TransportListener;
import org.spbus.spi.TransportPipe;

/** A socket's listener: attaches every pipe its transport listener accepts. */
final class ListenerImpl implements Listener, ListenerHandler, PipeOwner
{
    private static final System.Logger LOG = System.getLogger("org.spbus.engine");

    private final BusSocketImpl socket;
    private volatile TransportListener transport;
    /** The URL asked for; reported until the transport has bound (it may accept before then). */
    private volatile String requestedUrl;
    private volatile boolean closed;
    private final EndpointCounters counters = new EndpointCounters();

    ListenerImpl(final BusSocketImpl socket)
    {
        this.socket = socket;
    }

    void start(final Transport t, final String url)
    {
        requestedUrl = url;
        transport = t.listen(url, socket.endpointConfig, this);
    }

    @Override
    public String url()
    {
        final TransportListener t = transport;
        return t != null ? t.url() : requestedUrl;
    }

    @Override
    public boolean isClosed()
    {
        return closed || socket.isClosed();
    }

    @Override
    public void close()
    {
        synchronized (this)
        {
            if (closed)
            {
                return;
            }
            closed = true;
        }
        final TransportListener t = transport;
        if (t != null)
        {
            t.close();
        }
        socket.removeListener(this);
    }

    // ---------------------------------------------------------------- ListenerHandler

    @Override
    public void accepted()
    {
        counters.accepts.incrementAndGet();
        socket.counters.increment(Counter.ACCEPTS);
    }

    @Override
    public void pipeReady(final TransportPipe pipe)
    {
        if (closed)
        {
            pipe.close();
            return;
        }
        socket.attach(pipe, this);
    }

    @Override
    public void handshakeFailed(final Exception cause)
    {
        final boolean rejected = cause instanceof org.spbus.PeerRejectedException;
        (rejected ? counters.peersRejected : counters.handshakeFailures).incrementAndGet();
        socket.counters.increment(rejected ? Counter.PEERS_REJECTED : Counter.HANDSHAKE_FAILURES);
        LOG.log(System.Logger.Level.DEBUG, () -> "socket " + socket.socketId + ": handshake failed on " + url() + ": " + cause);
        JfrEvents.handshakeRejected(socket, url(), cause);
    }

    // ---------------------------------------------------------------- PipeOwner

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
    public void pipeAttached(final EnginePipe pipe)
    {
        // The transport listener closes its own pipes; only count.
        counters.pipesTotal.incrementAndGet();
        counters.pipesCurrent.incrementAndGet();
    }

    @Override
    public void pipeClosed(final EnginePipe pipe, final CloseReason reason)
    {
        // Accepted pipes are not re-established by the listener side.
        counters.pipesCurrent.decrementAndGet();
    }

    @Override
    public void attachFailed(final org.spbus.BusException cause)
    {
        // The peer will redial if it wants to.
    }

    @Override
    public String toString()
    {
        return "Listener[" + (transport == null ? "?" : transport.url()) + "]";
    }
}
