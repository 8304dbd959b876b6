package org.spbus;

import java.nio.ByteBuffer;
import java.time.Duration;

/**
 * A BUS socket (Scalability Protocols {@code bus0}, protocol id 0x0070): many-to-many,
 * symmetric messaging. A message sent goes to every pipe (directly connected peer) the socket
 * has at that moment, best-effort; it never comes back to the sender and is never forwarded
 * further by a receiver (seed BU-1 to BU-7). Open one with {@link Bus#open()}.
 *
 * <p><b>Thread-safety:</b> every method may be called from any thread at any time, including
 * concurrently with {@link #close()} (seed NF-4).
 *
 * <p><b>Delivery:</b> each pipe has a bounded send queue ({@link BusOptions#sendQueueSize()});
 * a pipe whose queue is full drops that message and counts it, while the other pipes still get
 * it. Messages on one pipe arrive in the order sent. Received messages from all pipes share
 * one bounded receive queue ({@link BusOptions#recvQueueSize()}); while it is full, the pipes
 * feeding it pause reading, which slows their peers down (back-pressure) instead of dropping.
 * Every drop is counted in {@link #stats()} by reason.
 *
 * <p><b>Wire compatibility:</b> pipes over {@code tcp://} and {@code ipc://} speak the SP
 * TCP and IPC mappings byte for byte as NNG 1.x, nanomsg and mangos, so those libraries'
 * BUS sockets are peers on the same bus.
 */
public interface BusSocket extends AutoCloseable
{
    /**
     * Broadcasts a message to every pipe. Never blocks and never fails for delivery reasons:
     * with no pipe the message is dropped and counted ({@link Counter#DROPPED_NO_PEERS}).
     * The bytes are copied before the call returns, so the array may be reused at once.
     *
     * @param body the message body; may be empty
     * @throws BusClosedException if the socket is closed
     * @throws NullPointerException if {@code body} is {@code null}
     */
    void send(byte[] body);

    /**
     * Broadcasts {@code length} bytes of {@code body} starting at {@code offset}; otherwise as
     * {@link #send(byte[])}.
     *
     * @param body   the array holding the body
     * @param offset the index of the first byte
     * @param length the number of bytes, 0 or more
     * @throws BusClosedException if the socket is closed
     * @throws IndexOutOfBoundsException if the range is outside the array
     * @throws NullPointerException if {@code body} is {@code null}
     */
    void send(byte[] body, int offset, int length);

    /**
     * Broadcasts the remaining bytes of {@code body} (position to limit); otherwise as
     * {@link #send(byte[])}. The buffer's position is advanced to its limit.
     *
     * @param body the message body
     * @throws BusClosedException if the socket is closed
     * @throws NullPointerException if {@code body} is {@code null}
     */
    void send(ByteBuffer body);

    /**
     * Sends a message. On a cooked socket this is {@link #send(byte[])} of its body (the pipe
     * id is ignored, as NNG does since its issue #441). On a raw socket ({@link BusOptions#raw()})
     * a message with a non-zero {@link Message#pipeId()} goes to every pipe except that one, so
     * that a message received from a pipe and sent back unchanged never returns to its origin
     * (NNG bus0 raw mode, sp-wire-protocol.md section 6.5); a pipe id of 0 sends to all pipes.
     * Never blocks.
     *
     * @param message the message; its body is copied before the call returns
     * @throws BusClosedException if the socket is closed
     * @throws NullPointerException if {@code message} is {@code null}
     */
    void send(Message message);

    /**
     * Registers the listener told when pipes are added and removed, replacing any previous one
     * ({@code null} removes it). See {@link PipeListener} for the order and thread of the calls.
     *
     * @param listener the listener, or {@code null}
     * @throws BusClosedException if the socket is closed
     */
    void setPipeListener(PipeListener listener);

    /**
     * Receives the next message from any pipe, waiting for {@link BusOptions#recvTimeout()}
     * (forever by default).
     *
     * @return the message body
     * @throws BusClosedException if the socket is closed before or while waiting
     * @throws BusTimeoutException if the socket's receive timeout passes with no message
     */
    byte[] recv();

