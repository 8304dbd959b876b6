package org.spbus.transport.unix;

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

/**
 * The TCK fixtures of the Unix transport: {@link #IPC} ({@code ipc://} socket files in a private
 * temporary directory, short enough for the 107-byte limit) and {@link #ABSTRACT}
 * ({@code abstract://} names unique to this JVM).
 */
public final class UnixFixture implements TransportFixture
{
    /** {@code ipc:///tmp/spbus-tck-PID/N.ipc}. */
    public static final UnixFixture IPC = new UnixFixture(false);
    /** {@code abstract://spbus-tck-PID-N}. */
    public static final UnixFixture ABSTRACT = new UnixFixture(true);

    private static final AtomicInteger NAMES = new AtomicInteger();
    private final boolean abstractNamespace;
    private Path dir;

    private UnixFixture(final boolean abstractNamespace)
    {
        this.abstractNamespace = abstractNamespace;
    }

    @Override
    public String name()
    {
        return abstractNamespace ? "abstract" : "ipc";
    }

    @Override
    public Transport transport()
    {
        return new UnixTransport();
    }

    private synchronized Path dir()
    {
        if (dir == null)
        {
            try
            {
                dir = Files.createTempDirectory(Path.of("/tmp"), "spbus-tck-");
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
        final int n = NAMES.incrementAndGet();
        return abstractNamespace ? "abstract://spbus-tck-" + ProcessHandle.current().pid() + "-" + n
            : "ipc://" + dir().resolve(n + ".ipc");
    }

    @Override
    public String newUnusedUrl()
    {
        return newListenUrl();
    }

    @Override
    public Set<Capability> capabilities()
    {
        return abstractNamespace ? EnumSet.of(Capability.RECV_MAX_SIZE)
            : EnumSet.of(Capability.WIRE, Capability.FILESYSTEM, Capability.RECV_MAX_SIZE);
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
    public org.spbus.spi.stream.Framing wireFraming()
    {
        return org.spbus.spi.stream.Framing.IPC;
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
