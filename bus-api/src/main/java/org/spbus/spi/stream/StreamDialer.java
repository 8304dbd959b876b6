package org.spbus.spi.stream;

import java.io.IOException;
import java.net.SocketAddress;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.spbus.BusClosedException;
import org.spbus.BusException;
import org.spbus.spi.DialCallback;
import org.spbus.spi.EndpointConfig;
import org.spbus.spi.TransportDialer;

/**
 * A {@link TransportDialer} for stream transports: each attempt opens a channel, connects
 * without blocking on a shared I/O thread, and runs the SP header exchange, all within the
 * endpoint's handshake timeout. Thread-safe.
 */
public final class StreamDialer implements TransportDialer
{
    private final String url;
    private final StreamSupport support;
    private final EndpointConfig config;
    private final Connector connector;
    private final IoLoopGroup group;
    private final Set<StreamPipe> pipes = ConcurrentHashMap.newKeySet();
    private final Object closeLock = new Object();
    private volatile boolean closed;

    /**
     * Creates a dialer. Takes a reference on the shared I/O threads until {@link #close()}.
     *
     * @param url       the URL dialed, for reports
     * @param support   the transport's framing and options
     * @param config    the endpoint's settings
     * @param connector opens an unconnected channel and resolves the address, per attempt
     * @param provider  the selector provider the channels belong to
     */
    public StreamDialer(final String url, final StreamSupport support, final EndpointConfig config,
        final Connector connector, final java.nio.channels.spi.SelectorProvider provider)
    {
        this.url = Objects.requireNonNull(url, "url");
        this.support = Objects.requireNonNull(support, "support");
        this.config = Objects.requireNonNull(config, "config");
        this.connector = Objects.requireNonNull(connector, "connector");
        this.group = IoLoopGroup.acquire(provider);
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
        final SocketAddress address;
        final SocketChannel ch;
        try
        {
            address = connector.resolve();
            ch = connector.open(address);
            ch.configureBlocking(false);
        }
        catch (final IOException | RuntimeException e)
        {
            callback.failed(support.mapConnectError(url, e));
            return;
        }
        final IoLoop loop = group.next();
        final StreamPipe p = new StreamPipe(loop, ch, support, config, new PipeOwner()
        {
            @Override
            public void handshakeDone(final StreamPipe pipe)
            {
                if (closed)
                {
                    pipe.close(org.spbus.spi.CloseReason.LOCAL, null);
                    return;
                }
                callback.connected(pipe);
            }

            @Override
            public void handshakeFailed(final StreamPipe pipe, final BusException cause)
            {
                callback.failed(closed ? new BusClosedException("dialer closed: " + url) : cause);
            }

            @Override
            public void removed(final StreamPipe pipe)
            {
                pipes.remove(pipe);
            }
        });
        pipes.add(p);
        loop.execute(() -> p.connect(address, url));
        if (closed)
        {
            p.close();
        }
    }

    @Override
    public void close()
    {
        synchronized (closeLock)
        {
            if (closed)
            {
                return;
            }
            closed = true;
            for (final StreamPipe p : new ArrayList<>(pipes))
            {
                p.closeAndWait();
            }
            group.release();
        }
    }

    /**
     * Opens channels for a dialer.
     */
    public interface Connector
    {
        /**
         * Resolves the address to connect to; called once per attempt, on the engine's thread
         * (so a DNS lookup never stalls an I/O thread).
         *
         * @return the address
         * @throws IOException if it cannot be resolved
         */
        SocketAddress resolve() throws IOException;

        /**
         * Opens an unconnected channel able to reach {@code address}.
         *
         * @param address the resolved address
         * @return a new channel
         * @throws IOException if it cannot be opened
         */
        SocketChannel open(SocketAddress address) throws IOException;
    }

    @Override
    public String toString()
    {
        return "StreamDialer[" + url + "]";
    }
}
