package org.spbus.engine;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.spbus.BusClosedException;
import org.spbus.BusOptions;
import org.spbus.BusSocket;
import org.spbus.BusTimeoutException;
import org.spbus.Counter;
import org.spbus.DialMode;
import org.spbus.Dialer;
import org.spbus.Listener;
import org.spbus.Message;
import org.spbus.SocketStats;
import org.spbus.spi.CloseReason;
import org.spbus.spi.EndpointConfig;
import org.spbus.spi.OutboundMessage;
import org.spbus.spi.Transport;
import org.spbus.spi.TransportPipe;

/**
 * The BUS socket. The send path reads a copy-on-write array of pipes (no lock), encodes the
 * message once, and offers it to each pipe's ring; the receive path is a bounded
 * lock-free queue. The lock guards only the pipe, listener and dialer lists.
 */
final class BusSocketImpl implements BusSocket
{
    private static final System.Logger LOG = System.getLogger("org.spbus.engine");
    private static final EnginePipe[] NO_PIPES = new EnginePipe[0];
    private static final AtomicInteger SOCKET_IDS = new AtomicInteger();
    /** SP protocol id of BUS version 0: protocol 7, role 0 (sp-protocol-ids-01; NNG NNI_PROTO(7,0)). */
    static final int BUS0 = 0x70;

    final int socketId = SOCKET_IDS.incrementAndGet();
    final BusOptions options;
    final Counters counters = new Counters();
    final EndpointConfig endpointConfig;
    private final RecvQueue recvQueue;
    private final long defaultRecvTimeoutNanos;
    private final Object lock = new Object();
    private volatile EnginePipe[] pipes = NO_PIPES;
    private final List<ListenerImpl> listeners = new ArrayList<>();
    private final List<DialerImpl> dialers = new ArrayList<>();
    private ScheduledThreadPoolExecutor timer;
    private volatile boolean closed;

    BusSocketImpl(final BusOptions options)
    {
        this.options = Objects.requireNonNull(options, "options");
        this.recvQueue = new RecvQueue(options.recvQueueSize());
        this.defaultRecvTimeoutNanos = options.recvTimeout() == null ? -1 : RecvQueue.toNanos(options.recvTimeout());
        this.endpointConfig = new EndpointConfig(BUS0, BUS0, options.recvMaxSize(),
            options.handshakeTimeout().toNanos(), options.tcpNoDelay(), options.transportProperties());
    }

    // ---------------------------------------------------------------- send

    @Override
    public void send(final byte[] body)
    {
        send(body, 0, body.length);
    }

    @Override
    public void send(final byte[] body, final int offset, final int length)
    {
        Objects.checkFromIndexSize(offset, length, body.length);
        checkOpen();
        final EnginePipe[] ps = pipes;
        counters.increment(Counter.MESSAGES_SENT);
        counters.add(Counter.BYTES_SENT, length);
        if (ps.length == 0)
        {
            counters.increment(Counter.DROPPED_NO_PEERS);
            return;
        }
        broadcast(ps, Arrays.copyOfRange(body, offset, offset + length));
    }

    @Override
    public void send(final ByteBuffer body)
    {
        checkOpen();
        final int length = body.remaining();
        final EnginePipe[] ps = pipes;
        counters.increment(Counter.MESSAGES_SENT);
        counters.add(Counter.BYTES_SENT, length);
        if (ps.length == 0)
        {
            body.position(body.limit());
            counters.increment(Counter.DROPPED_NO_PEERS);
            return;
        }
        final byte[] copy = new byte[length];
        body.get(copy);
        broadcast(ps, copy);
    }

    private void broadcast(final EnginePipe[] ps, final byte[] copy)
    {
        final OutboundMessage m = new OutboundMessage(copy, copy.length, ps.length);
        int dropped = 0;
        for (final EnginePipe p : ps)
        {
            if (!p.offer(m))
            {
                m.release();
                dropped++;
            }
        }
        if (dropped > 0)
        {
            counters.add(Counter.DROPPED_SEND_QUEUE_FULL, dropped);
        }
        if (dropped < ps.length)
        {
            counters.add(Counter.PIPE_MESSAGES_QUEUED, ps.length - dropped);
        }
    }