    /**
     * Receives the next message from any pipe, waiting at most {@code timeout}.
     *
     * @param timeout how long to wait; {@link Duration#ZERO} does not wait
     * @return the message body
     * @throws BusClosedException if the socket is closed before or while waiting
     * @throws BusTimeoutException if the timeout passes with no message
     * @throws NullPointerException if {@code timeout} is {@code null}
     */
    byte[] recv(Duration timeout);

    /**
     * Receives the next message from any pipe into the caller's buffer, waiting for
     * {@link BusOptions#recvTimeout()} (forever by default): the counterpart of {@code nng_recv}
     * with a caller's buffer. It is the cheapest way to receive large messages at a high rate:
     * the socket reuses its internal copy of the body for later messages of the same length
     * (1 KiB to 256 KiB), instead of handing out a new array each time.
     *
     * <p>If the message is longer than {@code buffer}, the first {@code buffer.length} bytes are
     * copied and the rest is discarded; the return value tells (as {@code MSG_TRUNC} does).
     * Thread-safe; blocks as {@link #recv()} does.
     *
     * @param buffer where the body is copied, from index 0
     * @return the message's full length in bytes, which may exceed {@code buffer.length}
     * @throws BusClosedException if the socket is closed before or while waiting
     * @throws BusTimeoutException if the socket's receive timeout passes with no message
     * @throws NullPointerException if {@code buffer} is {@code null}
     */
    int recv(byte[] buffer);

    /**
     * As {@link #recv(byte[])}, waiting at most {@code timeout}.
     *
     * @param buffer  where the body is copied, from index 0
     * @param timeout how long to wait; {@link Duration#ZERO} does not wait
     * @return the message's full length in bytes, which may exceed {@code buffer.length}
     * @throws BusClosedException if the socket is closed before or while waiting
     * @throws BusTimeoutException if the timeout passes with no message
     * @throws NullPointerException if {@code buffer} or {@code timeout} is {@code null}
     */
    int recv(byte[] buffer, Duration timeout);

    /**
     * Receives a message if one is queued; never blocks.
     *
     * @return the message body, or {@code null} if none is queued
     * @throws BusClosedException if the socket is closed
     */
    byte[] tryRecv();

    /**
     * As {@link #recv()}, but returns the {@link Message} with the id of the pipe it came from.
     *
     * @return the message
     * @throws BusClosedException if the socket is closed before or while waiting
     * @throws BusTimeoutException if the socket's receive timeout passes with no message
     */
    Message recvMessage();

    /**
     * As {@link #recv(Duration)}, but returns the {@link Message} with its pipe id.
     *
     * @param timeout how long to wait; {@link Duration#ZERO} does not wait
     * @return the message
     * @throws BusClosedException if the socket is closed before or while waiting
     * @throws BusTimeoutException if the timeout passes with no message
     * @throws NullPointerException if {@code timeout} is {@code null}
     */
    Message recvMessage(Duration timeout);

    /**
     * As {@link #tryRecv()}, but returns the {@link Message} with its pipe id.
     *
     * @return the message, or {@code null} if none is queued
     * @throws BusClosedException if the socket is closed
     */
    Message tryRecvMessage();

    /**
     * Binds to {@code url} and accepts peers there until the listener or the socket is closed.
     * Binding is synchronous: errors are thrown here, never later.
     *
     * <p>URL forms: {@code tcp://HOST:PORT} (IPv4 literal, host name, {@code [IPv6]}, {@code *}
     * or empty host for all interfaces; port 0 for an ephemeral port), {@code inproc://NAME},
     * and whatever other installed transports accept ({@code ipc://PATH} with
     * {@code transport-unix}).
     *
     * @param url where to listen
     * @return the listener, already accepting; its {@link Listener#url()} gives the bound address
     * @throws BusClosedException if the socket is closed
     * @throws UnknownSchemeException if no installed transport handles the scheme
     * @throws InvalidAddressException if the URL is malformed for its transport
     * @throws AddressInUseException if another listener holds the address
     * @throws TransportException for any other failure to bind
     * @throws NullPointerException if {@code url} is {@code null}
     */
    Listener listen(String url);

