package org.spbus;

/**
 * A listener could not bind because the address is already in use by a live listener.
 * NNG's {@code NNG_EADDRINUSE} (10).
 */
public class AddressInUseException extends BusException
{
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message the address that is in use
     * @param cause   the underlying failure, or {@code null}
     */
    public AddressInUseException(final String message, final Throwable cause)
    {
        super(message, cause);
    }
}
