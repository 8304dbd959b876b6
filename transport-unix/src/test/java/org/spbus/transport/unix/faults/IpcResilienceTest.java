package org.spbus.transport.unix.faults;

import org.spbus.tck.ResilienceTck;
import org.spbus.transport.unix.UnixFixture;

/**
 * The fault and load suite over {@code ipc://}: redial with backoff after the listener (and its
 * socket file) goes and comes back, a slow receiver catching up, close racing every other call
 * (no socket file may be left by a listen that raced the close), 100 and 1 000 pipes (see
 * {@link ResilienceTck}).
 */
class IpcResilienceTest extends ResilienceTck
{
    IpcResilienceTest()
    {
        super(UnixFixture.IPC);
    }
}
