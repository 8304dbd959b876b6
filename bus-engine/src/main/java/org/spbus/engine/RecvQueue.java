package org.spbus.engine;

import java.lang.invoke.VarHandle;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

import org.agrona.concurrent.ManyToManyConcurrentArrayQueue;
import org.spbus.BusClosedException;
import org.spbus.BusException;
import org.spbus.Message;

/**
 * The socket's bounded receive queue: lock-free for producers (pipe readers) and for
 * receivers that find a message; a receiver that must wait parks on a condition, and a
 * producer takes the lock only when someone waits, and then only once per wake-up: the
 * {@code signalled} token stays set until a waiter wakes and clears it, so a burst of messages
 * arriving while a receiver is being scheduled costs one signal, not one per message (and the
 * reader never queues on the lock behind the receiver it just woke). A receiver that leaves
 * with more messages queued and others still waiting passes the signal on.
 */
final class RecvQueue
{
    private final ManyToManyConcurrentArrayQueue<Message> queue;
    private final int limit;
    /**
     * How many times a receiver that finds the queue empty yields the processor and looks
     * again before it parks (system property {@code spbus.recv.spins}, default 16; 0 parks at
     * once). Each look costs about a microsecond when nothing else wants the processor. On
     * the 2-vCPU VM of docs/performance.md, parking and waking a thread costs about 6 us per
     * receiver (inproc fan-out, 10 peers: 60 us); these few looks spare that cost whenever the
     * next message is close behind: harness rx, 4 senders, tcp: 312K -> 570K msgs/s; inproc
     * rx over 1.8M msgs/s; fan-out p50, 10 ipc peers: 129 -> 98-111 us (medians of 3-4 runs).
     */
    private static final int SPINS = Math.max(0, Integer.getInteger("spbus.recv.spins", 16));
    private final AtomicInteger waiters = new AtomicInteger();
    /** Set by the producer that signals; cleared by a waiter, under the lock, before it looks. */
    private final java.util.concurrent.atomic.AtomicBoolean signalled = new java.util.concurrent.atomic.AtomicBoolean();
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition notEmpty = lock.newCondition();
    private volatile boolean closed;

    RecvQueue(final int limit)
    {
        this.limit = limit;
        this.queue = new ManyToManyConcurrentArrayQueue<>(Math.max(2, limit));
    }

    /** Adds a message; false if the queue is full (the caller parks it and pauses the pipe). */
    boolean offer(final Message m)
    {
        if (queue.size() >= limit || !queue.offer(m))
        {
            return false;
        }
        VarHandle.fullFence();
        signalOne();
        return true;
    }

    /** Wakes one waiter, unless there is none or one was signalled and has not woken yet. */
    private void signalOne()
    {
        if (waiters.get() > 0 && !signalled.get() && signalled.compareAndSet(false, true))
        {
            lock.lock();
            try
            {
                notEmpty.signal();
            }
            finally
            {
                lock.unlock();
            }
        }
    }

    /**
     * Takes a message, waiting up to {@code timeoutNanos} (negative: forever; 0: not at all).
     *
     * @return the message, or {@code null} on timeout
     * @throws BusClosedException once closed
     * @throws BusException if the thread is interrupted while waiting (its interrupt flag is set again)
     */
    Message poll(final long timeoutNanos)
    {
        if (closed)
        {
            throw closedException();
        }
        Message m = queue.poll();
        if (m != null || timeoutNanos == 0)
        {
            return m;
        }
        for (int i = 0; i < SPINS; i++)
        {
            Thread.yield();
            if ((m = queue.poll()) != null)
            {
                return m;
            }
        }
        final long deadline = System.nanoTime() + timeoutNanos;
        lock.lock();
        waiters.incrementAndGet();
        try
        {
            while (true)
            {
                if (closed)
                {
                    throw closedException();
                }
                signalled.set(false);
                VarHandle.fullFence();
                m = queue.poll();
                if (m != null)
                {
                    return m;
                }
                try
                {
                    if (timeoutNanos < 0)
                    {
                        notEmpty.await();
                    }
                    else
                    {
                        final long left = deadline - System.nanoTime();
                        if (left <= 0)
                        {
                            return null;
                        }
                        notEmpty.awaitNanos(left);
                    }
                }
                catch (final InterruptedException e)
                {
                    Thread.currentThread().interrupt();
                    throw new BusException("receive interrupted", e);
                }
            }
        }
        finally
        {
            waiters.decrementAndGet();
            lock.unlock();
            if (m != null && !queue.isEmpty())
            {
                signalOne();
            }
        }
    }

    int size()
    {
        return queue.size();
    }

    /** Whether the queue holds at most {@code level} messages and is not full. */
    boolean hasRoomBelow(final int level)
    {
        return queue.size() <= Math.max(0, level) && queue.size() < limit;
    }

    void close()
    {
        closed = true;
        lock.lock();
        try
        {
            notEmpty.signalAll();
        }
        finally
        {
            lock.unlock();
        }
        // What is left stays counted in RECV_QUEUE_DEPTH: received, never taken.
    }

    private static BusClosedException closedException()
    {
        return new BusClosedException("socket closed");
    }

    static long toNanos(final java.time.Duration d)
    {
        try
        {
            return d.toNanos();
        }
        catch (final ArithmeticException e)
        {
            return TimeUnit.DAYS.toNanos(365 * 100);
        }
    }
}
