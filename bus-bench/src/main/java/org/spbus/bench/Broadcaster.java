package org.spbus.bench;

import java.time.Duration;

import org.spbus.BusOptions;
import org.spbus.BusSocket;

/**
 * The lock-step broadcast of the {@code BenchmarkBusBroadcast*} benchmarks: the hub sends one
 * 64-byte message, then every peer's {@code recv} is called in turn until each has returned
 * it. One call of {@link #broadcastOnce()} therefore lasts from just before the send to the
 * moment the last peer's receive returned the message, and the next broadcast starts only
 * after every peer has the previous one (the fan-out latency of {@code bench.c}, with the
 * receives made by the measuring thread instead of one thread per peer).
 */
final class Broadcaster implements AutoCloseable
{
    /** Far longer than any delivery; a message lost in lock-step is a failure, not a sample. */
    private static final Duration LOST = Duration.ofSeconds(5);

    private final BusFixture fixture;
    private final BusSocket hub;
    private final BusSocket[] peers;
    private final byte[] msg = new byte[64];
    private int seq;

    Broadcaster(final String transport, final int peers)
    {
        this.fixture = BusFixture.open(transport, peers, BusOptions.defaults());
        this.hub = fixture.hub();
        this.peers = fixture.peers();
    }

    /** One broadcast; returns the last peer's copy. */
    byte[] broadcastOnce()
    {
        final int s = ++seq;
        Wire.fill(msg, s, Wire.DATA, 0);
        hub.send(msg);
        byte[] got = null;
        for (final BusSocket p : peers)
        {
            do
            {
                got = p.recv(LOST);
            }
            while (Wire.seq(got) != s || Wire.kind(got) != Wire.DATA); // skip a late set-up probe
        }
        return got;
    }

    @Override
    public void close()
    {
        fixture.close();
    }
}
