package org.spbus;

/**
 * A peer broke the Scalability Protocols wire format: a bad SP connection header, a peer
 * of another protocol (for example a PAIR or PUB socket, not BUS), an oversized or
 * malformed frame, or no header within the handshake timeout. NNG's {@code NNG_EPROTO} (13).
 *
 * <p>A synchronous {@link BusSocket#dial(String)} throws it when the first connection's
 * header exchange fails; on established pipes the same failures only close that pipe and
 * are counted in the socket's statistics.
 */
public class ProtocolException extends BusException
{
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what the peer did wrong
     */
    public ProtocolException(final String message)
    {
        super(message);
    }
}
