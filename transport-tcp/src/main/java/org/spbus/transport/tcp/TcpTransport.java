package org.spbus.transport.tcp;

import java.io.IOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardSocketOptions;
import java.net.UnknownHostException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.channels.spi.SelectorProvider;
import java.util.Map;
import java.util.Set;

import org.spbus.AddressInUseException;
import org.spbus.TransportException;
import org.spbus.spi.EndpointConfig;
import org.spbus.spi.ListenerHandler;
import org.spbus.spi.Transport;
import org.spbus.spi.TransportDialer;
import org.spbus.spi.TransportListener;
import org.spbus.spi.stream.Framing;
import org.spbus.spi.stream.StreamDialer;
import org.spbus.spi.stream.StreamListener;
import org.spbus.spi.stream.StreamSupport;

/**
 * The TCP transport: SP TCP mapping (8-byte SP header exchange, then frames of a 64-bit
 * big-endian length and the payload), as NNG's {@code src/sp/transport/tcp}. Listeners set
 * {@code SO_REUSEADDR} and a backlog of 128 like NNG; pipes set {@code TCP_NODELAY} unless the
 * socket's options say otherwise, and leave {@code SO_KEEPALIVE} off, NNG's defaults.
 *
 * <p>Thread-safe; one instance serves the whole JVM.
 */
public final class TcpTransport implements Transport
{
    private static final int BACKLOG = 128;

    private static final StreamSupport SUPPORT = new StreamSupport(Framing.TCP,
        TcpTransport::configure, a -> TcpAddress.format("tcp", (InetSocketAddress)a), ch -> Map.of());

    /** Creates the transport (used by {@link java.util.ServiceLoader}). */
    public TcpTransport()
    {
    }

    @Override
    public Set<String> schemes()
    {
        return Set.of("tcp", "tcp4", "tcp6");
    }

    private static void configure(final SocketChannel ch, final EndpointConfig config) throws IOException
    {
        ch.setOption(StandardSocketOptions.TCP_NODELAY, config.tcpNoDelay());
    }

    @Override
    public TransportListener listen(final String url, final EndpointConfig config, final ListenerHandler handler)
    {
        final TcpAddress a = TcpAddress.parse(url, true);
        final InetSocketAddress bindTo;
        try
        {
            bindTo = a.resolve();
        }
        catch (final UnknownHostException e)
        {
            throw new TransportException("cannot resolve " + url + ": " + e.getMessage(), e);
        }
        ServerSocketChannel ch = null;
        try
        {
            ch = ServerSocketChannel.open();
            ch.setOption(StandardSocketOptions.SO_REUSEADDR, true);
            ch.bind(bindTo, BACKLOG);
            final InetSocketAddress bound = (InetSocketAddress)ch.getLocalAddress();
            final String boundUrl = a.wildcard ? TcpAddress.format(a.scheme, bound)
                : a.scheme + "://" + (a.ipv6Literal ? "[" + a.host + "]" : a.host) + ":" + bound.getPort();
            return StreamListener.start(ch, boundUrl, SUPPORT, config, handler, null);
        }
        catch (final BindException e)
        {
            close(ch);
            if (String.valueOf(e.getMessage()).contains("in use"))
            {
                throw new AddressInUseException("address in use: " + url, e);
            }
            throw new TransportException("cannot listen on " + url + ": " + e.getMessage(), e);
        }
        catch (final IOException | RuntimeException e)
        {
            close(ch);
            throw new TransportException("cannot listen on " + url + ": " + e.getMessage(), e);
        }
    }

    @Override
    public TransportDialer dialer(final String url, final EndpointConfig config)
    {
        final TcpAddress a = TcpAddress.parse(url, false);
        return new StreamDialer(url, SUPPORT, config, new StreamDialer.Connector()
        {
            @Override
            public SocketAddress resolve() throws IOException
            {
                return a.resolve();
            }

            @Override
            public SocketChannel open(final SocketAddress address) throws IOException
            {
                return SocketChannel.open();
            }
        }, SelectorProvider.provider());
    }

    private static void close(final ServerSocketChannel ch)
    {
        if (ch != null)
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
    }
}
