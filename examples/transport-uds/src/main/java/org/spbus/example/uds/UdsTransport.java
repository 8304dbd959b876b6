package org.spbus.example.uds;

import java.io.IOException;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.channels.spi.SelectorProvider;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;

import org.spbus.AddressInUseException;
import org.spbus.InvalidAddressException;
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
 * {@code uds://PATH}: a Unix domain socket at an absolute path, through the JDK's own channels
 * ({@link StandardProtocolFamily#UNIX}, Java 16+), framed as SP IPC (so NNG's {@code ipc://}
 * peers can talk to it). The example of the README's "Writing a transport": everything below
 * is URL parsing, binding and opening channels; the header exchange, framing, I/O threads,
 * back-pressure and close handling come from {@link org.spbus.spi.stream}.
 *
 * <p>Thread-safe (stateless).
 */
public final class UdsTransport implements Transport
{
    private static final String PREFIX = "uds://";
    private static final StreamSupport SUPPORT = new StreamSupport(Framing.IPC, (channel, config) -> { },
        address -> PREFIX + ((UnixDomainSocketAddress)address).getPath(), channel -> Map.of());

    /** Creates the transport (used by {@link java.util.ServiceLoader}). */
    public UdsTransport()
    {
    }

    @Override
    public Set<String> schemes()
    {
        return Set.of("uds");
    }

    @Override
    public TransportListener listen(final String url, final EndpointConfig config, final ListenerHandler handler)
    {
        final Path path = path(url);
        ServerSocketChannel ch = null;
        try
        {
            ch = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
            ch.bind(UnixDomainSocketAddress.of(path), 128);
            return StreamListener.start(ch, url, SUPPORT, config, handler, () -> delete(path));
        }
        catch (final IOException e)
        {
            close(ch);
            if (Files.exists(path))
            {
                throw new AddressInUseException("address in use: " + url, e);
            }
            throw new TransportException("cannot listen on " + url + ": " + e.getMessage(), e);
        }
    }

    @Override
    public TransportDialer dialer(final String url, final EndpointConfig config)
    {
        final Path path = path(url);
        return new StreamDialer(url, SUPPORT, config, new StreamDialer.Connector()
        {
            @Override
            public SocketAddress resolve()
            {
                return UnixDomainSocketAddress.of(path);
            }

            @Override
            public SocketChannel open(final SocketAddress address) throws IOException
            {
                return SocketChannel.open(StandardProtocolFamily.UNIX);
            }
        }, SelectorProvider.provider());
    }

    private static Path path(final String url)
    {
        if (!url.startsWith(PREFIX) || !url.startsWith("/", PREFIX.length()))
        {
            throw new InvalidAddressException("invalid address '" + url + "': expected uds:///absolute/path");
        }
        return Path.of(url.substring(PREFIX.length()));
    }

    private static void delete(final Path path)
    {
        try
        {
            Files.deleteIfExists(path);
        }
        catch (final IOException e)
        {
            // best effort
        }
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
