package org.spbus.transport.tcp.faults;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.spbus.transport.tcp.faults.Faults.WAIT;
import static org.spbus.transport.tcp.faults.Faults.utf8;

import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.spbus.Bus;
import org.spbus.BusOptions;
import org.spbus.BusSocket;
import org.spbus.Counter;
import org.spbus.DialMode;
import org.spbus.Dialer;
import org.spbus.tck.Await;
import org.spbus.tck.LeakCheck;

/**
 * A pipe paused by receive back-pressure (the application does not call {@code recv} and the
 * receive queue is full) must still notice its peer going away: the pipe goes, and a dialer
 * redials. Found by the close-race suite: see the {@code BUG} notes.
 */
@Timeout(30)
@ExtendWith(LeakCheck.class)
class PausedPipeTest
{
    private static final BusOptions SMALL_QUEUE = BusOptions.builder().recvQueueSize(4)
        .reconnectMin(Duration.ofMillis(20)).reconnectMax(Duration.ofMillis(100)).build();

    /** A listener-side pipe, paused, whose dialing peer closes. */
    @Test
    void pausedPipeGoesWhenItsPeerCloses()
    {
        try (BusSocket a = Bus.open(SMALL_QUEUE))
        {
            final String url = a.listen("tcp://127.0.0.1:0").url();
            try (BusSocket b = Bus.open())
            {
                b.dial(url);
                Await.until(() -> a.pipes().size() == 1, WAIT, "attached");
                for (int i = 0; i < 100; i++)
                {
                    b.send(utf8("m" + i));
                }
                Await.until(() -> a.stats().get(Counter.RECV_QUEUE_DEPTH) >= 4, WAIT, () -> "queue full: " + a.stats());
            }
            Await.until(() -> a.pipes().isEmpty(), WAIT,
                () -> "the paused pipe never noticed its peer closed: " + a.pipes() + " " + a.stats());
            assertEquals(1, a.stats().get(Counter.PIPES_CLOSED_BY_PEER));
        }
    }

    /** A dialer-side pipe, paused, whose listener's socket closes and comes back: the dialer must redial. */
    @Test
    void pausedDialerRedialsWhenItsListenerGoes()
    {
        try (BusSocket a = Bus.open(SMALL_QUEUE))
        {
            final String url;
            final Dialer d;
            try (BusSocket b = Bus.open())
            {
                url = b.listen("tcp://127.0.0.1:0").url();
                d = a.dial(url, DialMode.BLOCKING);
                Await.until(() -> b.pipes().size() == 1, WAIT, "attached");
                for (int i = 0; i < 100; i++)
                {
                    b.send(utf8("m" + i));
                }
                Await.until(() -> a.stats().get(Counter.RECV_QUEUE_DEPTH) >= 4, WAIT, () -> "queue full: " + a.stats());
            }
            try (BusSocket b2 = Bus.open())
            {
                b2.listen(url);
                Await.until(() -> b2.pipes().size() == 1, WAIT,
                    () -> "the paused dialer never redialed: connected=" + d.isConnected() + " " + a.stats());
            }
        }
    }
}
