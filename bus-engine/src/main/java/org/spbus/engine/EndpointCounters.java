package org.spbus.engine;

import java.util.concurrent.atomic.AtomicLong;

import org.spbus.EndpointStats;

/** One listener's or dialer's counters; endpoint events are rare, so plain atomics do. */
final class EndpointCounters
{
    final AtomicLong accepts = new AtomicLong();
    final AtomicLong dialAttempts = new AtomicLong();
    final AtomicLong dialFailures = new AtomicLong();
    final AtomicLong handshakeFailures = new AtomicLong();
    final AtomicLong peersRejected = new AtomicLong();
    final AtomicLong pipesTotal = new AtomicLong();
    final AtomicLong reconnects = new AtomicLong();
    final AtomicLong pipesCurrent = new AtomicLong();

    EndpointStats snapshot()
    {
        return new EndpointStats(accepts.get(), dialAttempts.get(), dialFailures.get(), handshakeFailures.get(),
            peersRejected.get(), pipesTotal.get(), reconnects.get(), pipesCurrent.get());
    }
}
