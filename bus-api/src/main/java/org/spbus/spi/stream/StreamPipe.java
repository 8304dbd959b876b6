package org.spbus.spi.stream;

import java.io.IOException;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.util.Map;

import org.spbus.BusClosedException;
import org.spbus.BusException;
import org.spbus.ProtocolException;
import org.spbus.TransportException;
import org.spbus.spi.CloseReason;
import org.spbus.spi.EndpointConfig;
import org.spbus.spi.OutboundMessage;
import org.spbus.spi.PipeHandler;
import org.spbus.spi.TransportPipe;

/**
 * A pipe over a non-blocking {@link SocketChannel}: the SP header exchange, then framed
 * messages both ways. All I/O runs on one {@link IoLoop} thread; reads and writes go through
 * the loop's shared direct buffers, so an idle pipe holds no buffer of its own.
 */
final class StreamPipe implements TransportPipe, IoHandler
{
    private static final int CONNECTING = 0;
    private static final int HANDSHAKE = 1;
    private static final int OPEN = 2;
    private static final int CLOSED = 3;
    /** The most a paused pipe reads ahead into its stash, in bytes. */
    private static final int STASH_LIMIT = 64 * 1024;
    /** Reads per readiness event before giving other pipes a turn. */
    private static final int READ_BURST = 16;
    /** How much of the pending bytes a sending thread writes first to see if the socket has room. */
    private static final int PROBE_BYTES = 4096;

    final IoLoop loop;
    private final SocketChannel channel;
    private final StreamSupport support;
    private final EndpointConfig config;
    private final PipeOwner owner;
    private SelectionKey key;
    /** Written by the loop only; read by sending threads in {@link #writeNow()}. */
    private volatile int state;
    private volatile PipeHandler handler;
    private volatile boolean closeRequested;
    private CloseReason closedReason;
    private Throwable closedCause;
    private String local = "";
    private String remote = "";
    private String dialTarget;

    // Handshake.
    private final byte[] peerHeader = new byte[SpHeader.SIZE];
    private int peerHeaderFill;

    // Reading.
    private final FrameDecoder decoder;
    /** Where the decoder puts whole messages: the handler (set before any parse). One per pipe. */
    private final FrameDecoder.Sink sink = new FrameDecoder.Sink()
    {
        @Override
        public boolean message(final byte[] body)
        {
            return handler.onMessage(body) && state != CLOSED;
        }

        @Override
        public byte[] allocate(final int length)
        {
            return handler.allocateBody(length);
        }
    };
    private ByteBuffer pendingIn;
    /** The engine's receive queue is full: read only into pendingIn, up to STASH_LIMIT. */
    private boolean paused;

    // Writing.
    private ByteBuffer pendingOut;
    private OutboundMessage current;
    private int currentOffset;
    private int unreportedMessages;
    /** Messages taken from the send queue so far; under {@link #writer}. */
    private long polledMessages;
    private long unreportedBytes;

    /** Link in the loop's ready-to-write stack. */
    StreamPipe nextReady;
    /** Whether this pipe is in the loop's ready-to-write stack. */
    final java.util.concurrent.atomic.AtomicBoolean inReadyStack = new java.util.concurrent.atomic.AtomicBoolean();

    /**
     * Held by whichever thread writes to the channel: the loop in {@link #flush()}, or a sending
     * thread in {@link #writeNow()}. It guards {@code current}, {@code currentOffset},
     * {@code pendingOut} and the unreported counts. Taken for good by {@link #close}.
     */
    private final java.util.concurrent.atomic.AtomicBoolean writer = new java.util.concurrent.atomic.AtomicBoolean();
    /** Set by the loop when it wanted to write while a sending thread held {@link #writer}. */
    private volatile boolean flushWanted;
    /** Whether the loop has asked the selector for OP_WRITE; changed under {@link #writer}. */
    private volatile boolean writeArmed;
    /** A sending thread's own batch buffer for {@link #writeNow()} (the loop's is the loop's). */
    private static final ThreadLocal<ByteBuffer> CALLER_BUFFER =
        ThreadLocal.withInitial(() -> ByteBuffer.allocateDirect(IoLoop.WRITE_BUFFER_SIZE));

    StreamPipe(final IoLoop loop, final SocketChannel channel, final StreamSupport support, final EndpointConfig config,
        final PipeOwner owner)
    {
        this.loop = loop;
        this.channel = channel;
        this.support = support;
        this.config = config;
        this.owner = owner;
        this.decoder = new FrameDecoder(support.framing(), config.effectiveRecvMaxSize());
    }

