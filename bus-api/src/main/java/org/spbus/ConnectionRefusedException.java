package org.spbus;

/**
 * A synchronous dial found nothing listening at the address (for an IPC path: no socket
 * file). NNG's {@code NNG_ECONNREFUSED} (6). A peer that accepts and then closes during the
 * SP header exchange is a {@link ProtocolException} instead.
 */
public class ConnectionRefusedException extends BusException
{
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message the address that refused
     * @param cause   the underlying failure, or {@code null}
     */
    public ConnectionRefusedException(final String message, final Throwable cause)
    {
        super(message, cause);
    }
}
