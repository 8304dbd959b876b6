package org.spbus.spi;

import java.util.Set;

import org.spbus.BusOptions;
import org.spbus.BusSocket;

/**
 * Opens sockets: the service the engine module ({@code org.spbus.engine}) provides and
 * {@link org.spbus.Bus} loads with {@link java.util.ServiceLoader}. Implementations must be
 * thread-safe and have a public no-argument constructor (or a {@code provider()} method).
 */
public interface SocketProvider
{
    /**
     * Opens a BUS socket.
     *
     * @param options the socket's options, never {@code null}
     * @return a new open socket
     */
    BusSocket open(BusOptions options);

    /**
     * Returns the URL schemes of the transports this provider found.
     *
     * @return an unmodifiable set of schemes
     */
    Set<String> installedSchemes();
}
