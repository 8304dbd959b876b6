package org.spbus.transport.tcp.faults;

import java.time.Duration;

import org.spbus.Bus;
import org.spbus.BusOptions;
import org.spbus.BusSocket;

/**
 * The peer of {@link SigkillPeerTest} in a second JVM: opens a BUS socket, dials the URL given,
 * prints {@code READY}, then sends sequenced messages ({@link Faults#body}) in a loop until the
 * test kills it with SIGKILL. Arguments: URL, sender id, padding bytes per message.
 */
public final class PeerMain
{
    private PeerMain()
    {
    }

    /**
     * Runs the peer.
     *
     * @param args URL, sender id, padding
     * @throws InterruptedException never in practice; the process is killed
     */
    public static void main(final String[] args) throws InterruptedException
    {
        final String url = args[0];
        final int id = Integer.parseInt(args[1]);
        final int padding = Integer.parseInt(args[2]);
        final BusSocket s = Bus.open(BusOptions.builder().reconnectMin(Duration.ofMillis(20)).build());
        s.dial(url);
        System.out.println("READY");
        System.out.flush();
        for (int seq = 0; ; seq++)
        {
            s.send(Faults.body(id, seq, padding));
            if ((seq & 15) == 15)
            {
                // Pacing of the child's own send loop, not synchronisation.
                java.util.concurrent.locks.LockSupport.parkNanos(1_000_000L);
            }
        }
    }
}
