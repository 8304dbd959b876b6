package org.spbus;

/**
 * A synchronous dial found nothing listening at the address (or the peer reset the
 * connection before the SP header exchange completed). NNG's {@code NNG_ECONNREFUSED} (6).
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
