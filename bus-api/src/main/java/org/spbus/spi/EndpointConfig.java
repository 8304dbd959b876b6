package org.spbus.spi;

import java.util.Map;
import java.util.Objects;

/**
 * What a transport needs to know to make pipes for an endpoint: the SP protocol id to
 * announce, the peer protocol id to accept, the receive limit and timeouts. Immutable.
 *
 * @param protocolId       the id this side announces in the SP header (BUS: 0x0070), 0 to 0xFFFF
 * @param peerProtocolId   the only id accepted from the peer (BUS: 0x0070), 0 to 0xFFFF
 * @param recvMaxSize      the largest message accepted, in bytes; 0 = no limit other than
 *                         {@link org.spbus.BusOptions#MAX_MESSAGE_SIZE}. A longer length closes the pipe.
 * @param handshakeTimeoutNanos the deadline for connect plus header exchange, in nanoseconds, &gt; 0
 * @param tcpNoDelay       whether TCP-like transports set {@code TCP_NODELAY}
 * @param properties       transport-specific settings (for example {@code ipc.permissions}); unmodifiable
 */
public record EndpointConfig(int protocolId, int peerProtocolId, long recvMaxSize, long handshakeTimeoutNanos,
    boolean tcpNoDelay, Map<String, String> properties)
{
    /**
     * Validates and copies the arguments.
     *
     * @param protocolId            the id this side announces (BUS: 0x0070)
     * @param peerProtocolId        the only id accepted from the peer
     * @param recvMaxSize           the largest message accepted, in bytes; 0 = no limit
     * @param handshakeTimeoutNanos the connect plus header exchange deadline, in nanoseconds
     * @param tcpNoDelay            whether TCP-like transports set {@code TCP_NODELAY}
     * @param properties            transport-specific settings; copied
     *
     * @throws IllegalArgumentException if a protocol id is outside 0 to 0xFFFF, the size is negative
     *                                  or the timeout not positive
     */
    public EndpointConfig
    {
        if ((protocolId & ~0xFFFF) != 0 || (peerProtocolId & ~0xFFFF) != 0)
        {
            throw new IllegalArgumentException("protocol ids are 16-bit: " + protocolId + ", " + peerProtocolId);
        }
        if (recvMaxSize < 0)
        {
            throw new IllegalArgumentException("recvMaxSize must be >= 0: " + recvMaxSize);
        }
        if (handshakeTimeoutNanos <= 0)
        {
            throw new IllegalArgumentException("handshakeTimeoutNanos must be > 0: " + handshakeTimeoutNanos);
        }
        properties = Map.copyOf(Objects.requireNonNull(properties, "properties"));
    }

    /**
     * Returns the effective limit on a message length: {@link #recvMaxSize()}, or the largest
     * Java array when that is 0.
     *
     * @return bytes, at most {@link org.spbus.BusOptions#MAX_MESSAGE_SIZE}
     */
    public long effectiveRecvMaxSize()
    {
        return recvMaxSize == 0 ? org.spbus.BusOptions.MAX_MESSAGE_SIZE
            : Math.min(recvMaxSize, org.spbus.BusOptions.MAX_MESSAGE_SIZE);
    }
}