    /**
     * Dials {@code url} with {@link DialMode#BLOCKING}: returns once the pipe is attached to
     * this socket, so that messages this socket sends afterwards reach the peer, or throws. The
     * peer attaches its own end independently (a listening socket may do so a moment later): to
     * send from the listening side, first wait there with {@link #awaitPipes(int, Duration)}.
     *
     * @param url where to connect
     * @return the dialer, connected, which will redial whenever the pipe is lost
     * @throws BusClosedException if the socket is closed
     * @throws UnknownSchemeException if no installed transport handles the scheme
     * @throws InvalidAddressException if the URL is malformed for its transport
     * @throws ConnectionRefusedException if nothing listens there
     * @throws ProtocolException if the peer is not a BUS socket, sends a bad header, or does not
     *                           complete the header exchange within the handshake timeout
     * @throws TransportException for any other failure (unreachable host, permission denied)
     * @throws NullPointerException if {@code url} is {@code null}
     */
    Dialer dial(String url);

    /**
     * Dials {@code url} in the given mode. With {@link DialMode#NON_BLOCKING} only URL errors
     * are thrown; connection failures are retried in the background and counted.
     *
     * @param url  where to connect
     * @param mode blocking or non-blocking first attempt
     * @return the dialer
     * @throws BusClosedException if the socket is closed
     * @throws UnknownSchemeException if no installed transport handles the scheme
     * @throws InvalidAddressException if the URL is malformed for its transport
     * @throws ConnectionRefusedException in blocking mode, if nothing listens there
     * @throws ProtocolException in blocking mode, if the header exchange fails
     * @throws TransportException in blocking mode, for any other failure
     * @throws NullPointerException if an argument is {@code null}
     */
    Dialer dial(String url, DialMode mode);

    /**
     * Returns the pipes attached right now.
     *
     * @return an unmodifiable snapshot, in attach order
     */
    java.util.List<Pipe> pipes();

    /**
     * Waits until the socket has at least {@code count} pipes attached: the way for a listening
     * socket to know its peers are there before it broadcasts (a broadcast reaches only the
     * pipes attached at that moment).
     *
     * @param count   the number of pipes to wait for, 0 or more
     * @param timeout how long to wait at most
     * @throws BusTimeoutException if fewer pipes are attached when the timeout passes
     * @throws BusClosedException if the socket is closed before or while waiting
     * @throws BusException if the thread is interrupted (its interrupt flag is set again)
     * @throws NullPointerException if {@code timeout} is {@code null}
     */
    void awaitPipes(int count, Duration timeout);

    /**
     * Finds an attached pipe by id, for example the one a {@link Message} came from.
     *
     * @param id a pipe id
     * @return the pipe, or empty if no attached pipe has that id
     */
    java.util.Optional<Pipe> pipe(int id);

    /**
     * Returns the options the socket was opened with.
     *
     * @return the options; never blocks
     */
    BusOptions options();

    /**
     * Returns a snapshot of the socket's counters. Cheap enough to call every second; does not
     * block senders or receivers.
     *
     * @return the counters; still available after close
     */
    SocketStats stats();

    /**
     * Returns whether {@link #close()} has been called.
     *
     * @return {@code true} once closed
     */
    boolean isClosed();

    /**
     * Closes the socket: wakes every blocked receive with {@link BusClosedException}, closes
     * every listener, dialer and pipe, and returns only when every thread the socket needed has
     * ended (I/O threads shared with other open sockets keep running for them). Messages still
     * queued for sending are dropped and counted ({@link Counter#DROPPED_PIPE_CLOSED}), as in
     * NNG, which does not linger. Idempotent and thread-safe.
     */
    @Override
    void close();
}
