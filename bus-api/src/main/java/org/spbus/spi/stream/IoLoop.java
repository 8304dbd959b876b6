package org.spbus.spi.stream;

import java.io.IOException;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.spi.SelectorProvider;
import java.util.PriorityQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

/**
 * One selector thread. Runs tasks, flushes pipes whose writers were woken, and dispatches
 * ready keys. Other threads talk to it with {@link #execute(Runnable)} and
 * {@link #scheduleWrite(StreamPipe)}; the selector is woken only when the loop is about to
 * sleep or sleeping, and at most once per sleep.
 */
final class IoLoop implements Runnable
{
    private static final System.Logger LOG = System.getLogger("org.spbus.transport");
    private static final int READ_BUFFER_SIZE = 64 * 1024;
    static final int WRITE_BUFFER_SIZE = 256 * 1024;

    private final Selector selector;
    private final Thread thread;
    private final ConcurrentLinkedQueue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    private final AtomicReference<StreamPipe> readyHead = new AtomicReference<>();
    private final AtomicBoolean wakeupPending = new AtomicBoolean();
    private final PriorityQueue<Timer> timers = new PriorityQueue<>();
    private volatile boolean sleeping;
    private volatile boolean stopping;
    private long timerSeq;

    /** Shared by every pipe of this loop: one read at a time. */
    final ByteBuffer readBuffer = ByteBuffer.allocateDirect(READ_BUFFER_SIZE);
    /** Shared by every pipe of this loop: frames are batched here, then written with one call. */
    final ByteBuffer writeBuffer = ByteBuffer.allocateDirect(WRITE_BUFFER_SIZE);

    IoLoop(final SelectorProvider provider, final String name) throws IOException
    {
        this.selector = provider.openSelector();
        this.thread = new Thread(this, name);
        this.thread.setDaemon(true);
    }

    void start()
    {
        thread.start();
    }

    boolean inLoop()
    {
        return Thread.currentThread() == thread;
    }

    Selector selector()
    {
        return selector;
    }

    /**
     * Runs {@code task} on the loop thread, soon. Never blocks.
     */
    void execute(final Runnable task)
    {
        tasks.add(task);
        wakeup();
    }

