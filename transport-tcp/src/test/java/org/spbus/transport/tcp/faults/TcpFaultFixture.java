package org.spbus.transport.tcp.faults;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.URI;
import java.nio.channels.ServerSocketChannel;
import java.util.EnumSet;
import java.util.Set;

import org.spbus.spi.Transport;
import org.spbus.tck.Capability;
import org.spbus.tck.TransportFixture;
import org.spbus.transport.tcp.TcpTransport;

/** {@code tcp://127.0.0.1:0} for the fault suites (the TCK's own fixture is private to its package). */
final class TcpFaultFixture implements TransportFixture
{
    static final TcpFaultFixture INSTANCE = new TcpFaultFixture();

    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

    private TcpFaultFixture()
    {
    }

    @Override
    public String name()
    {
        return "tcp";
    }

    @Override
    public Transport transport()
    {
        return new TcpTransport();
    }

    @Override
    public String newListenUrl()
    {
        return "tcp://127.0.0.1:0";
    }

    @Override
    public String newUnusedUrl()
    {
        try (ServerSocketChannel ch = ServerSocketChannel.open())
        {
            ch.bind(new InetSocketAddress("127.0.0.1", 0));
            return "tcp://127.0.0.1:" + ((InetSocketAddress)ch.getLocalAddress()).getPort();
        }
        catch (final IOException e)
        {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public Set<Capability> capabilities()
    {
        return EnumSet.of(Capability.WIRE, Capability.PORT_ZERO, Capability.RECV_MAX_SIZE);
    }

    @Override
    public ServerSocketChannel openRawListener() throws IOException
    {
        final ServerSocketChannel ch = ServerSocketChannel.open();
        ch.bind(new InetSocketAddress("127.0.0.1", 0));
        return ch;
    }

    @Override
    public String urlOf(final SocketAddress address)
    {
        return "tcp://127.0.0.1:" + ((InetSocketAddress)address).getPort();
    }

    @Override
    public SocketAddress addressOf(final String url)
    {
        return new InetSocketAddress("127.0.0.1", URI.create(url).getPort());
    }

    @Override
    public String toString()
    {
        return "tcp fault fixture on " + LOOPBACK;
    }
}
