package org.spbus;

/**
 * The socket (or the listener or dialer) was closed before or during the call. The seed's
 * {@code ErrClosed}; NNG's {@code NNG_ECLOSED} (7).
 *
 * <p>Thrown by every operation of a closed {@link BusSocket}, including calls that were
 * already blocked in {@link BusSocket#recv()} when {@link BusSocket#close()} ran.
 */
public class BusClosedException extends BusException
{
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what was closed, for a person to read
     */
    public BusClosedException(final String message)
    {
        super(message);
    }
}
