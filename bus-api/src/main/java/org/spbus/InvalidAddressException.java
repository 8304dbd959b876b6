package org.spbus;

/**
 * A URL given to {@link BusSocket#listen(String)} or {@link BusSocket#dial(String)} is
 * malformed or not valid for its transport (for example a TCP URL with a path, or a dial
 * URL without a port). NNG's {@code NNG_EADDRINVAL} (15).
 */
public class InvalidAddressException extends BusException
{
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message the URL and what is wrong with it
     */
    public InvalidAddressException(final String message)
    {
        super(message);
    }
}
