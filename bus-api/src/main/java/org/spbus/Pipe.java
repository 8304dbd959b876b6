package org.spbus;

import java.util.Map;

/**
 * One connection of a socket to one peer: the application's view of a pipe. Messages
 * received on it carry its {@link #id()} ({@link Message#pipeId()}).
 *
 * <p>Thread-safe. A {@code Pipe} stays valid after it closes; it then reports
 * {@link #isOpen()} {@code false}.
 */
public interface Pipe
{
    /**
     * Returns the pipe's id: 31-bit, non-zero, unique in the JVM while the pipe lives.
     *
     * @return the id
     */
    int id();

    /**
     * Returns this end's address as a URL, for example {@code tcp://127.0.0.1:5555}.
     *
     * @return the local address
     */
    String localAddress();

    /**
     * Returns the peer's address as a URL, where the transport knows it.
     *
     * @return the remote address, possibly just a scheme such as {@code ipc://}
     */
    String remoteAddress();

    /**
     * Returns transport-specific facts: on Unix domain sockets the peer's credentials as
     * {@code peer.uid}, {@code peer.gid} and {@code peer.pid} ({@code Long}, from
     * {@code SO_PEERCRED}).
     *
     * @return an unmodifiable map, possibly empty
     */
    Map<String, Object> properties();

    /**
     * Returns a snapshot of this pipe's counters. Cheap; does not block senders or receivers;
     * still available after the pipe closed.
     *
     * @return the counters
     */
    PipeStats stats();

    /**
     * Returns whether the pipe is still attached to its socket.
     *
     * @return {@code true} until the pipe closes
     */
    boolean isOpen();

    /**
     * Closes this pipe only; messages queued for it are dropped and counted. A dialer's pipe is
     * redialed as after any loss. Idempotent; does not wait.
     */
    void close();
}
