package org.spbus.tck.selftest;

import java.util.EnumSet;
import java.util.Set;
import java.util.UUID;

import org.spbus.spi.Transport;
import org.spbus.tck.Capability;
import org.spbus.tck.TransportFixture;

/** A fixture for one fault of {@link StubTransport}, chosen by URL scheme. */
final class StubFixture implements TransportFixture
{
    private final String scheme;

    StubFixture(final String scheme)
    {
        this.scheme = scheme;
    }

    @Override
    public String name()
    {
        return scheme;
    }

    @Override
    public Transport transport()
    {
        return new StubTransport();
    }

    @Override
    public String newListenUrl()
    {
        return scheme + "://" + UUID.randomUUID();
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
