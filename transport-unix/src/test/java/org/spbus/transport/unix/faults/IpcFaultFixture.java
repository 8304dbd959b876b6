package org.spbus.transport.unix.faults;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import org.spbus.spi.Transport;
import org.spbus.tck.Capability;
import org.spbus.tck.TransportFixture;
import org.spbus.transport.unix.UnixTransport;

/**
 * {@code ipc:///tmp/spbus-faults-XXXX/N.ipc} for the fault suites (the TCK's own fixture is
 * private to its package). The directory is made on first use and deleted by {@link #cleanup()}.
 */
final class IpcFaultFixture implements TransportFixture
{
    static final IpcFaultFixture INSTANCE = new IpcFaultFixture();

    private static final AtomicInteger NAMES = new AtomicInteger();
    private Path dir;

    private IpcFaultFixture()
    {
    }

    @Override
    public String name()
    {
        return "ipc";
    }

    @Override
    public Transport transport()
    {
        return new UnixTransport();
    }

    synchronized Path dir()
    {
        if (dir == null)
        {
            try
            {
                dir = Files.createTempDirectory(Path.of("/tmp"), "spbus-faults-");
            }
            catch (final IOException e)
            {
                throw new UncheckedIOException(e);
            }
        }
        return dir;
    }

    @Override
    public String newListenUrl()
    {
        return "ipc://" + dir().resolve(NAMES.incrementAndGet() + ".ipc");
    }

    @Override
    public String newUnusedUrl()
    {
        return newListenUrl();
    }

    @Override
    public Set<Capability> capabilities()
    {
        return EnumSet.of(Capability.WIRE, Capability.FILESYSTEM, Capability.RECV_MAX_SIZE);
    }

    @Override
    public ServerSocketChannel openRawListener() throws IOException
    {
        final ServerSocketChannel ch = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        ch.bind(UnixDomainSocketAddress.of(dir().resolve("raw-" + NAMES.incrementAndGet() + ".ipc")));
        return ch;
    }

    @Override
    public String urlOf(final SocketAddress address)
    {
        return "ipc://" + ((UnixDomainSocketAddress)address).getPath();
    }

    @Override
    public SocketAddress addressOf(final String url)
    {
        return UnixDomainSocketAddress.of(url.substring("ipc://".length()));
    }

    @Override
    public synchronized void cleanup()
    {
        if (dir == null)
        {
            return;
        }
        try (Stream<Path> s = Files.walk(dir))
        {
            s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
        catch (final IOException e)
        {
            // best effort
        }
        dir = null;
    }
}
