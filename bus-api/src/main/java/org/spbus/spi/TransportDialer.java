package org.spbus.spi;

/**
 * Makes outgoing connections to one address, one attempt at a time; the engine decides when
 * to retry. Thread-safe.
 */
public interface TransportDialer
{
    /**
     * Returns the URL this dialer connects to, as given.
     *
     * @return the URL
     */
    String url();

    /**
     * Starts one connection attempt: connect, then the SP header exchange, both within the
     * endpoint's handshake timeout. Does not block; the outcome goes to {@code callback}.
     *
     * @param callback told of success or failure, exactly once
     */
    void connect(DialCallback callback);

    /**
     * Cancels a pending attempt (its callback gets {@link org.spbus.BusClosedException}), closes
     * every pipe this dialer produced (each reports {@link PipeHandler#onClosed} first), and
     * releases resources. Idempotent; returns when done.
     */
    void close();
}
