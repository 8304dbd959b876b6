package org.spbus.spi.stream;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.spi.SelectorProvider;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The I/O threads of one selector provider, shared by every endpoint in the JVM that uses it
 * and reference-counted: the threads start with the first endpoint and stop (and are joined)
 * when the last one is released. The number of loops is {@code spbus.io.threads} (system
 * property), by default the smaller of 2 and the number of processors.
 */
final class IoLoopGroup
{
    private static final Map<SelectorProvider, IoLoopGroup> GROUPS = new HashMap<>();
    private static final AtomicInteger GROUP_IDS = new AtomicInteger();

    private final SelectorProvider provider;
    private final IoLoop[] loops;
    private final AtomicInteger next = new AtomicInteger();
    private int refs;

    private IoLoopGroup(final SelectorProvider provider, final int n) throws IOException
    {
        this.provider = provider;
        this.loops = new IoLoop[n];
        final int id = GROUP_IDS.incrementAndGet();
        for (int i = 0; i < n; i++)
        {
            loops[i] = new IoLoop(provider, "spbus-io-" + id + "-" + i);
        }
        for (final IoLoop l : loops)
        {
            l.start();
        }
    }

    static int defaultThreads()
    {
        final String p = System.getProperty("spbus.io.threads");
        if (p != null)
        {
            try
            {
                return Math.max(1, Integer.parseInt(p.trim()));
            }
            catch (final NumberFormatException e)
            {
                // fall through to the default
            }
        }
        return Math.max(1, Math.min(2, Runtime.getRuntime().availableProcessors()));
    }

    /**
     * Takes a reference to the group for {@code provider}, starting its threads if needed.
     */
    static IoLoopGroup acquire(final SelectorProvider provider)
    {
        synchronized (GROUPS)
        {
            IoLoopGroup g = GROUPS.get(provider);
            if (g == null)
            {
                try
                {
                    g = new IoLoopGroup(provider, defaultThreads());
                }
                catch (final IOException e)
                {
                    throw new UncheckedIOException("cannot open a selector", e);
                }
                GROUPS.put(provider, g);
            }
            g.refs++;
            return g;
        }
    }

    /**
     * Drops a reference; the last one stops the threads and waits for them (unless called on
     * one of them, which then ends by itself right after).
     */
    void release()
    {
        synchronized (GROUPS)
        {
            if (--refs > 0)
            {
                return;
            }
            GROUPS.remove(provider);
            for (final IoLoop l : loops)
            {
                l.stop();
            }
            boolean interrupted = false;
            for (final IoLoop l : loops)
            {
                while (true)
                {
                    try
                    {
                        l.join();
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

    IoLoop next()
    {
        return loops[Math.floorMod(next.getAndIncrement(), loops.length)];
    }
}
