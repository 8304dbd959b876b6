package org.spbus.spi;

/**
 * A bound transport endpoint that accepts connections. Thread-safe.
 */
public interface TransportListener
{
    /**
     * Returns the bound URL, with wildcards such as port 0 resolved.
     *
     * @return the URL
     */
    String url();

    /**
     * Stops accepting, closes the connections still in their header exchange and every pipe
     * this listener produced (each reports {@link PipeHandler#onClosed} first), and releases
     * the address. Idempotent. Returns when done, releasing any thread the transport no longer
     * needs; must not be called from a callback this listener is running.
     */
    void close();
}
