package org.spbus.example.uds;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

import org.spbus.spi.Transport;
import org.spbus.tck.Capability;
import org.spbus.tck.TransportFixture;

/** The TCK fixture of {@code uds://}: socket files in a fresh temporary directory. */
final class UdsFixture implements TransportFixture
{
    static final UdsFixture INSTANCE = new UdsFixture();
    private static final AtomicInteger NAMES = new AtomicInteger();
    private final Path dir;

    private UdsFixture()
    {
        try
        {
            dir = Files.createTempDirectory(Path.of("/tmp"), "spbus-uds-");
            dir.toFile().deleteOnExit();
        }
        catch (final IOException e)
        {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public String name()
    {
        return "uds";
    }

    @Override
    public Transport transport()
    {
        return new UdsTransport();
    }

    @Override
    public String newListenUrl()
    {
        return "uds://" + dir.resolve(NAMES.incrementAndGet() + ".sock");
    }

    @Override
    public String newUnusedUrl()
    {
        return newListenUrl();
    }

    @Override
    public Set<Capability> capabilities()
    {
        return Set.of(Capability.FILESYSTEM, Capability.RECV_MAX_SIZE);
    }
}
