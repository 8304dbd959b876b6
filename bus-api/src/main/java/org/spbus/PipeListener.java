package org.spbus;

/**
 * Told when pipes come and go, as NNG's pipe notifications ({@code ADD_PRE}, {@code ADD_POST},
 * {@code REM_POST}; sp-wire-protocol.md section 7.4). Register one with
 * {@link BusSocket#setPipeListener(PipeListener)}.
 *
 * <p><b>Order and threads:</b> all calls for one socket come from one thread owned by the socket
 * (named {@code spbus-socket-N-events}), never while spbus holds a lock, so they arrive in order:
 * for each pipe {@link #adding}, then {@link #added} (unless the pipe was refused), then
 * {@link #removed} (only after {@code added}). While a listener is set, a new pipe carries no
 * message until {@code adding} has returned. A callback may close the pipe, close the socket,
 * or send; it should return quickly, since it holds up the socket's other events and redials.
 * Exceptions thrown by a callback are logged and otherwise ignored.
 */
public interface PipeListener
{
    /**
     * A pipe passed the SP header exchange and is about to be attached. Closing it here
     * ({@link Pipe#close()}) refuses the peer before any of its messages is delivered; the
     * refusal is counted as {@link Counter#PEERS_REJECTED}. The pipe's
     * {@link Pipe#properties()} (for example Unix peer credentials) can be read here.
     *
     * @param pipe the new pipe
     */
    default void adding(final Pipe pipe)
    {
    }

    /**
     * The pipe is attached: messages flow both ways.
     *
     * @param pipe the pipe
     */
    default void added(final Pipe pipe)
    {
    }

    /**
     * The pipe has been detached and closed.
     *
     * @param pipe   the pipe, now closed
     * @param reason why, for example {@code closed by peer} or {@code message over the receive maximum size}
     */
    default void removed(final Pipe pipe, final String reason)
    {
    }
}