    /**
     * Runs {@code task} on the loop thread and waits for it; runs it inline on the loop thread.
     */
    void runAndWait(final Runnable task)
    {
        if (inLoop() || !thread.isAlive())
        {
            // On the loop, or the loop is gone (ended by a fatal error): nothing else runs the
            // loop's state any more, so the task runs here rather than wait for ever.
            task.run();
            return;
        }
        final CompletableFuture<Void> done = new CompletableFuture<>();
        final Runnable[] wrapper = new Runnable[1];
        wrapper[0] = () ->
        {
            try
            {
                task.run();
                done.complete(null);
            }
            catch (final Throwable t)
            {
                done.completeExceptionally(t);
            }
        };
        execute(wrapper[0]);
        boolean interrupted = false;
        while (true)
        {
            try
            {
                done.get(1, java.util.concurrent.TimeUnit.SECONDS);
                break;
            }
            catch (final java.util.concurrent.TimeoutException e)
            {
                if (!thread.isAlive() && !done.isDone())
                {
                    // The loop died with the task queued: run it here (nothing races it now).
                    tasks.remove(wrapper[0]);
                    task.run();
                    break;
                }
            }
            catch (final InterruptedException e)
            {
                interrupted = true;
            }
            catch (final ExecutionException e)
            {
                final Throwable c = e.getCause();
                if (c instanceof RuntimeException)
                {
                    throw (RuntimeException)c;
                }
                if (c instanceof Error)
                {
                    throw (Error)c;
                }
                throw new IllegalStateException(c);
            }
        }
        if (interrupted)
        {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Lets the selector drop cancelled keys now, so that channels closed while registered
     * release their file descriptors (and addresses) before the caller goes on. Loop thread only.
     */
    void flushCancelledKeys()
    {
        try
        {
            selector.selectNow(this::dispatch);
        }
        catch (final IOException e)
        {
            LOG.log(System.Logger.Level.DEBUG, "selectNow", e);
        }
    }

    /**
     * Runs {@code task} on the loop thread after {@code delayNanos}. Loop thread only.
     */
    void schedule(final Runnable task, final long delayNanos)
    {
        timers.add(new Timer(System.nanoTime() + delayNanos, timerSeq++, task));
    }

    /**
     * Queues {@code pipe} for a flush. Lock-free and allocation-free: a pipe is linked in
     * through its own field, and the engine wakes a pipe at most once per idle period.
     */
    void scheduleWrite(final StreamPipe pipe)
    {
        if (!pipe.inReadyStack.compareAndSet(false, true))
        {
            return;
        }
        StreamPipe head;
        do
        {
            head = readyHead.get();
            pipe.nextReady = head;
        }
        while (!readyHead.compareAndSet(head, pipe));
        wakeup();
    }

    private void wakeup()
    {
        if (sleeping && !wakeupPending.get() && wakeupPending.compareAndSet(false, true))
        {
            selector.wakeup();
        }
    }

    void stop()
    {
        stopping = true;
        selector.wakeup();
    }

    void join() throws InterruptedException
    {
        if (!inLoop())
        {
            thread.join();
        }
    }

    @Override
    public void run()
    {
        try
        {
            while (!stopping)
            {
                runTasks();
                runWrites();
                runTimers();
                final long timeoutMs = nextTimerMillis();
                sleeping = true;
                VarHandle.fullFence();
                if (tasks.isEmpty() && readyHead.get() == null && !stopping)
                {
                    if (timeoutMs < 0)
                    {
                        selector.select(this::dispatch);
                    }
                    else
                    {
                        selector.select(this::dispatch, timeoutMs);
                    }
                }
                else
                {
                    selector.selectNow(this::dispatch);
                }
                sleeping = false;
                wakeupPending.set(false);
            }
        }
        catch (final Throwable t)
        {
            LOG.log(System.Logger.Level.ERROR, "I/O loop " + thread.getName() + " failed", t);
        }
        finally
        {
            runTasks();
            // Endpoints close their channels before the last reference goes; anything still
            // registered here would be a leak, so close it rather than leave a descriptor open.
            for (final SelectionKey k : selector.keys())
            {
                try
                {
                    k.channel().close();
                }
                catch (final IOException e)
                {
                    LOG.log(System.Logger.Level.DEBUG, "closing leftover channel", e);
                }
            }
            try
            {
                selector.close();
            }
            catch (final IOException e)
            {
                LOG.log(System.Logger.Level.DEBUG, "closing selector", e);
            }
        }
    }

    private void dispatch(final SelectionKey key)
    {
        final Object a = key.attachment();
        if (a instanceof IoHandler)
        {
            try
            {
                ((IoHandler)a).ready(key);
            }
            catch (final RuntimeException e)
            {
                LOG.log(System.Logger.Level.ERROR, "I/O handler failed", e);
            }
        }
    }

    private void runTasks()
    {
        Runnable r;
        int budget = 1024;
        while (budget-- > 0 && (r = tasks.poll()) != null)
        {
            try
            {
                r.run();
            }
            catch (final RuntimeException e)
            {
                LOG.log(System.Logger.Level.ERROR, "I/O task failed", e);
            }
        }
    }

    private void runWrites()
    {
        StreamPipe p = readyHead.getAndSet(null);
        if (p == null)
        {
            return;
        }
        // Reverse so that pipes are flushed in the order they were woken.
        StreamPipe prev = null;
        while (p != null)
        {
            final StreamPipe next = p.nextReady;
            p.nextReady = prev;
            prev = p;
            p = next;
        }
        p = prev;
        while (p != null)
        {
            final StreamPipe next = p.nextReady;
            p.nextReady = null;
            p.inReadyStack.set(false);
            p.flush();
            p = next;
        }
    }

    private void runTimers()
    {
        if (timers.isEmpty())
        {
            return;
        }
        final long now = System.nanoTime();
        Timer t;
        while ((t = timers.peek()) != null && t.deadline - now <= 0)
        {
            timers.poll();
            try
            {
                t.task.run();
            }
            catch (final RuntimeException e)
            {
                LOG.log(System.Logger.Level.ERROR, "I/O timer failed", e);
            }
        }
    }

    private long nextTimerMillis()
    {
        final Timer t = timers.peek();
        if (t == null)
        {
            return -1;
        }
        final long ms = (t.deadline - System.nanoTime() + 999_999) / 1_000_000;
        return Math.max(1, ms);
    }

    private static final class Timer implements Comparable<Timer>
    {
        final long deadline;
        final long seq;
        final Runnable task;

        Timer(final long deadline, final long seq, final Runnable task)
        {
            this.deadline = deadline;
            this.seq = seq;
            this.task = task;
        }

        @Override
        public int compareTo(final Timer o)
        {
            final long d = deadline - o.deadline;
            return d != 0 ? (d < 0 ? -1 : 1) : Long.compare(seq, o.seq);
        }
    }
}