    // ---------------------------------------------------------------- setup (loop thread)

    /** Registers an accepted channel: send our header, await the peer's. */
    void registerAccepted()
    {
        if (state == CLOSED)
        {
            closeQuietly();
            return;
        }
        try
        {
            key = channel.register(loop.selector(), SelectionKey.OP_READ, this);
            armDeadline();
            beginHandshake();
        }
        catch (final IOException e)
        {
            fail(new TransportException("cannot register accepted connection", e));
        }
    }

    /** Starts a non-blocking connect to {@code address}; {@code url} names it in errors. */
    void connect(final SocketAddress address, final String url)
    {
        dialTarget = url;
        if (state == CLOSED)
        {
            closeQuietly();
            return;
        }
        try
        {
            armDeadline();
            if (channel.connect(address))
            {
                key = channel.register(loop.selector(), SelectionKey.OP_READ, this);
                beginHandshake();
            }
            else
            {
                key = channel.register(loop.selector(), SelectionKey.OP_CONNECT, this);
            }
        }
        catch (final IOException | RuntimeException e)
        {
            fail(mapConnectError(e));
        }
    }

    private void armDeadline()
    {
        loop.schedule(() ->
        {
            if (state == CONNECTING || state == HANDSHAKE)
            {
                fail(new ProtocolException("no SP header exchange within "
                    + config.handshakeTimeoutNanos() / 1_000_000 + " ms" + (state == CONNECTING ? " (still connecting)" : "")));
            }
        }, config.handshakeTimeoutNanos());
    }

    /** The peer went away: a failed handshake, or the end of an open pipe. */
    private void peerGone(final IOException cause)
    {
        if (state == OPEN)
        {
            close(cause == null ? CloseReason.PEER_CLOSED : CloseReason.IO_ERROR, cause);
        }
        else if (state == CONNECTING)
        {
            fail(mapConnectError(cause == null ? new java.net.ConnectException("Connection refused") : cause));
        }
        else if (state != CLOSED)
        {
            final ProtocolException e = new ProtocolException("connection to " + target()
                + " closed by the peer during the SP header exchange (after " + peerHeaderFill + " of 8 header bytes)");
            if (cause != null)
            {
                e.initCause(cause);
            }
            fail(e);
        }
    }

    private void beginHandshake() throws IOException
    {
        state = HANDSHAKE;
        support.configurer().configure(channel, config);
        local = support.formatLocal(channel.getLocalAddress());
        remote = support.format(channel.getRemoteAddress());
        final BusException refused = support.admission().check(channel, config);
        if (refused != null)
        {
            fail(refused);
            return;
        }
        final ByteBuffer hdr = ByteBuffer.wrap(SpHeader.encode(config.protocolId()));
        try
        {
            channel.write(hdr);
        }
        catch (final IOException e)
        {
            peerGone(e);
            return;
        }
        if (hdr.hasRemaining())
        {
            pendingOut = ByteBuffer.allocate(64);
            pendingOut.put(hdr).flip();
            key.interestOps(key.interestOps() | SelectionKey.OP_WRITE);
        }
    }

    // ---------------------------------------------------------------- TransportPipe

    @Override
    public void start(final PipeHandler h)
    {
        if (handler != null)
        {
            throw new IllegalStateException("pipe already started");
        }
        handler = h;
        if (loop.inLoop())
        {
            started();
        }
        else
        {
            loop.execute(this::started);
        }
    }

    private void started()
    {
        if (state == CLOSED)
        {
            if (closedReason != null)
            {
                final CloseReason r = closedReason;
                closedReason = null;
                handler.onClosed(r, closedCause);
            }
            return;
        }
        paused = false;
        if (pendingIn != null)
        {
            final ByteBuffer in = pendingIn;
            pendingIn = null;
            if (!parse(in))
            {
                return;
            }
        }
        if (key != null && key.isValid())
        {
            key.interestOps(key.interestOps() | SelectionKey.OP_READ);
        }
        if (closeRequested)
        {
            close(CloseReason.LOCAL, null);
        }
    }

    @Override
    public void resumeReading()
    {
        if (loop.inLoop())
        {
            started();
        }
        else
        {
            loop.execute(this::started);
        }
    }

    @Override
    public void wake()
    {
        loop.scheduleWrite(this);
    }

