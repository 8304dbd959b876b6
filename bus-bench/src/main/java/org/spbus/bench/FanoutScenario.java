package org.spbus.bench;

import java.util.Arrays;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import org.spbus.BusClosedException;
import org.spbus.BusSocket;
import org.spbus.BusTimeoutException;

/**
 * Scenario 1 of {@code bench.c}, {@code fanout}: broadcast latency. The hub listens and sends;
 * N peers dial it, each with a receiver thread. For each broadcast the hub stores
 * {@code seq << 32} in a shared word, takes {@code t0}, sends, takes {@code t1}; each receiver
 * that gets the current {@code seq} records its time, then CAS-increments the word, and the one
 * that completes the count to N releases a semaphore that the hub waits on (2 s; a timeout is a
 * lost broadcast). latency = max(rx) - t0, send_call = t1 - t0. The next broadcast starts only
 * after all N peers have the previous one.
 */
final class FanoutScenario
{
    private static final long BROADCAST_TIMEOUT_MS = 2000;
    private static final long SETUP_TIMEOUT_MS = 50;

    private final HarnessConfig cfg;
    private final Harness.Emitter em;
    private final int peers;
    /** (seq << 32) | number of peers that got seq ({@code fo_state}). */
    private final AtomicLong state = new AtomicLong();
    /** Receive time of each peer's latest current-seq message; published through {@link #state}. */
    private final long[] rxNs;
    private final Semaphore allGot = new Semaphore(0);
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private volatile boolean stop;

    FanoutScenario(final HarnessConfig cfg, final Harness.Emitter em)
    {
        this.cfg = cfg;
        this.em = em;
        this.peers = cfg.peers();
        this.rxNs = new long[peers];
    }

    void run()
    {
        if (cfg.rxAio())
        {
            throw new HarnessException("--rxmode aio: not supported by this library (spbus has no receive callbacks)");
        }
        BusSocket hub = null;
        final BusSocket[] ps = new BusSocket[peers];
        final Thread[] threads = new Thread[peers];
        String url = null;
        try
        {
            hub = Harness.open(cfg, false);
            url = hub.listen(Addresses.listenUrl(cfg.transport())).url();
            em.bufs(hub);
            for (int i = 0; i < peers; i++)
            {
                ps[i] = Harness.open(cfg, true);
                ps[i].dial(url);
            }
            for (int i = 0; i < peers; i++)
            {
                final int idx = i;
                final BusSocket s = ps[i];
                threads[i] = new Thread(() -> receive(idx, s), "fanout-rx-" + i);
                threads[i].setDaemon(true);
                threads[i].start();
            }
            measure(hub, threads);
            em.stats("hub", hub);
            em.stats("peers", ps);
        }
        finally
        {
            stop = true;
            for (final BusSocket s : ps)
            {
                Harness.closeQuietly(s);
            }
            Harness.closeQuietly(hub);
            joinAll(threads);
            Addresses.cleanup(url);
        }
    }

    private void measure(final BusSocket hub, final Thread[] threads)
    {
        final byte[] msg = new byte[cfg.size()];
        final long[] t = new long[2];
        int seq = 1;
        // set-up: probe broadcasts until one reaches every peer
        final long setupStart = Harness.now();
        while (!broadcast(hub, msg, seq++, SETUP_TIMEOUT_MS, t))
        {
            checkFailure();
            if (Harness.now() - setupStart > Harness.SETUP_DEADLINE_NANOS)
            {
                throw new HarnessException("setup: peers never all connected");
            }
        }
        final double setupMs = (Harness.now() - setupStart) / 1e6;
        int lost = 0;
        for (int i = 0; i < cfg.warmup(); i++)
        {
            if (!broadcast(hub, msg, seq++, BROADCAST_TIMEOUT_MS, t))
            {
                lost++;
            }
        }

        final long[] lat = new long[cfg.count()];
        final long[] cost = new long[cfg.count()];
        int n = 0;
        double sum = 0;
        final long tb = Harness.now();
        for (int i = 0; i < cfg.count(); i++)
        {
            if (!broadcast(hub, msg, seq, BROADCAST_TIMEOUT_MS, t))
            {
                lost++;
                seq++;
                continue;
            }
            long last = 0;
            for (int k = 0; k < peers; k++)
            {
                if (rxNs[k] > last)
                {
                    last = rxNs[k];
                }
            }
            lat[n] = last - t[0];
            cost[n] = t[1] - t[0];
            sum += lat[n];
            n++;
            seq++;
        }
        final double wallS = (Harness.now() - tb) / 1e9;
        stop = true;
        joinAll(threads);
        checkFailure();

        Arrays.sort(lat, 0, n);
        Arrays.sort(cost, 0, n);
        em.emit("samples", n);
        em.emit("lost_broadcasts", lost);
        if (n == 0)
        {
            throw new HarnessException("no broadcast reached every peer");
        }
        em.emit("lat_min_us", lat[0] / 1e3);
        em.emit("lat_p50_us", Harness.percentile(lat, n, 0.50) / 1e3);
        em.emit("lat_p90_us", Harness.percentile(lat, n, 0.90) / 1e3);
        em.emit("lat_p99_us", Harness.percentile(lat, n, 0.99) / 1e3);
        em.emit("lat_max_us", lat[n - 1] / 1e3);
        em.emit("lat_mean_us", sum / n / 1e3);
        em.emit("lat_p50_per_peer_us", Harness.percentile(lat, n, 0.50) / 1e3 / peers);
        em.emit("send_call_p50_ns", Harness.percentile(cost, n, 0.50));
        em.emit("send_call_p99_ns", Harness.percentile(cost, n, 0.99));
        em.emit("broadcasts_per_s", n / wallS);
        em.emit("setup_ms", setupMs);
    }

