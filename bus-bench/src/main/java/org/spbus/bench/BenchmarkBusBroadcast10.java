package org.spbus.bench;

import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Fan-out latency to 10 peers (the seed's {@code BenchmarkBusBroadcast10}): one 64-byte send of
 * the hub, until the last of 10 peers' {@code recv} has returned it; lock-step, default options.
 * Reported as sampled time per broadcast (percentiles in µs); with {@code -prof gc},
 * {@code gc.alloc.rate.norm} is the allocation of one broadcast to all 10 peers, all threads
 * included.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class BenchmarkBusBroadcast10
{
    /** The transport: {@code inproc}, {@code tcp} or {@code ipc}. */
    @Param({"inproc", "tcp", "ipc"})
    public String transport;

    private Broadcaster broadcaster;

    /** Creates the benchmark state (JMH does). */
    public BenchmarkBusBroadcast10()
    {
    }

    /** Opens the hub and 10 peers and proves every pipe. */
    @Setup(Level.Trial)
    public void setUp()
    {
        broadcaster = new Broadcaster(transport, 10);
    }

    /** Closes every socket. */
    @TearDown(Level.Trial)
    public void tearDown()
    {
        broadcaster.close();
    }

    /**
     * One broadcast, until the last peer has it.
     *
     * @return the last peer's copy (consumed by JMH)
     */
    @Benchmark
    public byte[] broadcast()
    {
        return broadcaster.broadcastOnce();
    }
}