    @Override
    public void close()
    {
        closeRequested = true;
        if (loop.inLoop())
        {
            close(CloseReason.LOCAL, null);
        }
        else
        {
            loop.execute(() -> close(CloseReason.LOCAL, null));
        }
    }

    /** Closes from another thread and waits until it is done. */
    void closeAndWait()
    {
        closeRequested = true;
        loop.runAndWait(() -> close(CloseReason.LOCAL, null));
    }

    @Override
    public String localAddress()
    {
        return local;
    }

    @Override
    public String remoteAddress()
    {
        return remote;
    }

    @Override
    public Map<String, Object> properties()
    {
        return support.properties(channel);
    }

    // ---------------------------------------------------------------- I/O (loop thread)

    @Override
    public void ready(final SelectionKey k)
    {
        if (!k.isValid())
        {
            // Not cancelled by us (we set CLOSED first): the selector gave up on the channel,
            // as junixsocket's does when the peer hangs up.
            peerGone(null);
            return;
        }
        final int ops = k.readyOps();
        if (state == CONNECTING)
        {
            if ((ops & SelectionKey.OP_CONNECT) != 0)
            {
                finishConnect();
            }
            return;
        }
        if ((ops & SelectionKey.OP_WRITE) != 0)
        {
            if (state == HANDSHAKE)
            {
                writePendingHeader();
            }
            else
            {
                flush();
            }
        }
        if (state != CLOSED && (ops & SelectionKey.OP_READ) != 0 && k.isValid())
        {
            readable();
        }
    }

    private void finishConnect()
    {
        try
        {
            channel.finishConnect();
            key.interestOps(SelectionKey.OP_READ);
            beginHandshake();
        }
        catch (final IOException | RuntimeException e)
        {
            fail(mapConnectError(e));
        }
    }

    private void writePendingHeader()
    {
        try
        {
            channel.write(pendingOut);
            if (!pendingOut.hasRemaining())
            {
                pendingOut = null;
                key.interestOps(key.interestOps() & ~SelectionKey.OP_WRITE);
            }
        }
        catch (final IOException e)
        {
            peerGone(e);
        }
    }

    private void readable()
    {
        final ByteBuffer buf = loop.readBuffer;
        for (int i = 0; i < READ_BURST; i++)
        {
            buf.clear();
            final int n;
            try
            {
                n = channel.read(buf);
            }
            catch (final IOException e)
            {
                peerGone(e);
                return;
            }
            if (n < 0 || (n == 0 && i == 0 && support.zeroReadIsEof()))
            {
                peerGone(null);
                return;
            }
            if (n == 0)
            {
                return;
            }
            buf.flip();
            if (state == HANDSHAKE && !handshakeBytes(buf))
            {
                return;
            }
            if (buf.hasRemaining())
            {
                if (handler == null || paused)
                {
                    // Not started, or paused by back-pressure: keep the bytes (a bounded amount),
                    // reading on only so as to notice a peer that goes away.
                    stash(buf);
                    return;
                }
                if (!parse(buf))
                {
                    return;
                }
            }
            if (n < buf.capacity())
            {
                return;
            }
        }
    }

    /** Consumes header bytes; returns false if the pipe is now closed or waiting for start(). */
    private boolean handshakeBytes(final ByteBuffer buf)
    {
        final int k = Math.min(buf.remaining(), SpHeader.SIZE - peerHeaderFill);
        buf.get(peerHeader, peerHeaderFill, k);
        peerHeaderFill += k;
        if (peerHeaderFill < SpHeader.SIZE)
        {
            return true;
        }
        try
        {
            SpHeader.check(peerHeader, config.peerProtocolId());
        }
        catch (final ProtocolException e)
        {
            fail(e);
            return false;
        }
        state = OPEN;
        owner.handshakeDone(this);
        if (state == CLOSED)
        {
            return false;
        }
        if (handler == null)
        {
            // Keep what came behind the header until the engine starts the pipe.
            stash(buf);
            return false;
        }
        return true;
    }

    private void stash(final ByteBuffer buf)
    {
        if (buf.hasRemaining())
        {
            final ByteBuffer in = pendingIn == null ? ByteBuffer.allocate(buf.remaining())
                : ByteBuffer.allocate(pendingIn.remaining() + buf.remaining()).put(pendingIn);
            in.put(buf).flip();
            pendingIn = in;
        }
        // A paused pipe goes on reading into the stash up to a bound, so that it still sees
        // its peer leave; past the bound it stops, and the peer feels the back-pressure.
        final boolean keepReading = paused && handler != null && (pendingIn == null || pendingIn.remaining() < STASH_LIMIT);
        if (key != null && key.isValid() && !keepReading)
        {
            key.interestOps(key.interestOps() & ~SelectionKey.OP_READ);
        }
    }

