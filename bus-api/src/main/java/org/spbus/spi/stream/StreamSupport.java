package org.spbus.spi.stream;

import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.channels.UnresolvedAddressException;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

import org.spbus.BusException;
import org.spbus.ConnectionRefusedException;
import org.spbus.TransportException;
import org.spbus.spi.EndpointConfig;

/**
 * What a stream transport tells the shared stream machinery about itself: its framing, how
 * to configure a connected channel (socket options), how to print addresses, and which
 * per-pipe properties it can report. Immutable and thread-safe.
 */
public final class StreamSupport
{
    private final Framing framing;
    private final ChannelConfigurer configurer;
    private final Function<SocketAddress, String> formatter;
    private final Function<SocketChannel, Map<String, Object>> properties;
    private final Admission admission;
    private final Function<SocketAddress, String> localFormatter;
    private final boolean zeroReadIsEof;

    /**
     * Describes a stream transport.
     *
     * @param framing    the frame format after the header exchange
     * @param configurer applied to every connected channel before the header exchange
     * @param formatter  turns a socket address into a URL for {@code localAddress()} and {@code remoteAddress()}
     * @param properties per-pipe facts such as peer credentials; may return an empty map
     * @throws NullPointerException if an argument is {@code null}
     */
    public StreamSupport(final Framing framing, final ChannelConfigurer configurer,
        final Function<SocketAddress, String> formatter, final Function<SocketChannel, Map<String, Object>> properties)
    {
        this.framing = Objects.requireNonNull(framing, "framing");
        this.configurer = Objects.requireNonNull(configurer, "configurer");
        this.formatter = Objects.requireNonNull(formatter, "formatter");
        this.properties = Objects.requireNonNull(properties, "properties");
        this.admission = (ch, cfg) -> null;
        this.localFormatter = formatter;
        this.zeroReadIsEof = false;
    }

    private StreamSupport(final StreamSupport base, final Admission admission,
        final Function<SocketAddress, String> localFormatter, final boolean zeroReadIsEof)
    {
        this.zeroReadIsEof = zeroReadIsEof;
        this.framing = base.framing;
        this.configurer = base.configurer;
        this.formatter = base.formatter;
        this.properties = base.properties;
        this.admission = admission;
        this.localFormatter = localFormatter;
    }

    /**
     * Returns a copy that prints pipes' local addresses with {@code localFormatter}, for
     * example a listener's URL where the bound address would print differently.
     *
     * @param localFormatter turns a local socket address into a URL
     * @return a new support object
     * @throws NullPointerException if {@code localFormatter} is {@code null}
     */
    public StreamSupport withFormatter(final Function<SocketAddress, String> localFormatter)
    {
        return new StreamSupport(this, admission, Objects.requireNonNull(localFormatter, "localFormatter"),
            zeroReadIsEof);
    }

    /**
     * Returns a copy that runs {@code admission} on every connection, right after it is
     * established and before any byte is exchanged; a connection it refuses is closed at once.
     *
     * @param admission the access check
     * @return a new support object
     * @throws NullPointerException if {@code admission} is {@code null}
     */
    public StreamSupport withAdmission(final Admission admission)
    {
        return new StreamSupport(this, Objects.requireNonNull(admission, "admission"), localFormatter, zeroReadIsEof);
    }

    Admission admission()
    {
        return admission;
    }

    /**
     * Returns a copy for channels whose non-blocking {@code read} reports end of stream as 0
     * bytes instead of -1 (junixsocket 2.10 does): a read that returns nothing right after the
     * selector reported the channel readable is then taken as the peer having closed.
     *
     * @return a new support object
     */
    public StreamSupport withZeroReadAsEndOfStream()
    {
        return new StreamSupport(this, admission, localFormatter, true);
    }

    boolean zeroReadIsEof()
    {
        return zeroReadIsEof;
    }

    /**
     * Returns the framing.
     *
     * @return TCP or IPC framing
     */
    public Framing framing()
    {
        return framing;
    }

    /**
     * Returns the channel configurer.
     *
     * @return the configurer
     */
    public ChannelConfigurer configurer()
    {
        return configurer;
    }

    String format(final SocketAddress address)
    {
        return address == null ? "" : formatter.apply(address);
    }

    String formatLocal(final SocketAddress address)
    {
        return address == null ? "" : localFormatter.apply(address);
    }

    Map<String, Object> properties(final SocketChannel channel)
    {
        return properties.apply(channel);
    }

    /**
     * Maps a failure to connect into spbus's exceptions: a refused connection (or a missing IPC
     * socket file, which NNG also reports as refused) becomes {@link ConnectionRefusedException},
     * anything else {@link TransportException}.
     *
     * @param address what was dialed, for the message
     * @param e       the failure
     * @return the exception to report
     */
    BusException mapConnectError(final String address, final Throwable e)
    {
        if (e instanceof BusException)
        {
            return (BusException)e;
        }
        final String msg = String.valueOf(e.getMessage());
        if (e instanceof ConnectException || msg.contains("No such file") || msg.contains("Connection refused"))
        {
            return new ConnectionRefusedException("Connection refused: " + address, e);
        }
        if (e instanceof UnresolvedAddressException)
        {
            return new TransportException("cannot resolve " + address, e);
        }
        if (e instanceof NoRouteToHostException)
        {
            return new TransportException("no route to " + address, e);
        }
        return new TransportException("cannot connect to " + address + ": " + msg, e);
    }

    /**
     * Decides whether a newly connected peer may use the bus, for example by its credentials.
     */
    @FunctionalInterface
    public interface Admission
    {
        /**
         * Checks a connected channel.
         *
         * @param channel the channel, connected, before the header exchange
         * @param config  the endpoint's settings
         * @return {@code null} to admit, or the reason to refuse (usually a
         *         {@link org.spbus.PeerRejectedException}), which the listener counts
         * @throws IOException if the check itself fails; the connection is then refused
         */
        BusException check(SocketChannel channel, EndpointConfig config) throws IOException;
    }

    /**
     * Applies socket options to a connected channel.
     */
    @FunctionalInterface
    public interface ChannelConfigurer
    {
        /**
         * Configures {@code channel}, already non-blocking and connected, before the header exchange.
         *
         * @param channel the channel
         * @param config  the endpoint's settings
         * @throws IOException if an option cannot be set; the connection is then closed
         */
        void configure(SocketChannel channel, EndpointConfig config) throws IOException;
    }
}
