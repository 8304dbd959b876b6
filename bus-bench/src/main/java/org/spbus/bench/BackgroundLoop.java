package org.spbus.bench;

import java.util.function.IntConsumer;

/**
 * Daemon threads that each run a step in a loop until {@link #close()}: the blasting senders of
 * {@link BenchmarkBusRecv} and the draining receivers of {@link BenchmarkBusSend}. A step that
 * throws ends its thread; the first such failure is reported by {@link #close()}.
 */
final class BackgroundLoop implements AutoCloseable
{
    private final Thread[] threads;
    private volatile boolean stop;
    private volatile Throwable failure;

    /**
     * Starts {@code n} threads; thread {@code i} calls {@code step.accept(i)} until stopped.
     */
    BackgroundLoop(final String name, final int n, final IntConsumer step)
    {
        threads = new Thread[n];
        for (int i = 0; i < n; i++)
        {
            final int idx = i;
            threads[i] = new Thread(() ->
            {
                try
                {
                    while (!stop)
                    {
                        step.accept(idx);
                    }
                }
                catch (final RuntimeException | Error e)
                {
                    if (!stop)
                    {
                        failure = e;
                    }
                }
            }, name + "-" + i);
            threads[i].setDaemon(true);
            threads[i].start();
        }
    }

    /** Whether {@link #close()} has begun. */
    boolean stopping()
    {
        return stop;
    }

    /**
     * Stops and joins the threads.
     *
     * @throws IllegalStateException if a step failed while running
     */
    @Override
    public void close()
    {
        stop = true;
        FanoutScenario.joinAll(threads);
        final Throwable f = failure;
        if (f != null)
        {
            throw new IllegalStateException("background thread failed: " + f, f);
        }
    }
}
