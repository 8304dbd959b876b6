package org.spbus.transport.tcp.faults;

import org.spbus.tck.ResilienceTck;

/**
 * The fault and load suite over {@code tcp://}: redial with backoff, a slow receiver catching
 * up, close racing every other call, 100 and 1 000 pipes (see {@link ResilienceTck}).
 */
class TcpResilienceTest extends ResilienceTck
{
    TcpResilienceTest()
    {
        super(TcpFaultFixture.INSTANCE);
    }
}
