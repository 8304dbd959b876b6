package org.spbus;

/**
 * The counters a {@link BusSocket} keeps, each with a stable name and a unit. Read them
 * through {@link BusSocket#stats()}.
 *
 * <p>The send side obeys, at quiescence: {@code PIPE_MESSAGES_QUEUED = MESSAGES_WRITTEN +
 * DROPPED_PIPE_CLOSED + PIPE_MESSAGES_PENDING}, and each {@link #MESSAGES_SENT} call
 * adds, per pipe attached at that moment, one to either {@link #PIPE_MESSAGES_QUEUED} or
 * {@link #DROPPED_SEND_QUEUE_FULL}; a send with no pipe adds one to {@link #DROPPED_NO_PEERS}.
 */
public enum Counter
{
    /** Calls to {@code send} that were accepted (the socket was open). Messages. */
    MESSAGES_SENT("messages_sent", "messages"),
    /** Body bytes of the accepted {@code send} calls. Bytes. */
    BYTES_SENT("bytes_sent", "bytes"),
    /** Copies of sent messages placed on a pipe's send queue. Messages. */
    PIPE_MESSAGES_QUEUED("pipe_messages_queued", "messages"),
    /** Copies of sent messages handed whole to a pipe's transport (written). Messages. */
    MESSAGES_WRITTEN("messages_written", "messages"),
    /** Body bytes of {@link #MESSAGES_WRITTEN}. Bytes. */
    BYTES_WRITTEN("bytes_written", "bytes"),
    /** Sends made while the socket had no pipe (the message went nowhere). Messages. */
    DROPPED_NO_PEERS("dropped_no_peers", "messages"),
    /** Copies dropped because a pipe's send queue was full (a slow peer). Messages. */
    DROPPED_SEND_QUEUE_FULL("dropped_send_queue_full", "messages"),
    /** Copies that were queued on a pipe which closed before writing them. Messages. */
    DROPPED_PIPE_CLOSED("dropped_pipe_closed", "messages"),
    /**
     * Received messages dropped because the receive queue was full. Messages. Always 0 in this
     * version: a full receive queue pauses the pipes that feed it (back-pressure through TCP or
     * socket flow control, as NNG 1.5.2, nanomsg and mangos do), so messages are dropped, and
     * counted, at the senders' pipe queues instead ({@link #DROPPED_SEND_QUEUE_FULL}).
     */
    DROPPED_RECV_QUEUE_FULL("dropped_recv_queue_full", "messages"),
    /** Messages received from pipes and placed on the receive queue. Messages. */
    MESSAGES_RECEIVED("messages_received", "messages"),
    /** Body bytes of {@link #MESSAGES_RECEIVED}. Bytes. */
    BYTES_RECEIVED("bytes_received", "bytes"),
    /** Pipes attached right now. Pipes (a gauge). */
    PIPES_CURRENT("pipes_current", "pipes"),
    /** Pipes attached since the socket opened. Pipes. */
    PIPES_TOTAL("pipes_total", "pipes"),
    /** Connections accepted by listeners (before the handshake). Connections. */
    ACCEPTS("accepts", "connections"),
    /** Connection attempts made by dialers. Attempts. */
    DIAL_ATTEMPTS("dial_attempts", "attempts"),
    /** Dial attempts that failed (refused, unreachable, handshake failed). Attempts. */
    DIAL_FAILURES("dial_failures", "attempts"),
    /** Pipes attached by a dialer after its first one (redials that succeeded). Pipes. */
    RECONNECTS("reconnects", "pipes"),
    /** Connections closed during the SP header exchange: bad header, wrong protocol, timeout, early close. Connections. */
    HANDSHAKE_FAILURES("handshake_failures", "connections"),
    /** Connections refused by access control (for example a peer uid outside the allowed set) before any message. Connections. */
    PEERS_REJECTED("peers_rejected", "connections"),
    /** Pipes closed for a framing error: length over the receive maximum size, bad IPC message type. Pipes. */
    PROTOCOL_ERRORS("protocol_errors", "pipes"),
    /** Pipes closed by an I/O error or end of stream from the peer. Pipes. */
    PIPES_CLOSED_BY_PEER("pipes_closed_by_peer", "pipes"),
    /**
     * Copies queued on pipes and not yet written: in their send queues, or taken by a transport
     * that has not finished writing them (a slow peer). Messages (a gauge). At any quiescent
     * moment {@code PIPE_MESSAGES_QUEUED = MESSAGES_WRITTEN + DROPPED_PIPE_CLOSED + PIPE_MESSAGES_PENDING}.
     */
    PIPE_MESSAGES_PENDING("pipe_messages_pending", "messages"),
    /**
     * Messages received and not yet taken by {@code recv}: on the receive queue, or held by a
     * pipe paused because the queue was full. Messages (a gauge). After close it keeps the
     * number left unread. At any moment {@code MESSAGES_RECEIVED = messages returned by recv +
     * RECV_QUEUE_DEPTH}.
     */
    RECV_QUEUE_DEPTH("recv_queue_depth", "messages");

    private final String label;
    private final String unit;

    Counter(final String label, final String unit)
    {
        this.label = label;
        this.unit = unit;
    }

    /**
     * Returns the counter's stable name, as printed by {@code spbus --stats}.
     *
     * @return a snake_case name such as {@code dropped_send_queue_full}
     */
    public String label()
    {
        return label;
    }

    /**
     * Returns the counter's unit.
     *
     * @return {@code messages}, {@code bytes}, {@code pipes}, {@code connections} or {@code attempts}
     */
    public String unit()
    {
        return unit;
    }
}
