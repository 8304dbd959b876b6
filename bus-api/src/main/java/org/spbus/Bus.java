package org.spbus;

import java.util.Iterator;
import java.util.ServiceLoader;
import java.util.Set;

import org.spbus.spi.SocketProvider;

/**
 * The entry point: opens BUS sockets.
 *
 * <pre>{@code
 * try (BusSocket a = Bus.open(); BusSocket b = Bus.open()) {
 *     Listener l = a.listen("tcp://127.0.0.1:0");
 *     b.dial(l.url());
 *     a.send("hello".getBytes(StandardCharsets.UTF_8));
 *     byte[] got = b.recv(Duration.ofSeconds(1));
 * }
 * }</pre>
 *
 * <p>The socket implementation ({@code org.spbus.engine}) is found with {@link ServiceLoader}
 * as a {@link SocketProvider}, on the module path or the class path; so are the transports.
 * Thread-safe.
 */
public final class Bus
{
    private Bus()
    {
    }

    /**
     * Opens a cooked BUS socket with {@link BusOptions#defaults()}.
     *
     * @return a new open socket
     * @throws IllegalStateException if no socket implementation ({@code bus-engine}) is installed
     */
    public static BusSocket open()
    {
        return open(BusOptions.defaults());
    }

    /**
     * Opens a cooked BUS socket with the given options.
     *
     * @param options the socket's options
     * @return a new open socket
     * @throws IllegalStateException if no socket implementation ({@code bus-engine}) is installed
     * @throws NullPointerException if {@code options} is {@code null}
     */
    public static BusSocket open(final BusOptions options)
    {
        return provider().open(java.util.Objects.requireNonNull(options, "options"));
    }

    /**
     * Returns the URL schemes of the transports installed, for example {@code [inproc, tcp]}.
     *
     * @return an unmodifiable set of schemes
     * @throws IllegalStateException if no socket implementation is installed
     */
    public static Set<String> installedSchemes()
    {
        return provider().installedSchemes();
    }

    private static SocketProvider provider()
    {
        return Holder.PROVIDER;
    }

    private static final class Holder
    {
        static final SocketProvider PROVIDER = load();

        private static SocketProvider load()
        {
            final Iterator<SocketProvider> it = ServiceLoader.load(SocketProvider.class, Bus.class.getClassLoader()).iterator();
            if (it.hasNext())
            {
                return it.next();
            }
            final Iterator<SocketProvider> ctx = ServiceLoader.load(SocketProvider.class).iterator();
            if (ctx.hasNext())
            {
                return ctx.next();
            }
            throw new IllegalStateException("no spbus socket implementation found: put bus-engine (module org.spbus.engine)"
                + " on the module path or class path");
        }
    }
}
