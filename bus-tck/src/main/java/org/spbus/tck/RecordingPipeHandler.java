package org.spbus.tck;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Queue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.spbus.spi.CloseReason;
import org.spbus.spi.OutboundMessage;
import org.spbus.spi.PipeHandler;
import org.spbus.spi.TransportPipe;

/**
 * A {@link PipeHandler} that stands in for the engine when a test drives a
 * {@link TransportPipe} directly: it queues messages to send (waking the pipe as the engine
 * does), records what arrives, what was written and how the pipe ended, and notes every breach
 * of the {@link TransportPipe} contract it can see instead of throwing on the transport's
 * thread. Tests read {@link #violations()} at the end.
 *
 * <p>Breaches noted: a handler method called after {@code onClosed}; {@code onClosed} called
 * twice; two threads in {@code onMessage} or in {@code pollOutbound} at once.
 *
 * <p>Thread-safe.
 */
public final class RecordingPipeHandler implements PipeHandler
{
    private final String name;
    private final Queue<OutboundMessage> outbound = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean writePending = new AtomicBoolean();
    private final BlockingQueue<byte[]> received = new LinkedBlockingQueue<>();
    private final AtomicLong writtenMessages = new AtomicLong();
    private final AtomicLong writtenBytes = new AtomicLong();
    private final AtomicInteger closedCount = new AtomicInteger();
    private final AtomicInteger inOnMessage = new AtomicInteger();
    private final AtomicInteger inPoll = new AtomicInteger();
    private final List<String> violations = Collections.synchronizedList(new ArrayList<>());
    private volatile CloseReason closeReason;
    private volatile TransportPipe pipe;

    /**
     * Creates a handler.
     *
     * @param name names this end in violation messages, for example {@code "dialer side"}
     */
    public RecordingPipeHandler(final String name)
    {
        this.name = Objects.requireNonNull(name, "name");
    }

    /**
     * Starts {@code pipe} with this handler ({@link TransportPipe#start(PipeHandler)}).
     *
     * @param pipe a pipe not yet started
     * @return this handler
     */
    public RecordingPipeHandler start(final TransportPipe pipe)
    {
        this.pipe = Objects.requireNonNull(pipe, "pipe");
        pipe.start(this);
        return this;
    }

    /**
     * Returns the pipe this handler was started on.
     *
     * @return the pipe, or {@code null} before {@link #start(TransportPipe)}
     */
    public TransportPipe pipe()
    {
        return pipe;
    }

    /**
     * Queues a body for the pipe to write and wakes the pipe if it is idle, following the wake
     * protocol of {@link TransportPipe#wake()}. The message is created with two references:
     * this handler keeps one, so that {@link #releasedByTransport(OutboundMessage)} can tell
     * whether the transport released its own exactly once.
     *
     * @param body the body; not copied, must not be changed afterwards
     * @return the queued message
     */
    public OutboundMessage send(final byte[] body)
    {
        final OutboundMessage m = new OutboundMessage(body, body.length, 2);
        outbound.add(m);
        if (!writePending.get() && writePending.compareAndSet(false, true))
        {
            pipe.wake();
        }
        return m;
    }

    /**
     * Returns whether the transport has released a message queued by {@link #send(byte[])}
     * exactly once: one reference (this handler's) is left.
     *
     * @param m a message returned by {@link #send(byte[])}
     * @return {@code true} if exactly one release happened
     */
    public static boolean releasedByTransport(final OutboundMessage m)
    {
        return m.holders() == 1;
    }

    @Override
    public OutboundMessage pollOutbound()
    {
        if (inPoll.incrementAndGet() != 1)
        {
            violation("pollOutbound called by two threads at once");
        }
        try
        {
            checkOpen("pollOutbound");
            while (true)
            {
                final OutboundMessage m = outbound.poll();
                if (m != null)
                {
                    return m;
                }
                writePending.set(false);
                if (outbound.isEmpty() || !writePending.compareAndSet(false, true))
                {
                    return null;
                }
            }
        }
        finally
        {
            inPoll.decrementAndGet();
        }
    }

    @Override
    public void onWritten(final int messages, final long bytes)
    {
        if (messages < 1 || bytes < 0)
        {
            violation("onWritten(" + messages + ", " + bytes + "): messages must be 1 or more, bytes 0 or more");
        }
        writtenMessages.addAndGet(messages);
        writtenBytes.addAndGet(bytes);
    }

    @Override
    public boolean onMessage(final byte[] body)
    {
        if (inOnMessage.incrementAndGet() != 1)
        {
            violation("onMessage called by two threads at once");
        }
        try
        {
            checkOpen("onMessage");
            if (body == null)
            {
                violation("onMessage(null)");
                return true;
            }
            received.add(body);
            return true;
        }
        finally
        {
            inOnMessage.decrementAndGet();
        }
    }

    @Override
    public void onClosed(final CloseReason reason, final Throwable cause)
    {
        if (closedCount.incrementAndGet() > 1)
        {
            violation("onClosed called more than once (again with " + reason + ")");
            return;
        }
        if (reason == null)
        {
            violation("onClosed with a null reason");
        }
        closeReason = reason;
    }

    private void checkOpen(final String method)
    {
        if (closedCount.get() > 0)
        {
            violation(method + " called after onClosed");
        }
    }

    private void violation(final String what)
    {
        final String v = name + ": " + what;
        synchronized (violations)
        {
            // Each distinct breach once, with how often it happened: a broken transport can
            // repeat one a million times, and the failure message must stay readable.
            for (int i = 0; i < violations.size(); i++)
            {
                final String seen = violations.get(i);
                if (seen.equals(v) || seen.startsWith(v + " (x"))
                {
                    final int times = seen.equals(v) ? 1 : Integer.parseInt(seen.substring(v.length() + 3, seen.length() - 1));
                    violations.set(i, v + " (x" + (times + 1) + ")");
                    return;
                }
            }
            violations.add(v);
        }
    }

    /**
     * Takes the next received body, waiting at most {@code timeout}.
     *
     * @param timeout how long to wait
     * @return the body, or {@code null} if none arrived in time
     * @throws InterruptedException if interrupted while waiting
     */
    public byte[] poll(final Duration timeout) throws InterruptedException
    {
        return received.poll(timeout.toNanos(), TimeUnit.NANOSECONDS);
    }

    /**
     * Returns how many received bodies are waiting to be taken by {@link #poll(Duration)}.
     *
     * @return the count
     */
    public int receivedWaiting()
    {
        return received.size();
    }

    /**
     * Returns the messages the transport reported written ({@link #onWritten(int, long)}).
     *
     * @return the sum of the {@code messages} arguments
     */
    public long writtenMessages()
    {
        return writtenMessages.get();
    }

    /**
     * Returns the bytes the transport reported written.
     *
     * @return the sum of the {@code bytes} arguments
     */
    public long writtenBytes()
    {
        return writtenBytes.get();
    }

    /**
     * Returns how many times {@link #onClosed(CloseReason, Throwable)} was called.
     *
     * @return 0 while open, 1 once closed; more is a violation
     */
    public int closedCount()
    {
        return closedCount.get();
    }

    /**
     * Returns the reason of the first {@code onClosed}.
     *
     * @return the reason, or {@code null} while open
     */
    public CloseReason closeReason()
    {
        return closeReason;
    }

    /**
     * Returns the contract breaches seen so far.
     *
     * @return a snapshot, empty if none
     */
    public List<String> violations()
    {
        synchronized (violations)
        {
            return List.copyOf(violations);
        }
    }
}
