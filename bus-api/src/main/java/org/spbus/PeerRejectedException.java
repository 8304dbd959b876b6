package org.spbus;

/**
 * A transport's access control refused a peer before any of its messages was delivered, for
 * example a Unix-socket peer whose uid is not in the allowed set. Reported to listeners'
 * counters ({@link Counter#PEERS_REJECTED}) and to a blocking dial.
 */
public class PeerRejectedException extends BusException
{
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message who was refused and why
     */
    public PeerRejectedException(final String message)
    {
        super(message);
    }
}
