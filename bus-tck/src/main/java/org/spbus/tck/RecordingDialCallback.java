package org.spbus.tck;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.spbus.BusException;
import org.spbus.spi.DialCallback;
import org.spbus.spi.TransportPipe;

/**
 * A {@link DialCallback} that records the outcome of one connection attempt and counts the
 * calls, so that a test can check "exactly one of the two methods, once". Thread-safe.
 */
public final class RecordingDialCallback implements DialCallback
{
    private final CountDownLatch done = new CountDownLatch(1);
    private final AtomicInteger calls = new AtomicInteger();
    private volatile TransportPipe pipe;
    private volatile BusException failure;

    /** Creates a callback with no outcome yet. */
    public RecordingDialCallback()
    {
    }

    @Override
    public void connected(final TransportPipe p)
    {
        if (calls.incrementAndGet() == 1)
        {
            pipe = p;
        }
        done.countDown();
    }

    @Override
    public void failed(final BusException cause)
    {
        if (calls.incrementAndGet() == 1)
        {
            failure = cause;
        }
        done.countDown();
    }

    /**
     * Waits for the outcome.
     *
     * @param timeout how long to wait
     * @return {@code true} if an outcome arrived in time
     * @throws InterruptedException if interrupted while waiting
     */
    public boolean await(final Duration timeout) throws InterruptedException
    {
        return done.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
    }

    /**
     * Returns the pipe of a successful attempt.
     *
     * @return the pipe, not started, or {@code null} if the attempt failed or is pending
     */
    public TransportPipe pipe()
    {
        return pipe;
    }

    /**
     * Returns the failure of a failed attempt.
     *
     * @return the cause, or {@code null} if the attempt succeeded or is pending
     */
    public BusException failure()
    {
        return failure;
    }

    /**
     * Returns how many times either callback method was called.
     *
     * @return 0 while pending, 1 once done; more is a breach of the contract
     */
    public int calls()
    {
        return calls.get();
    }
}
