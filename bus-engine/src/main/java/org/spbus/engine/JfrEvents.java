package org.spbus.engine;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.FlightRecorder;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.Period;
import jdk.jfr.StackTrace;

import org.spbus.Counter;

/**
 * Java Flight Recorder events: pipe added and removed, handshake rejected, and drops, which
 * are aggregated (a periodic event per socket with its drop counters, every second while a
 * recording asks for it), never one event per message. When no recording is running, each
 * event costs a check of {@code isEnabled()}.
 */
final class JfrEvents
{
    private static final Set<BusSocketImpl> SOCKETS = ConcurrentHashMap.newKeySet();

    static
    {
        FlightRecorder.addPeriodicEvent(Drops.class, JfrEvents::emitDrops);
    }

    private JfrEvents()
    {
    }

    static void opened(final BusSocketImpl s)
    {
        SOCKETS.add(s);
    }

    static void closed(final BusSocketImpl s)
    {
        SOCKETS.remove(s);
    }

    private static void emitDrops()
    {
        for (final BusSocketImpl s : SOCKETS)
        {
            final Drops e = new Drops();
            e.socket = s.socketId;
            e.sendQueueFull = s.counters.get(Counter.DROPPED_SEND_QUEUE_FULL);
            e.recvQueueFull = s.counters.get(Counter.DROPPED_RECV_QUEUE_FULL);
            e.noPeers = s.counters.get(Counter.DROPPED_NO_PEERS);
            e.pipeClosed = s.counters.get(Counter.DROPPED_PIPE_CLOSED);
            e.commit();
        }
    }

    static void pipeAdded(final BusSocketImpl s, final EnginePipe p)
    {
        final PipeAdded e = new PipeAdded();
        if (e.isEnabled())
        {
            e.socket = s.socketId;
            e.pipe = p.id;
            e.local = p.transport.localAddress();
            e.remote = p.transport.remoteAddress();
            e.commit();
        }
    }

    static void pipeRemoved(final BusSocketImpl s, final EnginePipe p, final String reason)
    {
        final PipeRemoved e = new PipeRemoved();
        if (e.isEnabled())
        {
            e.socket = s.socketId;
            e.pipe = p.id;
            e.remote = p.transport.remoteAddress();
            e.reason = reason;
            e.commit();
        }
    }

    static void handshakeRejected(final BusSocketImpl s, final String endpoint, final Throwable cause)
    {
        final HandshakeRejected e = new HandshakeRejected();
        if (e.isEnabled())
        {
            e.socket = s.socketId;
            e.endpoint = endpoint;
            e.reason = String.valueOf(cause);
            e.commit();
        }
    }

    /** A pipe was attached to a socket. */
    @Name("org.spbus.PipeAdded")
    @Label("Pipe Added")
    @Category("spbus")
    @StackTrace(false)
    static final class PipeAdded extends Event
    {
        @Label("Socket")
        int socket;
        @Label("Pipe")
        int pipe;
        @Label("Local Address")
        String local;
        @Label("Remote Address")
        String remote;
    }

    /** A pipe was detached from a socket. */
    @Name("org.spbus.PipeRemoved")
    @Label("Pipe Removed")
    @Category("spbus")
    @StackTrace(false)
    static final class PipeRemoved extends Event
    {
        @Label("Socket")
        int socket;
        @Label("Pipe")
        int pipe;
        @Label("Remote Address")
        String remote;
        @Label("Reason")
        String reason;
    }

    /** A connection failed or was refused during the SP header exchange. */
    @Name("org.spbus.HandshakeRejected")
    @Label("Handshake Rejected")
    @Category("spbus")
    @StackTrace(false)
    static final class HandshakeRejected extends Event
    {
        @Label("Socket")
        int socket;
        @Label("Endpoint")
        String endpoint;
        @Label("Reason")
        String reason;
    }

    /** A socket's drop counters (totals since it opened), sampled periodically. */
    @Name("org.spbus.Drops")
    @Label("Drops")
    @Category("spbus")
    @Description("Messages dropped by a socket so far, by reason; sampled, never one event per message")
    @Period("1 s")
    @StackTrace(false)
    static final class Drops extends Event
    {
        @Label("Socket")
        int socket;
        @Label("Send Queue Full")
        long sendQueueFull;
        @Label("Receive Queue Full")
        long recvQueueFull;
        @Label("No Peers")
        long noPeers;
        @Label("Pipe Closed")
        long pipeClosed;
    }
}
