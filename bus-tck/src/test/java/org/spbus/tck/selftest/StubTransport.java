package org.spbus.tck.selftest;

import java.util.ArrayList;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.spbus.AddressInUseException;
import org.spbus.BusClosedException;
import org.spbus.ConnectionRefusedException;
import org.spbus.InvalidAddressException;
import org.spbus.ProtocolException;
import org.spbus.spi.CloseReason;
import org.spbus.spi.DialCallback;
import org.spbus.spi.EndpointConfig;
import org.spbus.spi.ListenerHandler;
import org.spbus.spi.OutboundMessage;
import org.spbus.spi.PipeHandler;
import org.spbus.spi.Transport;
import org.spbus.spi.TransportDialer;
import org.spbus.spi.TransportListener;
import org.spbus.spi.TransportPipe;

/**
 * An in-memory transport for the TCK's self-test, with one deliberate fault per URL scheme:
 * {@code stub://} is correct; {@code stub-dup://} delivers every message twice;
 * {@code stub-echo://} also hands every message back to its sender; {@code stub-lossy://}
 * silently loses every tenth message while reporting it written; {@code stub-noclose://}
 * never tells the peer that a pipe closed; {@code stub-reorder://} swaps each pair of messages;
 * {@code stub-truncate://} drops the last byte of every non-empty message;
 * {@code stub-forward://} also passes each message it delivers on to the receiver's other
 * pipes; {@code stub-leak://} starts a {@code spbus-} thread per connection that never ends.
 * The TCK must pass the first and fail each of the others on the matching rule.
 */
public final class StubTransport implements Transport
{
    private static final Map<String, StubListener> LISTENERS = new ConcurrentHashMap<>();
    /** Every live pipe of stub-forward://. */
    private static final Set<StubPipe> FORWARDING = ConcurrentHashMap.newKeySet();

    /** Creates the transport (ServiceLoader). */
    public StubTransport()
    {
    }

    @Override
    public Set<String> schemes()
    {
        return Set.of("stub", "stub-dup", "stub-echo", "stub-lossy", "stub-noclose", "stub-reorder", "stub-truncate",
            "stub-forward", "stub-leak");
    }

    private static String name(final String url)
    {
        final int i = url.indexOf("://");
        if (i <= 0 || i + 3 == url.length())
        {
            throw new InvalidAddressException("bad stub URL: " + url);
        }
        return url;
    }

    private static String fault(final String url)
    {
        return url.substring(0, url.indexOf("://"));
    }

    @Override
    public TransportListener listen(final String url, final EndpointConfig config, final ListenerHandler handler)
    {
        final StubListener l = new StubListener(name(url), config, handler);
        if (LISTENERS.putIfAbsent(l.url, l) != null)
        {
            throw new AddressInUseException("in use: " + url, null);
        }
        return l;
    }

    @Override
    public TransportDialer dialer(final String url, final EndpointConfig config)
    {
        return new StubDialer(name(url), config);
    }

    private static final class StubListener implements TransportListener
    {
        final String url;
        final EndpointConfig config;
        final ListenerHandler handler;
        final Set<StubPipe> pipes = ConcurrentHashMap.newKeySet();
        volatile boolean closed;

        StubListener(final String url, final EndpointConfig config, final ListenerHandler handler)
        {
            this.url = url;
            this.config = config;
            this.handler = handler;
        }

        @Override
        public String url()
        {
            return url;
        }

        @Override
        public void close()
        {
            if (closed)
            {
                return;
            }
            closed = true;
            LISTENERS.remove(url, this);
            new ArrayList<>(pipes).forEach(StubPipe::close);
        }
    }

    private static final class StubDialer implements TransportDialer
    {
        private final String url;
        private final EndpointConfig config;
        private final Set<StubPipe> pipes = ConcurrentHashMap.newKeySet();
        private volatile boolean closed;

        StubDialer(final String url, final EndpointConfig config)
        {
            this.url = url;
            this.config = config;
        }

        @Override
        public String url()
        {
            return url;
        }

        @Override
        public void connect(final DialCallback callback)
        {
            if (closed)
            {
                callback.failed(new BusClosedException("closed"));
                return;
            }
            final StubListener l = LISTENERS.get(url);
            if (l == null || l.closed)
            {
                callback.failed(new ConnectionRefusedException("refused: " + url, null));
                return;
            }
            l.handler.accepted();
            if (l.config.protocolId() != config.peerProtocolId() || config.protocolId() != l.config.peerProtocolId())
            {
                final ProtocolException e = new ProtocolException("protocol mismatch");
                l.handler.handshakeFailed(e);
                callback.failed(e);
                return;
            }
            final String fault = fault(url);
            if (fault.equals("stub-leak"))
            {
                final Thread leak = new Thread(() -> LockSupport.park(), "spbus-stub-leak");
                leak.setDaemon(true);
                leak.start();
            }
            final StubPipe mine = new StubPipe(fault, pipes, config);
            final StubPipe theirs = new StubPipe(fault, l.pipes, l.config);
            mine.peer = theirs;
            theirs.peer = mine;
            pipes.add(mine);
            l.pipes.add(theirs);
            l.handler.pipeReady(theirs);
            callback.connected(mine);
        }

