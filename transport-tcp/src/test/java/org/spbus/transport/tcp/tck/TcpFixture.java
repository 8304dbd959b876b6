package org.spbus.transport.tcp.tck;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.URI;
import java.nio.channels.ServerSocketChannel;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;

import org.spbus.spi.Transport;
import org.spbus.tck.Capability;
import org.spbus.tck.TransportFixture;
import org.spbus.transport.tcp.TcpTransport;

/**
 * The TCK fixtures of {@code tcp://}: loopback only, port 0 for listeners, a port that was free
 * a moment ago for "nobody listens here". {@link #IPV4} uses {@code 127.0.0.1}, {@link #IPV6}
 * {@code [::1]} (skipped with a reason where the machine has no IPv6 loopback).
 */
final class TcpFixture implements TransportFixture
{
    /** {@code tcp://127.0.0.1:0}. */
    static final TcpFixture IPV4 = new TcpFixture("tcp", "127.0.0.1");
    /** {@code tcp://[::1]:0}. */
    static final TcpFixture IPV6 = new TcpFixture("tcp-ipv6", "::1");

    private final String name;
    private final String host;
    private final String urlHost;
    private final InetAddress address;
    private final Optional<String> unavailable;

    private TcpFixture(final String name, final String host)
    {
        this.name = name;
        this.host = host;
        this.urlHost = host.indexOf(':') >= 0 ? "[" + host + "]" : host;
        InetAddress a = null;
        Optional<String> why = Optional.empty();
        try
        {
            a = InetAddress.getByName(host);
            try (ServerSocketChannel probe = ServerSocketChannel.open())
            {
                probe.bind(new InetSocketAddress(a, 0));
            }
        }
        catch (final IOException | RuntimeException e)
        {
            why = Optional.of("cannot bind a socket on " + urlHost + " (" + e + ")");
        }
        this.address = a;
        this.unavailable = why;
    }

    @Override
    public String name()
    {
        return name;
    }

    @Override
    public Transport transport()
    {
        return new TcpTransport();
    }

    @Override
    public String newListenUrl()
    {
        return "tcp://" + urlHost + ":0";
    }

    @Override
    public String newUnusedUrl()
    {
        try (ServerSocketChannel ch = ServerSocketChannel.open())
        {
            ch.bind(new InetSocketAddress(address, 0));
            return "tcp://" + urlHost + ":" + ((InetSocketAddress)ch.getLocalAddress()).getPort();
        }
        catch (final IOException e)
        {
            throw new java.io.UncheckedIOException("cannot find a free port on " + urlHost, e);
        }
    }

    @Override
    public Set<Capability> capabilities()
    {
        return EnumSet.of(Capability.WIRE, Capability.PORT_ZERO, Capability.RECV_MAX_SIZE);
    }

    @Override
    public Optional<String> unavailableReason()
    {
        return unavailable;
    }

    @Override
    public ServerSocketChannel openRawListener() throws IOException
    {
        final ServerSocketChannel ch = ServerSocketChannel.open();
        try
        {
            ch.bind(new InetSocketAddress(address, 0));
            return ch;
        }
        catch (final IOException e)
        {
            ch.close();
            throw e;
        }
    }

    @Override
    public String urlOf(final SocketAddress bound)
    {
        return "tcp://" + urlHost + ":" + ((InetSocketAddress)bound).getPort();
    }

    @Override
    public SocketAddress addressOf(final String url)
    {
        final URI u = URI.create(url);
        return new InetSocketAddress(address, u.getPort());
    }
}
