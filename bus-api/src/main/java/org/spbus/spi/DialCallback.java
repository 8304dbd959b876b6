package org.spbus.spi;

import org.spbus.BusException;

/**
 * Receives the outcome of one {@link TransportDialer#connect(DialCallback)} attempt: exactly
 * one of the two methods is called, once, on a transport thread or on the caller's thread.
 * Must return quickly and must not throw.
 */
public interface DialCallback
{
    /**
     * The connection is up and the header exchange succeeded. The callback attaches the pipe
     * and calls {@link TransportPipe#start(PipeHandler)}, or closes it.
     *
     * @param pipe the new pipe, not yet started
     */
    void connected(TransportPipe pipe);

    /**
     * The attempt failed, or the dialer was closed while it ran.
     *
     * @param cause {@link org.spbus.ConnectionRefusedException}, {@link org.spbus.ProtocolException},
     *              {@link org.spbus.TransportException} or {@link org.spbus.BusClosedException}
     */
    void failed(BusException cause);
}