    // ---------------------------------------------------------------- receive

    void deliver(final EnginePipe pipe, final byte[] body)
    {
        if (recvQueue.offer(new Message(body, pipe.id)))
        {
            counters.increment(Counter.MESSAGES_RECEIVED);
            counters.add(Counter.BYTES_RECEIVED, body.length);
        }
        else
        {
            counters.increment(Counter.DROPPED_RECV_QUEUE_FULL);
        }
    }

    @Override
    public byte[] recv()
    {
        return recvMessage().body();
    }

    @Override
    public byte[] recv(final Duration timeout)
    {
        return recvMessage(timeout).body();
    }

    @Override
    public byte[] tryRecv()
    {
        final Message m = recvQueue.poll(0);
        return m == null ? null : m.body();
    }

    @Override
    public Message recvMessage()
    {
        return take(defaultRecvTimeoutNanos);
    }

    @Override
    public Message recvMessage(final Duration timeout)
    {
        Objects.requireNonNull(timeout, "timeout");
        return take(timeout.isNegative() ? 0 : RecvQueue.toNanos(timeout));
    }

    @Override
    public Message tryRecvMessage()
    {
        return recvQueue.poll(0);
    }

    private Message take(final long timeoutNanos)
    {
        final Message m = recvQueue.poll(timeoutNanos);
        if (m == null)
        {
            throw new BusTimeoutException("no message within " + Duration.ofNanos(Math.max(0, timeoutNanos)).toMillis() + " ms");
        }
        return m;
    }

    // ---------------------------------------------------------------- endpoints

    @Override
    public Listener listen(final String url)
    {
        Objects.requireNonNull(url, "url");
        checkOpen();
        final Transport t = EngineSocketProvider.transportFor(url);
        final ListenerImpl l = new ListenerImpl(this);
        l.start(t, url);
        synchronized (lock)
        {
            if (!closed)
            {
                listeners.add(l);
                return l;
            }
        }
        l.close();
        throw new BusClosedException("socket closed");
    }

    @Override
    public Dialer dial(final String url)
    {
        return dial(url, DialMode.BLOCKING);
    }

    @Override
    public Dialer dial(final String url, final DialMode mode)
    {
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(mode, "mode");
        checkOpen();
        final Transport t = EngineSocketProvider.transportFor(url);
        final DialerImpl d = new DialerImpl(this, t.dialer(url, endpointConfig));
        synchronized (lock)
        {
            if (closed)
            {
                d.close();
                throw new BusClosedException("socket closed");
            }
            dialers.add(d);
        }
        try
        {
            d.start(mode);
        }
        catch (final RuntimeException e)
        {
            d.close();
            throw e;
        }
        return d;
    }

    void removeListener(final ListenerImpl l)
    {
        synchronized (lock)
        {
            listeners.remove(l);
        }
    }

    void removeDialer(final DialerImpl d)
    {
        synchronized (lock)
        {
            dialers.remove(d);
        }
    }

    /** The socket's timer thread, started on first use, for redials. */
    ScheduledThreadPoolExecutor timer()
    {
        synchronized (lock)
        {
            if (timer == null)
            {
                final ThreadFactory tf = r ->
                {
                    final Thread t = new Thread(r, "spbus-socket-" + socketId + "-dialer");
                    t.setDaemon(true);
                    return t;
                };
                timer = new ScheduledThreadPoolExecutor(1, tf);
                timer.setRemoveOnCancelPolicy(true);
            }
            return timer;
        }
    }

    // ---------------------------------------------------------------- pipes

    /**
     * Attaches a handshaken pipe: starts it, then publishes it to senders.
     *
     * @return the engine pipe, or {@code null} if the socket is closed (the pipe is closed)
     */
    EnginePipe attach(final TransportPipe tp, final PipeOwner owner)
    {
        if (closed)
        {
            tp.close();
            return null;
        }
        final EnginePipe p = new EnginePipe(this, tp, owner, options.sendQueueSize());
        tp.start(p);
        synchronized (lock)
        {
            if (closed || p.closed)
            {
                if (!p.closed)
                {
                    tp.close();
                }
                return null;
            }
            final EnginePipe[] old = pipes;
            final EnginePipe[] next = Arrays.copyOf(old, old.length + 1);
            next[old.length] = p;
            pipes = next;
            counters.increment(Counter.PIPES_TOTAL);
            owner.pipeAttached(p);
        }
        LOG.log(System.Logger.Level.DEBUG, () -> "socket " + socketId + ": " + p + " added");
        return p;
    }

