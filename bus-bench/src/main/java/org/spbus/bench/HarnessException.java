package org.spbus.bench;

/**
 * A harness run could not complete: what {@code bench.c} reports as {@code FATAL ...} before it
 * exits with status 2 (peers that never connect within 20 s, no broadcast that reached every
 * peer, a socket error).
 */
public class HarnessException extends RuntimeException
{
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what failed, printed after {@code FATAL}
     */
    public HarnessException(final String message)
    {
        super(message);
    }

    /**
     * Creates the exception with a cause.
     *
     * @param message what failed, printed after {@code FATAL}
     * @param cause   the underlying failure
     */
    public HarnessException(final String message, final Throwable cause)
    {
        super(message, cause);
    }
}