    /** One broadcast ({@code fo_broadcast}); true when every peer got it within the timeout. */
    private boolean broadcast(final BusSocket hub, final byte[] msg, final int seq, final long timeoutMs, final long[] t)
    {
        allGot.drainPermits();
        state.set((seq & 0xffff_ffffL) << 32);
        Wire.fill(msg, seq, Wire.DATA, 0);
        t[0] = Harness.now();
        hub.send(msg);
        t[1] = Harness.now();
        final long deadline = t[1] + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        while (true)
        {
            final long left = deadline - Harness.now();
            final boolean got;
            try
            {
                got = left > 0 && allGot.tryAcquire(left, TimeUnit.NANOSECONDS);
            }
            catch (final InterruptedException e)
            {
                Thread.currentThread().interrupt();
                throw new HarnessException("interrupted", e);
            }
            if (!got)
            {
                return false;
            }
            final long v = state.get();
            if ((int)(v >>> 32) == seq && (int)v == peers)
            {
                return true;
            }
        }
    }

    /** A receiver thread ({@code fo_rx_thread}). */
    private void receive(final int idx, final BusSocket s)
    {
        try
        {
            // As bench.c: one buffer of size + 64 bytes, each message copied into it.
            final byte[] buf = new byte[cfg.size() + 64];
            while (!stop)
            {
                final int n;
                try
                {
                    n = s.recv(buf);
                }
                catch (final BusTimeoutException e)
                {
                    continue;
                }
                onMessage(idx, buf, n);
            }
        }
        catch (final BusClosedException e)
        {
            if (!stop)
            {
                failure.compareAndSet(null, e);
            }
        }
        catch (final RuntimeException | Error e)
        {
            failure.compareAndSet(null, e);
        }
    }

    /** {@code fo_on_msg}: record the time, count the peer in, wake the hub if it was the last. */
    private void onMessage(final int idx, final byte[] buf, final int length)
    {
        if (length < Wire.MIN_SIZE)
        {
            return;
        }
        final long t = Harness.now();
        final int seq = Wire.seq(buf);
        long v = state.get();
        if ((int)(v >>> 32) != seq)
        {
            return; // stale (a timed-out broadcast)
        }
        rxNs[idx] = t;
        while ((int)(v >>> 32) == seq)
        {
            final long witness = state.compareAndExchange(v, v + 1);
            if (witness == v)
            {
                if ((int)(v + 1) == peers)
                {
                    allGot.release();
                }
                break;
            }
            v = witness;
        }
    }

    private void checkFailure()
    {
        final Throwable f = failure.get();
        if (f != null)
        {
            throw new HarnessException("receiver failed: " + f, f);
        }
    }

    static void joinAll(final Thread[] threads)
    {
        boolean interrupted = false;
        for (final Thread th : threads)
        {
            while (th != null)
            {
                try
                {
                    th.join();
                    break;
                }
                catch (final InterruptedException e)
                {
                    interrupted = true;
                }
            }
        }
        if (interrupted)
        {
            Thread.currentThread().interrupt();
        }
    }
}