    void pipeClosed(final EnginePipe p, final CloseReason reason, final Throwable cause)
    {
        boolean wasAttached = false;
        synchronized (lock)
        {
            final EnginePipe[] old = pipes;
            for (int i = 0; i < old.length; i++)
            {
                if (old[i] == p)
                {
                    final EnginePipe[] next = new EnginePipe[old.length - 1];
                    System.arraycopy(old, 0, next, 0, i);
                    System.arraycopy(old, i + 1, next, i, old.length - i - 1);
                    pipes = next;
                    wasAttached = true;
                    break;
                }
            }
        }
        switch (reason)
        {
            case TOO_LARGE:
            case PROTOCOL_ERROR:
                counters.increment(Counter.PROTOCOL_ERRORS);
                LOG.log(System.Logger.Level.INFO, () -> "socket " + socketId + ": " + p + " closed: " + cause);
                break;
            case PEER_CLOSED:
            case IO_ERROR:
                counters.increment(Counter.PIPES_CLOSED_BY_PEER);
                LOG.log(System.Logger.Level.DEBUG, () -> "socket " + socketId + ": " + p + " closed by peer: " + reason);
                break;
            default:
                break;
        }
        if (wasAttached)
        {
            p.owner.pipeClosed(p, reason);
        }
    }

    // ---------------------------------------------------------------- lifecycle

    @Override
    public List<org.spbus.Pipe> pipes()
    {
        final EnginePipe[] ps = pipes;
        final org.spbus.Pipe[] views = new org.spbus.Pipe[ps.length];
        for (int i = 0; i < ps.length; i++)
        {
            views[i] = ps[i].view;
        }
        return List.of(views);
    }

    @Override
    public java.util.Optional<org.spbus.Pipe> pipe(final int id)
    {
        for (final EnginePipe p : pipes)
        {
            if (p.id == id)
            {
                return java.util.Optional.of(p.view);
            }
        }
        return java.util.Optional.empty();
    }

    @Override
    public BusOptions options()
    {
        return options;
    }

    @Override
    public SocketStats stats()
    {
        final long[] v = counters.snapshot();
        v[Counter.PIPES_CURRENT.ordinal()] = pipes.length;
        v[Counter.RECV_QUEUE_DEPTH.ordinal()] = closed ? 0 : recvQueue.size();
        return new SocketStats(v);
    }

    @Override
    public boolean isClosed()
    {
        return closed;
    }

    private void checkOpen()
    {
        if (closed)
        {
            throw new BusClosedException("socket closed");
        }
    }

    @Override
    public void close()
    {
        final List<ListenerImpl> ls;
        final List<DialerImpl> ds;
        final ScheduledThreadPoolExecutor t;
        synchronized (lock)
        {
            if (closed)
            {
                return;
            }
            closed = true;
            ls = new ArrayList<>(listeners);
            ds = new ArrayList<>(dialers);
            t = timer;
        }
        recvQueue.close();
        for (final DialerImpl d : ds)
        {
            d.close();
        }
        for (final ListenerImpl l : ls)
        {
            l.close();
        }
        // Pipes not owned by an endpoint do not exist; anything left is closing right now.
        for (final EnginePipe p : pipes)
        {
            p.transport.close();
        }
        if (t != null)
        {
            t.shutdownNow();
            boolean interrupted = false;
            while (true)
            {
                try
                {
                    if (t.awaitTermination(10, TimeUnit.SECONDS))
                    {
                        break;
                    }
                    LOG.log(System.Logger.Level.WARNING, "socket " + socketId + ": dialer thread slow to stop");
                }
                catch (final InterruptedException e)
                {
                    interrupted = true;
                }
            }
            if (interrupted)
            {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public String toString()
    {
        return "BusSocket[" + socketId + ", pipes=" + pipes.length + (closed ? ", closed" : "") + "]";
    }
}
