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
            return new ConnectionRefusedException("connection refused: " + address, e);
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
