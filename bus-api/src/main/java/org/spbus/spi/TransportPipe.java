package org.spbus.spi;

import java.util.Map;

/**
 * One connected, handshaken link to one peer socket, moving whole messages both ways.
 * Produced by a transport; driven by the engine through a {@link PipeHandler}.
 *
 * <p>Contract (checked by the {@code bus-tck} suites):
 * <ul>
 *   <li>After {@link #start(PipeHandler)}, every complete message from the peer goes to
 *       {@link PipeHandler#onMessage(byte[])}, in order, from one thread at a time; when that
 *       returns {@code false} the transport pauses until {@link #resumeReading()}.</li>
 *   <li>After {@link #wake()}, the transport calls {@link PipeHandler#pollOutbound()} until it
 *       returns {@code null}, writes each message whole and in order, releases each
 *       ({@link OutboundMessage#release()}) when done with it, and reports what it wrote with
 *       {@link PipeHandler#onWritten(int, long)}. It may stop polling while the peer is slow,
 *       and must resume when it can write again.</li>
 *   <li>{@link PipeHandler#onClosed(CloseReason, Throwable)} is called exactly once, after the
 *       last {@code onMessage}, however the pipe ends; afterwards no handler method is called.</li>
 * </ul>
 *
 * <p>All methods are thread-safe and never block for I/O.
 */
public interface TransportPipe
{
    /**
     * Attaches the engine's handler and starts delivering messages. Called once.
     *
     * @param handler the engine's side of this pipe
     * @throws IllegalStateException if called twice
     */
    void start(PipeHandler handler);

    /**
     * Tells the transport that {@link PipeHandler#pollOutbound()} has messages. The engine
     * calls it only after {@code pollOutbound} returned {@code null} (or before the first poll),
     * so a transport sees at most one wake per idle period. Never blocks; may be a no-op after close.
     */
    void wake();

    /**
     * Writes what {@link PipeHandler#pollOutbound()} holds on the calling thread, if this
     * transport can do so now without blocking. The engine calls it from a send that found this
     * pipe's send queue full, so that the sending thread, instead of dropping, helps the writer
     * that is behind (as nanomsg writes on the caller's thread); the send then offers its message
     * once more. A transport that cannot write from a foreign thread, or whose writer is busy at
     * this moment, returns {@code false} at once; that is always correct, it only means the
     * message is dropped (and counted) as before.
     *
     * <p>When it returns {@code true} the transport followed the {@link #wake()} rules for what
     * it polled: whole messages, in order with everything else written on this pipe, each
     * released, reported with {@link PipeHandler#onWritten(int, long)}; what the peer could not
     * take yet stays with the transport, which finishes writing it on its own.
     *
     * <p>Thread-safe; may be called by several threads at once (at most one of them writes).
     * Never blocks for I/O: it does at most a few non-blocking writes. Never throws; an I/O
     * error closes the pipe as an error on the transport's own thread would.
     *
     * @return {@code true} if at least one message was taken from the send queue, so that it
     *         may have room now; {@code false} if nothing was done
     */
    default boolean writeNow()
    {
        return false;
    }

    /**
     * Resumes delivery after {@link PipeHandler#onMessage(byte[])} returned {@code false}:
     * first what the transport had already read, then new reads. The engine calls it exactly
     * once per pause, from any thread, after that {@code onMessage} call has returned. Never
     * blocks; a no-op after close.
     */
    void resumeReading();

    /**
     * Closes the pipe; queued and partly written messages are discarded. Idempotent; does not
     * wait, the close completes with {@link PipeHandler#onClosed} (reason {@link CloseReason#LOCAL}).
     */
    void close();

    /**
     * Returns the local address, as a URL where that makes sense.
     *
     * @return for example {@code tcp://127.0.0.1:5555}
     */
    String localAddress();

    /**
     * Returns the peer's address, as a URL where that makes sense.
     *
     * @return for example {@code tcp://127.0.0.1:40312}
     */
    String remoteAddress();

    /**
     * Returns transport-specific facts about the pipe, such as peer credentials
     * ({@code peer.uid}, {@code peer.gid}, {@code peer.pid}) on Unix domain sockets.
     *
     * @return an unmodifiable map, possibly empty
     */
    Map<String, Object> properties();
}
