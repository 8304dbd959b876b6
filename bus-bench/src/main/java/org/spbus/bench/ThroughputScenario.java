package org.spbus.bench;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicReference;

import org.spbus.BusSocket;
import org.spbus.BusTimeoutException;

/**
 * Scenarios 2 to 4 of {@code bench.c}: {@code rx} (N senders, each with its own thread, blast
 * at one receiving hub; also the payload sweep) and {@code bcast} (the hub blasts to N
 * receivers). Receivers count data messages and keep the time of the latest one; they stop
 * once the senders are done and the socket has been idle for the 100 ms receive timeout, so
 * that what was still queued is drained and counted. A successful send call is counted as
 * sent; {@code drop_frac} is what best-effort delivery lost after it.
 */
final class ThroughputScenario
{
    /** One receiver's counters, owned by its thread until joined ({@code struct peer}). */
    private static final class Counts
    {
        long count;
        long bytes;
        long lastRx;
        volatile boolean seenProbe;
    }

    private final HarnessConfig cfg;
    private final Harness.Emitter em;
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    /** Senders finished: receivers drain and exit ({@code tp_done}). */
    private volatile boolean done;
    /** Senders must stop now ({@code tp_blast_stop}). */
    private volatile boolean blastStop;

    ThroughputScenario(final HarnessConfig cfg, final Harness.Emitter em)
    {
        this.cfg = cfg;
        this.em = em;
    }

    // ------------------------------------------------------------------ rx

    /** {@code run_rx}: N senders to one receiving hub. */
    void runRx()
    {
        final int n = cfg.peers();
        BusSocket hub = null;
        final BusSocket[] senders = new BusSocket[n];
        final Thread[] threads = new Thread[n];
        Thread hubThread = null;
        final long[] txCount = new long[n];
        final AtomicIntegerArray seen = new AtomicIntegerArray(n);
        final Counts hubCounts = new Counts();
        final CountDownLatch ready = new CountDownLatch(n);
        final CountDownLatch go = new CountDownLatch(1);
        String url = null;
        try
        {
            hub = Harness.open(cfg, true);
            url = hub.listen(Addresses.listenUrl(cfg.transport())).url();
            em.bufs(hub);
            for (int i = 0; i < n; i++)
            {
                senders[i] = Harness.open(cfg, false);
                senders[i].dial(url);
            }
            final BusSocket h = hub;
            hubThread = worker("rx-hub", () -> count(h, hubCounts, seen));
            for (int i = 0; i < n; i++)
            {
                final int idx = i;
                final BusSocket s = senders[i];
                threads[i] = worker("rx-sender-" + i, () -> txCount[idx] = blast(s, idx, seen, ready, go));
            }
            awaitReady(ready); // all senders connected (the barrier of bench.c)
            final long tStart = Harness.now();
            go.countDown();
            // counts before t_start are probes only, so nothing to reset
            Harness.pause((long)(cfg.duration() * 1e9));
            blastStop = true;
            FanoutScenario.joinAll(threads);
            final long tStop = Harness.now();
            done = true;
            FanoutScenario.joinAll(new Thread[] {hubThread});
            checkFailure();

            long sent = 0;
            for (final long c : txCount)
            {
                sent += c;
            }
            em.emitThroughput(sent, hubCounts.count, hubCounts.bytes, tStart, tStop, hubCounts.lastRx, 1);
            em.stats("hub", hub);
            em.stats("senders", senders);
        }
        finally
        {
            blastStop = true;
            done = true;
            go.countDown();
            for (final BusSocket s : senders)
            {
                Harness.closeQuietly(s);
            }
            Harness.closeQuietly(hub);
            FanoutScenario.joinAll(threads);
            FanoutScenario.joinAll(new Thread[] {hubThread});
            Addresses.cleanup(url);
        }
    }

    /** {@code rx_sender_thread}: probe until the hub has seen this sender, wait for the start, blast. */
    private long blast(final BusSocket s, final int idx, final AtomicIntegerArray seen, final CountDownLatch ready,
        final CountDownLatch go) throws InterruptedException
    {
        final byte[] msg = new byte[cfg.size()];
        final long start = Harness.now();
        while (seen.get(idx) == 0)
        {
            Wire.fill(msg, 0, Wire.PROBE, idx);
            s.send(msg);
            Harness.pause(Harness.PROBE_INTERVAL_NANOS);
            if (Harness.now() - start > Harness.SETUP_DEADLINE_NANOS)
            {
                throw new HarnessException("setup: sender never connected");
            }
        }
        ready.countDown();
        go.await();
        long n = 0;
        int seq = 0;
        while (!blastStop)
        {
            Wire.fill(msg, seq++, Wire.DATA, idx);
            s.send(msg);
            n++;
        }
        return n;
    }

    private void awaitReady(final CountDownLatch ready)
    {
        final long deadline = Harness.now() + Harness.SETUP_DEADLINE_NANOS + TimeUnit.SECONDS.toNanos(5);
        try
        {
            while (!ready.await(20, TimeUnit.MILLISECONDS))
            {
                checkFailure();
                if (Harness.now() > deadline)
                {
                    throw new HarnessException("setup: senders never connected");
                }
            }
        }
        catch (final InterruptedException e)
        {
            Thread.currentThread().interrupt();
            throw new HarnessException("interrupted", e);
        }
    }

