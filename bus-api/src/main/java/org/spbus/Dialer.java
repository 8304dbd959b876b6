package org.spbus;

/**
 * An outgoing connection to one URL, kept up for the life of the dialer: a dialer has at
 * most one pipe, and redials with jittered exponential backoff whenever it has none
 * ({@link BusOptions#reconnectMin()}, {@link BusOptions#reconnectMax()}). Returned by
 * {@link BusSocket#dial(String)}.
 *
 * <p>Thread-safe.
 */
public interface Dialer extends AutoCloseable
{
    /**
     * Returns the URL this dialer connects to, as given.
     *
     * @return the URL; never blocks
     */
    String url();

    /**
     * Returns whether the dialer has a pipe attached right now.
     *
     * @return {@code true} while connected
     */
    boolean isConnected();

    /**
     * Returns a snapshot of this dialer's counters. Cheap; never blocks; still available after close.
     *
     * @return the counters
     */
    EndpointStats stats();

    /**
     * Returns whether the dialer has been closed, by {@link #close()} or with its socket.
     *
     * @return {@code true} once closed
     */
    boolean isClosed();

    /**
     * Stops redialing and closes this dialer's pipe. Idempotent; returns when that is done.
     */
    @Override
    void close();
}