    /**
     * Decodes frames; returns false if the pipe was closed or the engine paused it (then what
     * is left of {@code buf} is kept for {@link #resumeReading()} and reading stops).
     */
    private boolean parse(final ByteBuffer buf)
    {
        try
        {
            final boolean more = decoder.decode(buf, sink);
            if (!more && state != CLOSED)
            {
                paused = true;
                stash(buf);
            }
            return more;
        }
        catch (final FrameDecoder.TooLargeOrMalformed e)
        {
            close(e.tooLarge ? CloseReason.TOO_LARGE : CloseReason.PROTOCOL_ERROR, e);
            return false;
        }
    }

    /**
     * Writes as much as the socket takes (loop thread): pending bytes first, then batches of
     * queued messages. If a sending thread is writing at this moment it hands the work back to
     * the loop when it is done ({@link #flushWanted}).
     */
    void flush()
    {
        flushWanted = true;
        if (!writer.compareAndSet(false, true))
        {
            return;
        }
        flushWanted = false;
        IOException failure = null;
        try
        {
            write(loop.writeBuffer, true);
        }
        catch (final IOException e)
        {
            failure = e;
        }
        finally
        {
            writer.set(false);
        }
        if (failure != null)
        {
            close(CloseReason.IO_ERROR, failure);
        }
    }

    @Override
    public boolean writeNow()
    {
        if (state != OPEN || handler == null || loop.inLoop() || !writer.compareAndSet(false, true))
        {
            return false;
        }
        boolean took = false;
        IOException failure = null;
        try
        {
            // Re-read under the lock: close() takes the lock before it ends the pipe.
            if (state == OPEN)
            {
                took = write(CALLER_BUFFER.get(), false);
            }
        }
        catch (final IOException e)
        {
            failure = e;
        }
        finally
        {
            writer.set(false);
        }
        if (failure != null)
        {
            final IOException e = failure;
            loop.execute(() -> close(CloseReason.IO_ERROR, e));
        }
        else if (flushWanted)
        {
            loop.scheduleWrite(this);
        }
        return took;
    }

    /**
     * Writes, holding {@link #writer}. On the loop a partial write arms OP_WRITE; on a sending
     * thread it leaves that to the loop (selection keys are the loop's), waking it only if it
     * has not armed OP_WRITE already.
     *
     * @return whether a message was taken from the send queue
     */
    private boolean write(final ByteBuffer wb, final boolean onLoop) throws IOException
    {
        final PipeHandler h = handler;
        if (state != OPEN || h == null)
        {
            return false;
        }
        if (pendingOut != null && pendingOut.hasRemaining())
        {
            // A sending thread does not know whether the socket has drained since the last
            // partial write: it probes with a small write first, so that a still-full socket
            // costs one syscall and no copy of the whole rest (a heap buffer is copied by the
            // channel on every write).
            if (!onLoop && pendingOut.remaining() > PROBE_BYTES && !probe())
            {
                stalled(false);
                return false;
            }
            channel.write(pendingOut);
            if (pendingOut.hasRemaining())
            {
                stalled(onLoop);
                return false;
            }
            reportWritten(h);
        }
        final long before = polledMessages;
        while (true)
        {
            wb.clear();
            final boolean drained = fill(h, wb);
            wb.flip();
            if (!wb.hasRemaining())
            {
                idle(onLoop);
                return polledMessages != before;
            }
            channel.write(wb);
            if (wb.hasRemaining())
            {
                keepPending(wb);
                stalled(onLoop);
                return polledMessages != before;
            }
            reportWritten(h);
            if (drained)
            {
                idle(onLoop);
                return polledMessages != before;
            }
        }
    }

    /** Writes the first {@link #PROBE_BYTES} of {@code pendingOut}; true if all went. */
    private boolean probe() throws IOException
    {
        final int limit = pendingOut.limit();
        pendingOut.limit(pendingOut.position() + PROBE_BYTES);
        try
        {
            channel.write(pendingOut);
            return !pendingOut.hasRemaining();
        }
        finally
        {
            pendingOut.limit(limit);
        }
    }

