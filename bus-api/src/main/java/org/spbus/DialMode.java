package org.spbus;

/**
 * How {@link BusSocket#dial(String, DialMode)} makes its first connection.
 */
public enum DialMode
{
    /**
     * The first attempt runs before {@code dial} returns; {@code dial} returns once the pipe
     * is attached to the socket, or throws (refused, unreachable, protocol mismatch, handshake
     * timeout) and leaves no dialer behind. After a successful first attempt the dialer
     * reconnects whenever its pipe is lost. This is NNG's default ({@code nng_dial} with flags 0),
     * except that NNG returns before the peer's protocol is checked.
     */
    BLOCKING,

    /**
     * {@code dial} returns at once; attempts run in the background with jittered exponential
     * backoff until one succeeds, and again whenever the pipe is lost. NNG's
     * {@code NNG_FLAG_NONBLOCK}, nngcat's {@code --async}.
     */
    NON_BLOCKING
}
