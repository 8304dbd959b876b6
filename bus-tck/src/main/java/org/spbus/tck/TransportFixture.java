package org.spbus.tck;

import java.io.IOException;
import java.net.SocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.util.Optional;
import java.util.Set;

import org.spbus.spi.Transport;

/**
 * Describes one transport to the TCK suites: how to reach it, which URLs to use and what it
 * can do. A transport module writes one fixture (per address family or variant) and passes it
 * to every suite it runs.
 *
 * <p>A minimal fixture, for an in-process transport:
 * <pre>{@code
 * final class InprocFixture implements TransportFixture {
 *     static final InprocFixture INSTANCE = new InprocFixture();
 *     public String name() { return "inproc"; }
 *     public Transport transport() { return new InprocTransport(); }
 *     public String newListenUrl() { return "inproc://tck-" + UUID.randomUUID(); }
 *     public String newUnusedUrl() { return newListenUrl(); }
 *     public Set<Capability> capabilities() { return EnumSet.noneOf(Capability.class); }
 * }
 * }</pre>
 * and for TCP ({@link Capability#WIRE} and {@link Capability#PORT_ZERO}), {@code newListenUrl()}
 * returns {@code tcp://127.0.0.1:0}, {@code newUnusedUrl()} a port that was free a moment ago,
 * and the three raw-socket methods are implemented with {@code ServerSocketChannel}.
 *
 * <p>The BUS suites (every suite but {@link TransportContractTck}) open sockets with
 * {@link org.spbus.Bus#open()}: the transport must also be installed for
 * {@link java.util.ServiceLoader} (module {@code provides} or {@code META-INF/services}), and
 * {@code bus-engine} must be on the test path.
 *
 * <p>Implementations must be thread-safe; one instance may serve every suite.
 */
public interface TransportFixture
{
    /**
     * Returns a short name for reports, for example {@code tcp} or {@code tcp6}.
     *
     * @return the name
     */
    String name();

    /**
     * Returns the transport under test, for the SPI-level suite {@link TransportContractTck}.
     *
     * @return the transport; may be a new instance per call
     */
    Transport transport();

    /**
     * Returns a URL a listener can bind now, different from every URL returned before unless
     * it asks for a wildcard (such as port 0) that binding resolves.
     *
     * @return for example {@code tcp://127.0.0.1:0} or {@code inproc://tck-7f3a...}
     */
    String newListenUrl();

    /**
     * Returns a URL that nobody listens on now but that a listener can bind a moment later:
     * dialing it must be refused until then. For ports, one that was free when asked.
     *
     * @return a concrete (never wildcard) URL
     */
    String newUnusedUrl();

    /**
     * Returns what the transport can do beyond the minimum; tests that need more are skipped.
     *
     * @return the capabilities, possibly empty
     */
    Set<Capability> capabilities();

    /**
     * Returns whether the transport has a capability.
     *
     * @param capability the capability
     * @return {@code true} if {@link #capabilities()} contains it
     */
    default boolean has(final Capability capability)
    {
        return capabilities().contains(capability);
    }

    /**
     * Returns why this fixture cannot run here, if it cannot (for example: no IPv6 loopback on
     * this machine). Every test of every suite is then skipped with that reason.
     *
     * @return the reason, or empty if the fixture can run
     */
    default Optional<String> unavailableReason()
    {
        return Optional.empty();
    }

    /**
     * Opens a plain, blocking server channel that the transport's dialers can reach, bound to a
     * fresh address. Needed for {@link Capability#WIRE}.
     *
     * @return a bound server channel; the test closes it
     * @throws IOException if it cannot be opened
     * @throws UnsupportedOperationException if the transport has no {@link Capability#WIRE}
     */
    default ServerSocketChannel openRawListener() throws IOException
    {
        throw new UnsupportedOperationException(name() + " has no raw wire access (Capability.WIRE)");
    }

    /**
     * Returns the URL that dials a raw address, such as the local address of
     * {@link #openRawListener()}. Needed for {@link Capability#WIRE}.
     *
     * @param address a bound address
     * @return the URL
     * @throws UnsupportedOperationException if the transport has no {@link Capability#WIRE}
     */
    default String urlOf(final SocketAddress address)
    {
        throw new UnsupportedOperationException(name() + " has no raw wire access (Capability.WIRE)");
    }

    /**
     * Returns the address a plain {@code java.nio} channel connects to in order to reach a
     * listener bound at {@code url}. Needed for {@link Capability#WIRE}.
     *
     * @param url a bound listener's URL, as reported by the listener
     * @return the socket address
     * @throws UnsupportedOperationException if the transport has no {@link Capability#WIRE}
     */
    default SocketAddress addressOf(final String url)
    {
        throw new UnsupportedOperationException(name() + " has no raw wire access (Capability.WIRE)");
    }

    /**
     * Returns how the transport frames messages on the wire after the SP header exchange, for
     * the raw peers of {@link HostileWireTck}. Needed for {@link Capability#WIRE}.
     *
     * @return {@link org.spbus.spi.stream.Framing#TCP} unless the transport says otherwise
     */
    default org.spbus.spi.stream.Framing wireFraming()
    {
        return org.spbus.spi.stream.Framing.TCP;
    }

    /**
     * Releases what the fixture made for one test (for example temporary socket files). Called
     * after every test, once the test's sockets are closed. Must be idempotent and leave the
     * fixture usable for the next test.
     */
    default void cleanup()
    {
    }
}
