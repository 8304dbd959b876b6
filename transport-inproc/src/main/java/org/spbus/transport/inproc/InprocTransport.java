package org.spbus.transport.inproc;

import java.util.ArrayList;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.spbus.AddressInUseException;
import org.spbus.BusClosedException;
import org.spbus.ConnectionRefusedException;
import org.spbus.InvalidAddressException;
import org.spbus.ProtocolException;
import org.spbus.spi.DialCallback;
import org.spbus.spi.EndpointConfig;
import org.spbus.spi.ListenerHandler;
import org.spbus.spi.Transport;
import org.spbus.spi.TransportDialer;
import org.spbus.spi.TransportListener;

/**
 * {@code inproc://NAME}: listeners are registered by name in this JVM (any non-empty string;
 * NNG {@code nng_inproc.7}); a dial connects to the listener of that name at once, or is
 * refused if there is none. The protocol ids are checked as the SP header exchange would,
 * so only BUS sockets pair with BUS sockets. The receive maximum size does not apply, as in NNG.
 * Pipes start no thread: a sender's thread hands the message to the receiver's queue.
 *
 * <p>Thread-safe; one instance serves the whole JVM.
 */
public final class InprocTransport implements Transport
{
    static final String PREFIX = "inproc://";
    private static final ConcurrentHashMap<String, InprocListener> LISTENERS = new ConcurrentHashMap<>();

    /** Creates the transport (used by {@link java.util.ServiceLoader}). */
    public InprocTransport()
    {
    }

    @Override
    public Set<String> schemes()
    {
        return Set.of("inproc");
    }

    @Override
    public TransportListener listen(final String url, final EndpointConfig config, final ListenerHandler handler)
    {
        final String name = name(url);
        final InprocListener l = new InprocListener(url, name, config, handler);
        if (LISTENERS.putIfAbsent(name, l) != null)
        {
            throw new AddressInUseException("address in use: " + url, null);
        }
        return l;
    }

    @Override
    public TransportDialer dialer(final String url, final EndpointConfig config)
    {
        return new InprocDialer(url, name(url), config);
    }

    private static String name(final String url)
    {
        if (!url.regionMatches(true, 0, PREFIX, 0, PREFIX.length()))
        {
            throw new InvalidAddressException("not an inproc URL: '" + url + "'");
        }
        final String name = url.substring(PREFIX.length());
        if (name.isEmpty())
        {
            throw new InvalidAddressException("inproc URL needs a name: '" + url + "'");
        }
        return name;
    }

    /** The listener registered under a name. */
    static final class InprocListener implements TransportListener
    {
        private final String url;
        private final String name;
        final EndpointConfig config;
        final ListenerHandler handler;
        final Set<InprocPipe> pipes = ConcurrentHashMap.newKeySet();
        private volatile boolean closed;

        InprocListener(final String url, final String name, final EndpointConfig config, final ListenerHandler handler)
        {
            this.url = url;
            this.name = name;
            this.config = config;
            this.handler = handler;
        }

        @Override
        public String url()
        {
            return url;
        }

        boolean isClosed()
        {
            return closed;
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
            LISTENERS.remove(name, this);
            for (final InprocPipe p : new ArrayList<>(pipes))
            {
                p.close();
            }
        }
    }

    /** Connects to the listener registered under a name. */
    static final class InprocDialer implements TransportDialer
    {
        private final String url;
        private final String name;
        private final EndpointConfig config;
        private final Set<InprocPipe> pipes = ConcurrentHashMap.newKeySet();
        private volatile boolean closed;

        InprocDialer(final String url, final String name, final EndpointConfig config)
        {
            this.url = url;
            this.name = name;
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
                callback.failed(new BusClosedException("dialer closed: " + url));
                return;
            }
            final InprocListener l = LISTENERS.get(name);
            if (l == null || l.isClosed())
            {
                callback.failed(new ConnectionRefusedException("connection refused: no inproc listener named '" + name + "'",
                    null));
                return;
            }
            l.handler.accepted();
            if (config.protocolId() != l.config.peerProtocolId() || l.config.protocolId() != config.peerProtocolId())
            {
                final ProtocolException e = new ProtocolException("peer protocol "
                    + String.format("0x%04x", l.config.protocolId()) + " is not accepted (expected "
                    + String.format("0x%04x", config.peerProtocolId()) + ")");
                l.handler.handshakeFailed(e);
                callback.failed(e);
                return;
            }
            final InprocPipe mine = new InprocPipe("inproc://" + name, pipes);
            final InprocPipe theirs = new InprocPipe("inproc://" + name, l.pipes);
            InprocPipe.join(mine, theirs);
            pipes.add(mine);
            l.pipes.add(theirs);
            if (closed || l.isClosed())
            {
                mine.close();
                callback.failed(new BusClosedException("closed while dialing " + url));
                return;
            }
            l.handler.pipeReady(theirs);
            callback.connected(mine);
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
            for (final InprocPipe p : new ArrayList<>(pipes))
            {
                p.close();
            }
        }
    }
}
