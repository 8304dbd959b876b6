package org.spbus.spi;

/**
 * The engine's side of a {@link TransportListener}: told of each accepted connection and of
 * each that completed or failed its header exchange. Called on transport threads; every
 * method must return quickly and must not throw.
 */
public interface ListenerHandler
{
    /**
     * A connection was accepted; its header exchange starts now. For counting.
     */
    void accepted();

    /**
     * A connection passed the header exchange and is now a pipe. The handler attaches it and
     * calls {@link TransportPipe#start(PipeHandler)}, or closes it.
     *
     * @param pipe the new pipe, not yet started
     */
    void pipeReady(TransportPipe pipe);

    /**
     * A connection failed its header exchange (bad header, wrong protocol, timeout, early
     * close) and was closed. The listener goes on accepting.
     *
     * @param cause why, usually a {@link org.spbus.ProtocolException}
     */
    void handshakeFailed(Exception cause);
}
