package org.spbus.engine;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

import org.agrona.concurrent.ManyToManyConcurrentArrayQueue;
import org.spbus.Counter;
import org.spbus.spi.CloseReason;
import org.spbus.spi.OutboundMessage;
import org.spbus.spi.PipeHandler;
import org.spbus.spi.TransportPipe;

/**
 * The engine's side of one pipe: its bounded send ring, the flag that says whether its writer
 * is awake, and its accounting. The ring is many-to-many so that a sender that finds the pipe
 * closed can discard what it just queued while the writer may still be polling.
 */
final class EnginePipe implements PipeHandler
{
    private static final VarHandle WRITE_PENDING;

    static
    {
        try
        {
            WRITE_PENDING = MethodHandles.lookup().findVarHandle(EnginePipe.class, "writePending", boolean.class);
        }
        catch (final ReflectiveOperationException e)
        {
            throw new ExceptionInInitializerError(e);
        }
    }

    final int id;
    final TransportPipe transport;
    final PipeOwner owner;
    private final BusSocketImpl socket;
    private final ManyToManyConcurrentArrayQueue<OutboundMessage> ring;
    private final int limit;
    @SuppressWarnings("unused") // accessed through WRITE_PENDING
    private volatile boolean writePending;
    volatile boolean closed;
    /** Set once the pipe is published to senders. */
    volatile boolean attached;
    /** Set when a pipe listener closed the pipe during {@code adding}. */
    volatile boolean rejected;
    /** Messages taken by the transport's writer; written by that one thread at a time. */
    private volatile long polled;
    /** Messages the transport reported written; written by that one thread at a time. */
    private volatile long written;
    private volatile long bytesWritten;
    /** Received from the peer; updated by the transport's reader, one thread at a time. */
    private volatile long received;
    private volatile long bytesReceived;
    private final java.util.concurrent.atomic.AtomicLong droppedFull = new java.util.concurrent.atomic.AtomicLong();
    private final java.util.concurrent.atomic.AtomicLong droppedClosed = new java.util.concurrent.atomic.AtomicLong();

    EnginePipe(final BusSocketImpl socket, final TransportPipe transport, final PipeOwner owner, final int sendQueueSize)
    {
        this.socket = socket;
        this.transport = transport;
        this.owner = owner;
        this.id = PipeIds.next();
        this.limit = sendQueueSize;
        this.ring = new ManyToManyConcurrentArrayQueue<>(Math.max(2, sendQueueSize));
    }

    /** {@link #offer} queued the message. */
    static final int QUEUED = 0;
    /** {@link #offer} dropped the message: the queue was full and the writer is behind. */
    static final int DROPPED = 1;
    /** {@link #offer} dropped the message: the pipe is stalled (see {@link #STALL_NANOS}). */
    static final int DROPPED_STALLED = 2;
    /**
     * A pipe whose queue has been full, with not one message written, for this long (250 ms) is
     * stalled: its peer does not read. Sends then drop its copies at once, without trying to
     * write for it and without yielding for it, so that one dead or frozen peer does not slow
     * the sender's traffic to the others (measured: 9 healthy tcp peers and 1 that never reads,
     * a blasting sender delivered 270K msgs/s to the healthy ones when it yielded for the
     * frozen one as well, 0.8M/s without it, the same as with no frozen peer).
     */
    static final long STALL_NANOS = 250_000_000L;
    /** {@code written} when the queue was last seen full after progress; heuristic, racy by design. */
    private volatile long writtenWhenFull = -1;
    private volatile long fullSince;

    /**
     * Queues a message for this pipe; never blocks. A full queue is first offered to the
     * transport's {@link TransportPipe#writeNow()} unless the pipe is stalled.
     *
     * @return {@link #QUEUED}, {@link #DROPPED} or {@link #DROPPED_STALLED} (the caller counts
     *         a drop and releases the message)
     */
    int offer(final OutboundMessage m)
    {
        if (ring.size() < limit && ring.offer(m))
        {
            queued();
            return QUEUED;
        }
        if (stalled())
        {
            droppedFull.incrementAndGet();
            return DROPPED_STALLED;
        }
        // The writer is behind: help it on this thread (non-blocking), then try once more.
        if (transport.writeNow() && ring.size() < limit && ring.offer(m))
        {
            queued();
            return QUEUED;
        }
        droppedFull.incrementAndGet();
        return DROPPED;
    }

    private void queued()
    {
        if (closed)
        {
            discard();
            return;
        }
        if (!writePending && WRITE_PENDING.compareAndSet(this, false, true))
        {
            transport.wake();
        }
    }

    /**
     * Called with the queue full: whether the pipe has written nothing for {@link #STALL_NANOS}
     * since its queue was first seen full.
     */
    private boolean stalled()
    {
        final long w = written;
        final long now = System.nanoTime();
        if (w != writtenWhenFull)
        {
            writtenWhenFull = w;
            fullSince = now;
            return false;
        }
        return now - fullSince > STALL_NANOS;
    }

