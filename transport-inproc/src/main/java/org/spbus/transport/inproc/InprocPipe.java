package org.spbus.transport.inproc;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;

import org.spbus.spi.CloseReason;
import org.spbus.spi.OutboundMessage;
import org.spbus.spi.PipeHandler;
import org.spbus.spi.TransportPipe;

/**
 * One end of an in-process pipe. A wake drains this end's outbound messages straight into the
 * peer's handler on the waking thread (the engine guarantees one such thread at a time); a
 * message held by no other pipe is handed over without a copy.
 */
final class InprocPipe implements TransportPipe
{
    private final String address;
    private final Set<InprocPipe> registry;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final Object drainLock = new Object();
    private InprocPipe peer;
    /** Shared by both ends; guards the rare start/deferred-wake handshake. */
    private Object pairLock;
    private volatile PipeHandler handler;
    private boolean deferredWake;
    private CloseReason deferredClose;

    InprocPipe(final String address, final Set<InprocPipe> registry)
    {
        this.address = address;
        this.registry = registry;
    }

    static void join(final InprocPipe a, final InprocPipe b)
    {
        final Object lock = new Object();
        a.peer = b;
        b.peer = a;
        a.pairLock = lock;
        b.pairLock = lock;
    }

    @Override
    public void start(final PipeHandler h)
    {
        final boolean peerWaiting;
        final CloseReason closedBefore;
        synchronized (pairLock)
        {
            if (handler != null)
            {
                throw new IllegalStateException("pipe already started");
            }
            handler = h;
            peerWaiting = peer.deferredWake;
            peer.deferredWake = false;
            closedBefore = deferredClose;
            deferredClose = null;
        }
        if (closedBefore != null)
        {
            h.onClosed(closedBefore, null);
            return;
        }
        if (peerWaiting)
        {
            peer.drain();
        }
    }

    @Override
    public void wake()
    {
        if (peer.handler == null)
        {
            synchronized (pairLock)
            {
                if (peer.handler == null)
                {
                    deferredWake = true;
                    return;
                }
            }
        }
        drain();
    }

    private void drain()
    {
        // Held while draining, and by end(): onClosed never overtakes an onWritten of this end.
        synchronized (drainLock)
        {
            drainLocked();
        }
    }

    private void drainLocked()
    {
        final PipeHandler src = handler;
        final PipeHandler dst = peer.handler;
        int n = 0;
        long bytes = 0;
        OutboundMessage m;
        // Never poll once this end is closing: after onClosed the engine accounts for what is left.
        while (!closed.get() && (m = src.pollOutbound()) != null)
        {
            if (closed.get() || peer.closed.get())
            {
                m.release();
                continue;
            }
            final byte[] body = m.takeBody();
            m.release();
            n++;
            bytes += body.length;
            if (!dst.onMessage(body))
            {
                // The receiver's queue is full: stop here, keeping the rest in our send queue
                // (and the right to drain it) until the receiver resumes us.
                break;
            }
        }
        if (n > 0)
        {
            src.onWritten(n, bytes);
        }
    }

    @Override
    public void resumeReading()
    {
        // This end's reading is the peer's draining into us: carry on with it, on this thread.
        if (!closed.get() && !peer.closed.get())
        {
            peer.drain();
        }
    }

    @Override
    public void close()
    {
        end(CloseReason.LOCAL);
        peer.end(CloseReason.PEER_CLOSED);
    }

    private void end(final CloseReason reason)
    {
        if (!closed.compareAndSet(false, true))
        {
            return;
        }
        registry.remove(this);
        synchronized (drainLock)
        {
            final PipeHandler h;
            synchronized (pairLock)
            {
                h = handler;
                if (h == null)
                {
                    deferredClose = reason;
                }
            }
            if (h != null)
            {
                h.onClosed(reason, null);
            }
        }
    }

    @Override
    public String localAddress()
    {
        return address;
    }

    @Override
    public String remoteAddress()
    {
        return address;
    }

    @Override
    public Map<String, Object> properties()
    {
        return Map.of();
    }
}
