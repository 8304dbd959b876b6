package org.spbus.spi.stream;

/** The listener or dialer attempt a {@link StreamPipe} belongs to. Called on the pipe's loop thread. */
interface PipeOwner
{
    /** The header exchange succeeded. */
    void handshakeDone(StreamPipe pipe);

    /** The connection failed before or during the header exchange and is closed. */
    void handshakeFailed(StreamPipe pipe, org.spbus.BusException cause);

    /** The pipe is closed (after either of the above). */
    void removed(StreamPipe pipe);
}