    /** As {@link #stalled()} without updating anything: for a decision already made. */
    boolean isStalled()
    {
        return written == writtenWhenFull && System.nanoTime() - fullSince > STALL_NANOS;
    }

    /**
     * Whether this pipe's send queue is full right now (a hint: it may drain at any moment).
     * A full queue is first offered to the transport's {@link TransportPipe#writeNow()}, unless
     * the pipe is stalled.
     */
    boolean isFull()
    {
        return ring.size() >= limit && (stalled() || !(transport.writeNow() && ring.size() < limit));
    }

    /** Counts a copy dropped because the queue was full, without having offered it. */
    void countDroppedFull()
    {
        droppedFull.incrementAndGet();
    }

    @Override
    public OutboundMessage pollOutbound()
    {
        while (true)
        {
            final OutboundMessage m = ring.poll();
            if (m != null)
            {
                polled++;
                return m;
            }
            writePending = false;
            VarHandle.fullFence();
            if (ring.isEmpty() || !WRITE_PENDING.compareAndSet(this, false, true))
            {
                return null;
            }
        }
    }

    @Override
    public void onWritten(final int messages, final long bytes)
    {
        written += messages;
        bytesWritten += bytes;
        socket.counters.add(Counter.MESSAGES_WRITTEN, messages);
        socket.counters.add(Counter.BYTES_WRITTEN, bytes);
    }

    @Override
    public byte[] allocateBody(final int length)
    {
        return socket.bodyPool.take(length);
    }

    @Override
    public boolean onMessage(final byte[] body)
    {
        received++;
        bytesReceived += body.length;
        return socket.deliver(this, body);
    }

    // ---------------------------------------------------------------- receive back-pressure

    static final int INPUT_RUNNING = 0;
    /** The reader is inside onMessage with its message parked; it has not returned yet. */
    static final int INPUT_PARKING = 1;
    /** onMessage returned false: the transport waits for resumeReading. */
    static final int INPUT_PAUSED = 2;
    /** An unparker queued the parked message while the reader was still in onMessage. */
    static final int INPUT_RESUMED = 3;

    /** The message that found the receive queue full; taken by exactly one thread. */
    final java.util.concurrent.atomic.AtomicReference<org.spbus.Message> parked =
        new java.util.concurrent.atomic.AtomicReference<>();
    final java.util.concurrent.atomic.AtomicInteger input = new java.util.concurrent.atomic.AtomicInteger();

    @Override
    public void onClosed(final CloseReason reason, final Throwable cause)
    {
        closed = true;
        // The writer has stopped for good: what it took and did not write is lost with the pipe.
        final long inFlight = polled - written;
        if (inFlight > 0)
        {
            droppedClosed.addAndGet(inFlight);
            socket.counters.add(Counter.DROPPED_PIPE_CLOSED, inFlight);
        }
        discard();
        socket.pipeClosed(this, reason, cause);
    }

    /** Drops what is queued, counting each message; safe from any thread. */
    void discard()
    {
        OutboundMessage m;
        long n = 0;
        while (true)
        {
            m = ring.poll();
            if (m == null)
            {
                // A producer may have claimed a slot and not filled it yet (the queue then looks
                // non-empty but polls null): wait for it rather than leave its message behind.
                if (ring.isEmpty())
                {
                    break;
                }
                Thread.onSpinWait();
                continue;
            }
            m.release();
            n++;
        }
        if (n > 0)
        {
            droppedClosed.addAndGet(n);
            socket.counters.add(Counter.DROPPED_PIPE_CLOSED, n);
        }
    }

    /** The application's view of this pipe. */
    final org.spbus.Pipe view = new org.spbus.Pipe()
    {
        @Override
        public int id()
        {
            return id;
        }

        @Override
        public String localAddress()
        {
            return transport.localAddress();
        }

        @Override
        public String remoteAddress()
        {
            return transport.remoteAddress();
        }

        @Override
        public java.util.Map<String, Object> properties()
        {
            return transport.properties();
        }

        @Override
        public org.spbus.PipeStats stats()
        {
            return new org.spbus.PipeStats(ring.addedCount(), written, bytesWritten, droppedFull.get(),
                droppedClosed.get(), pending(), received, bytesReceived);
        }

        @Override
        public boolean isOpen()
        {
            return !closed && !rejected;
        }

        @Override
        public void close()
        {
            if (!attached)
            {
                rejected = true;
            }
            transport.close();
        }

        @Override
        public String toString()
        {
            return EnginePipe.this.toString();
        }
    };

    /** Copies queued on this pipe and not yet written (in the ring or in the transport). */
    long pending()
    {
        return ring.size() + Math.max(0, polled - written);
    }

    @Override
    public String toString()
    {
        return "pipe " + id + " (" + transport.localAddress() + " <-> " + transport.remoteAddress() + ")";
    }
}
