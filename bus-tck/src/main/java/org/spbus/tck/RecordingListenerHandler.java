package org.spbus.tck;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.spbus.spi.ListenerHandler;
import org.spbus.spi.TransportPipe;

/**
 * A {@link ListenerHandler} that stands in for the engine when a test drives a
 * {@link org.spbus.spi.TransportListener} directly: it counts accepted connections, queues the
 * pipes that passed the header exchange (not started: the test starts them) and records
 * handshake failures. Thread-safe.
 */
public final class RecordingListenerHandler implements ListenerHandler
{
    private final AtomicInteger accepted = new AtomicInteger();
    private final BlockingQueue<TransportPipe> pipes = new LinkedBlockingQueue<>();
    private final List<Exception> handshakeFailures = Collections.synchronizedList(new ArrayList<>());

    /** Creates a handler with nothing recorded. */
    public RecordingListenerHandler()
    {
    }

    @Override
    public void accepted()
    {
        accepted.incrementAndGet();
    }

    @Override
    public void pipeReady(final TransportPipe pipe)
    {
        pipes.add(pipe);
    }

    @Override
    public void handshakeFailed(final Exception cause)
    {
        handshakeFailures.add(cause);
    }

    /**
     * Takes the next ready pipe, waiting at most {@code timeout}.
     *
     * @param timeout how long to wait
     * @return the pipe, not started, or {@code null} if none came in time
     * @throws InterruptedException if interrupted while waiting
     */
    public TransportPipe nextPipe(final Duration timeout) throws InterruptedException
    {
        return pipes.poll(timeout.toNanos(), TimeUnit.NANOSECONDS);
    }

    /**
     * Returns how many ready pipes are waiting to be taken.
     *
     * @return the count
     */
    public int pipesWaiting()
    {
        return pipes.size();
    }

    /**
     * Returns how many connections were accepted.
     *
     * @return the count of {@link #accepted()} calls
     */
    public int acceptedCount()
    {
        return accepted.get();
    }

    /**
     * Returns the handshake failures reported so far.
     *
     * @return a snapshot
     */
    public List<Exception> handshakeFailures()
    {
        synchronized (handshakeFailures)
        {
            return List.copyOf(handshakeFailures);
        }
    }
}
