package org.spbus.spi;

import java.util.Set;

/**
 * A transport: turns URLs of its schemes into listeners and dialers that produce connected,
 * handshaken {@link TransportPipe}s. Found by {@link java.util.ServiceLoader}
 * ({@code provides org.spbus.spi.Transport with ...} in the transport's module-info, or
 * {@code META-INF/services/org.spbus.spi.Transport} on the class path).
 *
 * <p>A transport knows nothing of BUS: the protocol ids to announce and accept come in the
 * {@link EndpointConfig}. Stream transports (TCP, IPC, a user's TLS) reuse the SP header
 * exchange and framing in {@link org.spbus.spi.stream} and supply only a connected
 * {@link java.nio.channels.SocketChannel}. Check a transport with the {@code bus-tck} suites.
 *
 * <p>Implementations must be thread-safe; one instance serves every socket in the JVM.
 */
public interface Transport
{
    /**
     * Returns the URL schemes this transport handles, lower case, without {@code ://}.
     *
     * @return for example {@code [tcp, tcp4, tcp6]}; never empty
     */
    Set<String> schemes();

    /**
     * Binds {@code url} and starts accepting. Synchronous: returns once bound, or throws.
     *
     * @param url     a URL with one of {@link #schemes()}
     * @param config  protocol ids, limits and timeouts for the pipes it makes
     * @param handler receives each pipe whose header exchange succeeded, on a transport thread
     * @return the bound listener
     * @throws org.spbus.InvalidAddressException if the URL is malformed for this transport
     * @throws org.spbus.AddressInUseException if the address is taken
     * @throws org.spbus.TransportException for any other failure to bind
     */
    TransportListener listen(String url, EndpointConfig config, ListenerHandler handler);

    /**
     * Creates a dialer for {@code url}. Validates the URL but does not connect; the engine
     * calls {@link TransportDialer#connect(DialCallback)} for each attempt.
     *
     * @param url    a URL with one of {@link #schemes()}
     * @param config protocol ids, limits and timeouts for the pipes it makes
     * @return the dialer
     * @throws org.spbus.InvalidAddressException if the URL is malformed for this transport
     */
    TransportDialer dialer(String url, EndpointConfig config);
}
