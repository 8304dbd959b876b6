package org.spbus.spi;

/**
 * Why a pipe ended.
 */
public enum CloseReason
{
    /** Closed on this side: by the engine, its listener or dialer, or the socket. */
    LOCAL,
    /** The peer closed the connection (end of stream), possibly in the middle of a message. */
    PEER_CLOSED,
    /** A read or write failed (reset, broken pipe). */
    IO_ERROR,
    /** The peer announced a message longer than the receive maximum size. */
    TOO_LARGE,
    /** The peer broke the framing (for example an IPC message type other than 1). */
    PROTOCOL_ERROR
}
