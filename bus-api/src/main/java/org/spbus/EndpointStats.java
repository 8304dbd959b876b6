package org.spbus;

/**
 * A snapshot of one listener's or dialer's counters, from {@link Listener#stats()} or
 * {@link Dialer#stats()}. Immutable and thread-safe. Fields that do not apply to the kind of
 * endpoint are 0 (a listener makes no dial attempts; a dialer accepts nothing).
 *
 * @param accepts           connections accepted (listener), connections
 * @param dialAttempts      connection attempts (dialer), attempts
 * @param dialFailures      attempts that failed (dialer), attempts
 * @param handshakeFailures connections closed during the SP header exchange, connections
 * @param peersRejected     connections refused by access control or a pipe listener, connections
 * @param pipesTotal        pipes this endpoint attached, pipes
 * @param reconnects        pipes attached after the first (dialer), pipes
 * @param pipesCurrent      pipes of this endpoint attached now, pipes (a gauge)
 */
public record EndpointStats(long accepts, long dialAttempts, long dialFailures, long handshakeFailures,
    long peersRejected, long pipesTotal, long reconnects, long pipesCurrent)
{
}
