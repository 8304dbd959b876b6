package org.spbus;

/**
 * Root of every exception spbus throws. Unchecked, like the errors of JeroMQ: a messaging
 * application handles the few it expects ({@link BusClosedException},
 * {@link BusTimeoutException}) and lets the others propagate.
 *
 * <p>Instances are immutable and safe to share between threads.
 */
public class BusException extends RuntimeException
{
    private static final long serialVersionUID = 1L;

    /**
     * Creates an exception with a message.
     *
     * @param message what went wrong, for a person to read
     */
    public BusException(final String message)
    {
        super(message);
    }

    /**
     * Creates an exception with a message and a cause.
     *
     * @param message what went wrong, for a person to read
     * @param cause   the underlying failure, or {@code null}
     */
    public BusException(final String message, final Throwable cause)
    {
        super(message, cause);
    }
}
