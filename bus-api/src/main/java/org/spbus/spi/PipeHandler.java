package org.spbus.spi;

/**
 * The engine's side of one {@link TransportPipe}. The transport calls it from its own
 * threads; methods return quickly, never block and never throw.
 */
public interface PipeHandler
{
    /**
     * Returns the next message to write, or {@code null} when there is none. After
     * {@code null} the transport stops polling until its next {@link TransportPipe#wake()}.
     * Called by one thread at a time.
     *
     * @return the next message, which the transport must {@link OutboundMessage#release()}
     */
    OutboundMessage pollOutbound();

    /**
     * Reports messages handed whole to the transport's connection (the kernel, or the peer's
     * queue in-process).
     *
     * @param messages how many, 1 or more
     * @param bytes    their body bytes
     */
    void onWritten(int messages, long bytes);

    /**
     * Delivers one message from the peer.
     *
     * @param body the message body; the engine owns it from now on
     */
    void onMessage(byte[] body);

    /**
     * Reports that the pipe has ended. Called exactly once.
     *
     * @param reason why
     * @param cause  the error, or {@code null}
     */
    void onClosed(CloseReason reason, Throwable cause);
}
