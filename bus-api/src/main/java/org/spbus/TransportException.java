package org.spbus;

/**
 * An I/O failure of a transport that has no more specific exception: a host that cannot be
 * resolved or reached, a permission denied on an IPC path, a failing socket call.
 */
public class TransportException extends BusException
{
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what failed and where
     * @param cause   the underlying failure, or {@code null}
     */
    public TransportException(final String message, final Throwable cause)
    {
        super(message, cause);
    }
}
