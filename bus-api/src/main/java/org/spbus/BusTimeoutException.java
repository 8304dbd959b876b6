package org.spbus;

/**
 * A receive waited its whole timeout and no message arrived. The seed's {@code ErrTimeout};
 * NNG's {@code NNG_ETIMEDOUT} (5).
 */
public class BusTimeoutException extends BusException
{
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what timed out and after how long, for a person to read
     */
    public BusTimeoutException(final String message)
    {
        super(message);
    }
}