    // ------------------------------------------------------------------ bcast

    /** {@code run_bcast}: the hub (this thread) blasts to N receivers. */
    void runBcast()
    {
        final int n = cfg.peers();
        BusSocket hub = null;
        final BusSocket[] peers = new BusSocket[n];
        final Thread[] threads = new Thread[n];
        final Counts[] counts = new Counts[n];
        String url = null;
        try
        {
            hub = Harness.open(cfg, false);
            url = hub.listen(Addresses.listenUrl(cfg.transport())).url();
            em.bufs(hub);
            for (int i = 0; i < n; i++)
            {
                peers[i] = Harness.open(cfg, true);
                peers[i].dial(url);
            }
            for (int i = 0; i < n; i++)
            {
                final BusSocket s = peers[i];
                final Counts c = new Counts();
                counts[i] = c;
                threads[i] = worker("bcast-rx-" + i, () -> count(s, c, null));
            }
            final byte[] msg = new byte[cfg.size()];
            final long start = Harness.now();
            while (true)
            {
                boolean all = true;
                for (final Counts c : counts)
                {
                    if (!c.seenProbe)
                    {
                        all = false;
                    }
                }
                if (all)
                {
                    break;
                }
                checkFailure();
                Wire.fill(msg, 0, Wire.PROBE, 0);
                hub.send(msg);
                Harness.pause(Harness.PROBE_INTERVAL_NANOS);
                if (Harness.now() - start > Harness.SETUP_DEADLINE_NANOS)
                {
                    throw new HarnessException("setup: peers never all connected");
                }
            }
            // let any in-flight probes land before counting starts
            Harness.pause(20_000_000L);
            final long tStart = Harness.now();
            final long tEnd = tStart + (long)(cfg.duration() * 1e9);
            long sent = 0;
            int seq = 0;
            long t;
            do
            {
                Wire.fill(msg, seq++, Wire.DATA, 0);
                hub.send(msg);
                sent++;
                t = Harness.now();
            }
            while (t < tEnd);
            final long tStop = t;
            done = true;
            FanoutScenario.joinAll(threads);
            checkFailure();
            long delivered = 0;
            long bytes = 0;
            long last = 0;
            long minc = Long.MAX_VALUE;
            long maxc = 0;
            for (final Counts c : counts)
            {
                delivered += c.count;
                bytes += c.bytes;
                last = Math.max(last, c.lastRx);
                minc = Math.min(minc, c.count);
                maxc = Math.max(maxc, c.count);
            }
            em.emitThroughput(sent, delivered, bytes, tStart, tStop, last, n);
            em.emit("per_peer_min_frac", sent > 0 ? (double)minc / sent : 0);
            em.emit("per_peer_max_frac", sent > 0 ? (double)maxc / sent : 0);
            em.stats("hub", hub);
            em.stats("peers", peers);
        }
        finally
        {
            done = true;
            for (final BusSocket s : peers)
            {
                Harness.closeQuietly(s);
            }
            Harness.closeQuietly(hub);
            FanoutScenario.joinAll(threads);
            Addresses.cleanup(url);
        }
    }

    // ------------------------------------------------------------------ shared

    /**
     * {@code tp_count}: counts data messages until the senders are done and the socket has been
     * idle for the receive timeout. Probes mark their sender as seen: in {@code seenById} (rx,
     * by the id in the probe) or in {@code c.seenProbe} (bcast).
     */
    private void count(final BusSocket s, final Counts c, final AtomicIntegerArray seenById)
    {
        // As bench.c: one buffer of size + 64 bytes, each message copied into it.
        final byte[] b = new byte[cfg.size() + 64];
        while (true)
        {
            final int n;
            try
            {
                n = s.recv(b);
            }
            catch (final BusTimeoutException e)
            {
                if (done)
                {
                    break;
                }
                continue;
            }
            if (n < Wire.MIN_SIZE)
            {
                continue;
            }
            if (Wire.kind(b) == Wire.PROBE)
            {
                if (seenById != null)
                {
                    final int id = Wire.id(b);
                    if (id < seenById.length())
                    {
                        seenById.set(id, 1);
                    }
                }
                else
                {
                    c.seenProbe = true;
                }
                continue;
            }
            c.count++;
            c.bytes += n;
            c.lastRx = Harness.now();
        }
    }

    /** A task that may throw; its failure is kept for the main thread. */
    private interface Task
    {
        void run() throws Exception;
    }

    private Thread worker(final String name, final Task task)
    {
        final Thread t = new Thread(() ->
        {
            try
            {
                task.run();
            }
            catch (final Exception | Error e)
            {
                if (!(done && e instanceof org.spbus.BusClosedException))
                {
                    failure.compareAndSet(null, e);
                }
            }
        }, name);
        t.setDaemon(true);
        t.start();
        return t;
    }

    private void checkFailure()
    {
        final Throwable f = failure.get();
        if (f != null)
        {
            throw new HarnessException(f.getMessage() == null ? f.toString() : f.getMessage(), f);
        }
    }
}
