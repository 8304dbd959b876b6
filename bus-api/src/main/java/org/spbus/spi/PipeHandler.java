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
     * Delivers one message from the peer. The engine always takes the message. It returns
     * {@code false} when its receive queue is full: the transport must then deliver nothing
     * more (keeping what it has already read, and reading no more from the peer, which applies
     * back-pressure to it) until the engine calls {@link TransportPipe#resumeReading()}.
     *
     * @param body the message body; the engine owns it from now on
     * @return {@code true} to go on delivering; {@code false} to pause until {@code resumeReading}
     */
    boolean onMessage(byte[] body);

    /**
     * Returns an array of exactly {@code length} bytes to hold the body of an incoming message
     * that the transport will fill and then pass to {@link #onMessage(byte[])}. The engine may
     * return an array recycled from a message the application has already consumed (see
     * {@code BusSocket.recv(byte[])}), which spares the allocation and zeroing of large bodies.
     * A transport that does not call it allocates its own arrays, which is always correct.
     *
     * <p>Thread-safe; never blocks. The default allocates a new array.
     *
     * @param length the body's length in bytes, 0 or more (at most the receive maximum size)
     * @return an array whose {@code length} is exactly {@code length}; its contents are undefined
     */
    default byte[] allocateBody(final int length)
    {
        return new byte[length];
    }

    /**
     * Reports that the pipe has ended. Called exactly once.
     *
     * @param reason why
     * @param cause  the error, or {@code null}
     */
    void onClosed(CloseReason reason, Throwable cause);
}