        @Override
        public void close()
        {
            closed = true;
            new ArrayList<>(pipes).forEach(StubPipe::close);
        }
    }

    private static final class StubPipe implements TransportPipe
    {
        private final String fault;
        final Set<StubPipe> registry;
        final EndpointConfig config;
        private final AtomicBoolean closed = new AtomicBoolean();
        private final AtomicInteger count = new AtomicInteger();
        private final Object drainLock = new Object();
        private final Object deliverLock = new Object();
        volatile StubPipe peer;
        private volatile PipeHandler handler;
        private volatile boolean pendingWake;
        /** stub-reorder: the message held back to swap with the next. */
        private byte[] held;

        StubPipe(final String fault, final Set<StubPipe> registry, final EndpointConfig config)
        {
            this.fault = fault;
            this.registry = registry;
            this.config = config;
            if (fault.equals("stub-forward"))
            {
                FORWARDING.add(this);
            }
        }

        @Override
        public void start(final PipeHandler h)
        {
            if (handler != null)
            {
                throw new IllegalStateException("started twice");
            }
            handler = h;
            if (peer.pendingWake)
            {
                peer.wake();
            }
        }

        @Override
        public void wake()
        {
            final PipeHandler dst = peer.handler;
            if (dst == null || handler == null)
            {
                pendingWake = true;
                return;
            }
            pendingWake = false;
            synchronized (drainLock)
            {
                int n = 0;
                long bytes = 0;
                OutboundMessage m;
                while ((m = handler.pollOutbound()) != null)
                {
                    final byte[] body = java.util.Arrays.copyOf(m.array(), m.length());
                    m.release();
                    n++;
                    bytes += body.length;
                    if (closed.get() || peer.closed.get())
                    {
                        continue;
                    }
                    if (fault.equals("stub-lossy") && count.incrementAndGet() % 10 == 0)
                    {
                        continue;
                    }
                    byte[] out = body;
                    if (fault.equals("stub-truncate") && out.length > 0)
                    {
                        out = java.util.Arrays.copyOf(out, out.length - 1);
                    }
                    if (fault.equals("stub-reorder"))
                    {
                        if (held == null)
                        {
                            held = out;
                            continue;
                        }
                        final byte[] first = out;
                        out = held;
                        held = null;
                        synchronized (peer.deliverLock)
                        {
                            dst.onMessage(first);
                        }
                    }
                    boolean more;
                    synchronized (peer.deliverLock)
                    {
                        more = dst.onMessage(out);
                        if (more && fault.equals("stub-dup"))
                        {
                            more = dst.onMessage(out.clone());
                        }
                    }
                    if (fault.equals("stub-forward"))
                    {
                        // The receiving socket (known by its endpoint config, one per socket)
                        // passes the message on to the peers of its other pipes.
                        for (final StubPipe q : FORWARDING)
                        {
                            if (q.config != peer.config)
                            {
                                continue;
                            }
                            final PipeHandler far = q == peer || q.peer == null ? null : q.peer.handler;
                            if (far != null && !q.peer.closed.get())
                            {
                                synchronized (q.peer.deliverLock)
                                {
                                    far.onMessage(out.clone());
                                }
                            }
                        }
                    }
                    if (fault.equals("stub-echo"))
                    {
                        synchronized (deliverLock)
                        {
                            handler.onMessage(body.clone());
                        }
                    }
                    if (!more)
                    {
                        // The receiver is full: keep the rest queued until it resumes us.
                        break;
                    }
                }
                if (n > 0)
                {
                    handler.onWritten(n, bytes);
                }
            }
        }

        @Override
        public void resumeReading()
        {
            peer.wake();
        }

        @Override
        public void close()
        {
            end(CloseReason.LOCAL);
            if (!fault.equals("stub-noclose"))
            {
                peer.end(CloseReason.PEER_CLOSED);
            }
        }

        private void end(final CloseReason reason)
        {
            if (!closed.compareAndSet(false, true))
            {
                return;
            }
            registry.remove(this);
            FORWARDING.remove(this);
            final PipeHandler h = handler;
            if (h != null)
            {
                h.onClosed(reason, null);
            }
        }

        @Override
        public String localAddress()
        {
            return "stub";
        }

        @Override
        public String remoteAddress()
        {
            return "stub";
        }

        @Override
        public Map<String, Object> properties()
        {
            return Map.of();
        }
    }
}
