package org.spbus;

/**
 * A bound address that accepts connections from peers; each accepted connection becomes a
 * pipe of the socket once the SP header exchange succeeds. Returned by
 * {@link BusSocket#listen(String)}.
 *
 * <p>Thread-safe. A connection that fails its handshake (silence, garbage, wrong protocol)
 * is closed and counted alone; the listener keeps accepting.
 */
public interface Listener extends AutoCloseable
{
    /**
     * Returns the URL the listener is bound to, with any wildcard port resolved:
     * {@code tcp://127.0.0.1:0} is reported as {@code tcp://127.0.0.1:41234}.
     *
     * @return the bound URL; never blocks
     */
    String url();

    /**
     * Returns a snapshot of this listener's counters. Cheap; never blocks; still available after close.
     *
     * @return the counters
     */
    EndpointStats stats();

    /**
     * Returns whether the listener has been closed, by {@link #close()} or with its socket.
     *
     * @return {@code true} once closed
     */
    boolean isClosed();

    /**
     * Stops accepting, closes the pipes this listener accepted, and releases the address
     * (an IPC listener removes its socket file). Idempotent; returns when that is done.
     */
    @Override
    void close();
}
