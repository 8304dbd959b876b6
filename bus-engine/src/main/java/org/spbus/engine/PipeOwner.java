package org.spbus.engine;

import org.spbus.spi.CloseReason;

/** The listener or dialer a pipe belongs to. */
interface PipeOwner
{
    /** The owner's counters. */
    EndpointCounters counters();

    /** The pipe was attached to the socket. */
    void pipeAttached(EnginePipe pipe);

    /** The pipe ended. Called on a transport thread; must not block. */
    void pipeClosed(EnginePipe pipe, CloseReason reason);

    /** A handshaken pipe could not be attached (socket closing, pipe closed at once, refused by a pipe listener). */
    void attachFailed(org.spbus.BusException cause);
}
