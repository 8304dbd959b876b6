package org.spbus.engine;

import java.util.HashMap;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.Set;

import org.spbus.BusOptions;
import org.spbus.BusSocket;
import org.spbus.InvalidAddressException;
import org.spbus.UnknownSchemeException;
import org.spbus.spi.SocketProvider;
import org.spbus.spi.Transport;

/**
 * The engine's {@link SocketProvider}: opens {@link BusSocketImpl}s and finds transports with
 * {@link ServiceLoader}, once, on the module path and the class path. Thread-safe.
 */
public final class EngineSocketProvider implements SocketProvider
{
    private static volatile Map<String, Transport> transports;

    /** Creates the provider (used by {@link ServiceLoader}). */
    public EngineSocketProvider()
    {
    }

    @Override
    public BusSocket open(final BusOptions options)
    {
        return new BusSocketImpl(options);
    }

    @Override
    public Set<String> installedSchemes()
    {
        return Set.copyOf(transports().keySet());
    }

    static Map<String, Transport> transports()
    {
        Map<String, Transport> t = transports;
        if (t == null)
        {
            synchronized (EngineSocketProvider.class)
            {
                t = transports;
                if (t == null)
                {
                    t = load();
                    transports = t;
                }
            }
        }
        return t;
    }

    private static Map<String, Transport> load()
    {
        final Map<String, Transport> map = new HashMap<>();
        final ClassLoader own = EngineSocketProvider.class.getClassLoader();
        addAll(map, ServiceLoader.load(Transport.class, own));
        final ClassLoader ctx = Thread.currentThread().getContextClassLoader();
        if (ctx != null && ctx != own)
        {
            addAll(map, ServiceLoader.load(Transport.class, ctx));
        }
        return Map.copyOf(map);
    }

    private static void addAll(final Map<String, Transport> map, final ServiceLoader<Transport> loader)
    {
        for (final Transport t : loader)
        {
            for (final String s : t.schemes())
            {
                map.putIfAbsent(s.toLowerCase(java.util.Locale.ROOT), t);
            }
        }
    }

    /**
     * Finds the transport for a URL.
     *
     * @throws InvalidAddressException if the URL has no scheme
     * @throws UnknownSchemeException if no transport handles it
     */
    static Transport transportFor(final String url)
    {
        final int i = url.indexOf("://");
        if (i <= 0)
        {
            throw new InvalidAddressException("not a URL (expected scheme://address): '" + url + "'");
        }
        final String scheme = url.substring(0, i).toLowerCase(java.util.Locale.ROOT);
        final Transport t = transports().get(scheme);
        if (t == null)
        {
            throw new UnknownSchemeException(url, transports().keySet());
        }
        return t;
    }
}
