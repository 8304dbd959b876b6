package org.spbus.spi.stream;

import java.io.IOException;
import java.nio.channels.SelectionKey;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.spbus.BusException;
import org.spbus.spi.EndpointConfig;
import org.spbus.spi.ListenerHandler;
import org.spbus.spi.TransportListener;

/**
 * A {@link TransportListener} over a bound {@link ServerSocketChannel}: accepts on a shared
 * I/O thread, runs each connection's SP header exchange on its own (a slow or silent client
 * holds up nobody), and hands every handshaken pipe to the engine. A failed accept
 * (for example too many open files) pauses accepting for 10 ms, as NNG does, and never stops
 * the listener. Thread-safe.
 */
public final class StreamListener implements TransportListener, IoHandler
{
    private static final System.Logger LOG = System.getLogger("org.spbus.transport");
    private static final long ACCEPT_RETRY_NANOS = 10_000_000L;

    private final ServerSocketChannel server;
    private final String url;
    private final StreamSupport support;
    private final EndpointConfig config;
    private final ListenerHandler handler;
    private final Runnable onClose;
    private final IoLoopGroup group;
    private final IoLoop loop;
    private final Set<StreamPipe> pipes = ConcurrentHashMap.newKeySet();
    private final Object closeLock = new Object();
    private SelectionKey key;
    private volatile boolean closed;

    private StreamListener(final ServerSocketChannel server, final String url, final StreamSupport support,
        final EndpointConfig config, final ListenerHandler handler, final Runnable onClose)
    {
        this.server = server;
        this.url = url;
        this.support = support;
        this.config = config;
        this.handler = handler;
        this.onClose = onClose;
        this.group = IoLoopGroup.acquire(server.provider());
        this.loop = group.next();
    }

    /**
     * Starts accepting on an already bound server channel.
     *
     * @param server  bound; made non-blocking here; owned by the listener from now on
     * @param url     the bound URL to report
     * @param support the transport's framing and options
     * @param config  the endpoint's settings
     * @param handler the engine's handler
     * @param onClose run once after the channel is closed (for example to remove an IPC socket
     *                file), or {@code null}
     * @return the listener, accepting
     * @throws IOException if the channel cannot be registered; it is closed then
     */
    public static StreamListener start(final ServerSocketChannel server, final String url, final StreamSupport support,
        final EndpointConfig config, final ListenerHandler handler, final Runnable onClose) throws IOException
    {
        Objects.requireNonNull(handler, "handler");
        server.configureBlocking(false);
        final StreamListener l = new StreamListener(server, url, support, config, handler, onClose);
        try
        {
            l.loop.runAndWait(() ->
            {
                try
                {
                    l.key = server.register(l.loop.selector(), SelectionKey.OP_ACCEPT, l);
                }
                catch (final IOException e)
                {
                    throw new java.io.UncheckedIOException(e);
                }
            });
        }
        catch (final java.io.UncheckedIOException e)
        {
            l.close();
            throw e.getCause();
        }
        return l;
    }

    @Override
    public String url()
    {
        return url;
    }

    @Override
    public void ready(final SelectionKey k)
    {
        for (int i = 0; i < 64 && !closed; i++)
        {
            final SocketChannel ch;
            try
            {
                ch = server.accept();
            }
            catch (final IOException e)
            {
                LOG.log(System.Logger.Level.WARNING, "accept on " + url + " failed, retrying in 10 ms: " + e);
                if (k.isValid())
                {
                    k.interestOps(0);
                }
                loop.schedule(() ->
                {
                    if (!closed && k.isValid())
                    {
                        k.interestOps(SelectionKey.OP_ACCEPT);
                    }
                }, ACCEPT_RETRY_NANOS);
                return;
            }
            if (ch == null)
            {
                return;
            }
            handler.accepted();
            try
            {
                ch.configureBlocking(false);
            }
            catch (final IOException e)
            {
                closeQuietly(ch);
                handler.handshakeFailed(e);
                continue;
            }
            final IoLoop target = group.next();
            final StreamPipe p = new StreamPipe(target, ch, support, config, owner);
            pipes.add(p);
            if (target == loop)
            {
                p.registerAccepted();
            }
            else
            {
                target.execute(p::registerAccepted);
            }
        }
    }

    private final PipeOwner owner = new PipeOwner()
    {
        @Override
        public void handshakeDone(final StreamPipe pipe)
        {
            if (closed)
            {
                pipe.close(org.spbus.spi.CloseReason.LOCAL, null);
                return;
            }
            handler.pipeReady(pipe);
        }

        @Override
        public void handshakeFailed(final StreamPipe pipe, final BusException cause)
        {
            if (!closed)
            {
                handler.handshakeFailed(cause);
            }
        }

        @Override
        public void removed(final StreamPipe pipe)
        {
            pipes.remove(pipe);
        }
    };

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
            loop.runAndWait(() ->
            {
                if (key != null)
                {
                    key.cancel();
                }
                closeQuietly(server);
                // A registered channel keeps its descriptor until the selector lets go of the
                // key: do that now, so the address is free when close() returns.
                loop.flushCancelledKeys();
            });
            for (final StreamPipe p : new ArrayList<>(pipes))
            {
                p.closeAndWait();
            }
            if (onClose != null)
            {
                try
                {
                    onClose.run();
                }
                catch (final RuntimeException e)
                {
                    LOG.log(System.Logger.Level.WARNING, "cleanup of " + url + " failed", e);
                }
            }
            group.release();
        }
    }

    private static void closeQuietly(final java.nio.channels.Channel ch)
    {
        try
        {
            ch.close();
        }
        catch (final IOException e)
        {
            // nothing more to do
        }
    }

    @Override
    public String toString()
    {
        return "StreamListener[" + url + "]";
    }
}