    /** The socket took less than offered: the rest is written when it is writable again. */
    private void stalled(final boolean onLoop)
    {
        if (onLoop)
        {
            interestWrite(true);
        }
        else if (!writeArmed)
        {
            loop.scheduleWrite(this);
        }
    }

    /** Everything queued was written. */
    private void idle(final boolean onLoop)
    {
        if (onLoop)
        {
            interestWrite(false);
        }
        // A sending thread leaves OP_WRITE as it is: if armed, the loop finds nothing to write.
    }

    private boolean fill(final PipeHandler h, final ByteBuffer wb)
    {
        final Framing framing = support.framing();
        while (true)
        {
            OutboundMessage m = current;
            if (m == null)
            {
                m = h.pollOutbound();
                if (m == null)
                {
                    return true;
                }
                polledMessages++;
                current = m;
                currentOffset = -1;
            }
            if (currentOffset < 0)
            {
                if (wb.remaining() < framing.headerSize())
                {
                    return false;
                }
                framing.putHeader(wb, m.length());
                currentOffset = 0;
            }
            final int k = Math.min(wb.remaining(), m.length() - currentOffset);
            wb.put(m.array(), currentOffset, k);
            currentOffset += k;
            if (currentOffset < m.length())
            {
                return false;
            }
            unreportedMessages++;
            unreportedBytes += m.length();
            m.release();
            current = null;
        }
    }

    private void keepPending(final ByteBuffer wb)
    {
        final int rest = wb.remaining();
        if (pendingOut == null || pendingOut.capacity() < rest)
        {
            pendingOut = ByteBuffer.allocate(Math.max(rest, 4096));
        }
        pendingOut.clear();
        pendingOut.put(wb).flip();
    }

    private void reportWritten(final PipeHandler h)
    {
        if (unreportedMessages > 0)
        {
            final int m = unreportedMessages;
            final long b = unreportedBytes;
            unreportedMessages = 0;
            unreportedBytes = 0;
            h.onWritten(m, b);
        }
    }

    private void interestWrite(final boolean on)
    {
        if (key == null || !key.isValid())
        {
            return;
        }
        final int ops = key.interestOps();
        final int want = on ? ops | SelectionKey.OP_WRITE : ops & ~SelectionKey.OP_WRITE;
        writeArmed = on;
        if (want != ops)
        {
            key.interestOps(want);
        }
    }

    // ---------------------------------------------------------------- ending (loop thread)

    /** Ends a connection that never became an open pipe. */
    private void fail(final BusException cause)
    {
        if (state == CLOSED)
        {
            return;
        }
        state = CLOSED;
        closeQuietly();
        owner.handshakeFailed(this, cause);
        owner.removed(this);
    }

    /** Ends the pipe; in the handshake phase this is a failed handshake. */
    void close(final CloseReason reason, final Throwable cause)
    {
        if (state == CLOSED)
        {
            return;
        }
        if (state != OPEN)
        {
            fail(reason == CloseReason.LOCAL ? new BusClosedException("closed during the SP header exchange")
                : new ProtocolException(String.valueOf(cause)));
            return;
        }
        // Take the writer lock for good: a sending thread inside writeNow() finishes its
        // non-blocking write first, and none starts after this.
        while (!writer.compareAndSet(false, true))
        {
            Thread.yield();
        }
        state = CLOSED;
        closeQuietly();
        if (current != null)
        {
            current.release();
            current = null;
        }
        decoder.reset();
        pendingIn = null;
        pendingOut = null;
        final PipeHandler h = handler;
        if (h != null)
        {
            h.onClosed(reason, cause);
        }
        else
        {
            closedReason = reason;
            closedCause = cause;
        }
        owner.removed(this);
    }

    private void closeQuietly()
    {
        if (key != null)
        {
            key.cancel();
        }
        try
        {
            // Tell the peer at once even where the descriptor's close is deferred until the
            // selector lets go of it (junixsocket does so).
            if (channel.isConnected())
            {
                channel.shutdownOutput();
            }
        }
        catch (final IOException e)
        {
            // already gone
        }
        try
        {
            channel.close();
        }
        catch (final IOException e)
        {
            // nothing more to do
        }
    }

    private BusException mapConnectError(final Throwable e)
    {
        return support.mapConnectError(target(), e);
    }

    /** What this pipe connects to, for messages: the dialed URL, or the peer's address. */
    private String target()
    {
        return dialTarget != null ? dialTarget : remote;
    }

    @Override
    public String toString()
    {
        return "StreamPipe[" + local + " <-> " + remote + "]";
    }
}
