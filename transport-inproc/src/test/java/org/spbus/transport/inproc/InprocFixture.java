package org.spbus.transport.inproc;

import java.util.EnumSet;
import java.util.Set;
import java.util.UUID;

import org.spbus.spi.Transport;
import org.spbus.tck.Capability;
import org.spbus.tck.TransportFixture;

/**
 * The TCK fixture of {@code inproc://}: a fresh name per listen, no wire, no ports, no files.
 * The receive maximum size does not apply in-process (as in NNG), so
 * {@link Capability#RECV_MAX_SIZE} is not declared; connects complete synchronously, so there
 * is no pending attempt to cancel.
 */
final class InprocFixture implements TransportFixture
{
    static final InprocFixture INSTANCE = new InprocFixture();

    private InprocFixture()
    {
    }

    @Override
    public String name()
    {
        return "inproc";
    }

    @Override
    public Transport transport()
    {
        return new InprocTransport();
    }

    @Override
    public String newListenUrl()
    {
        return "inproc://tck-" + UUID.randomUUID();
    }

    @Override
    public String newUnusedUrl()
    {
        return newListenUrl();
    }

    @Override
    public Set<Capability> capabilities()
    {
        return EnumSet.noneOf(Capability.class);
    }
}
