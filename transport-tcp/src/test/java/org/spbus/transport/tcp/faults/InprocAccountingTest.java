package org.spbus.transport.tcp.faults;

import static org.spbus.transport.tcp.faults.Faults.WAIT;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.spbus.Bus;
import org.spbus.BusOptions;
import org.spbus.BusSocket;
import org.spbus.BusTimeoutException;
import org.spbus.Pipe;
import org.spbus.tck.LeakCheck;

/**
 * The send-side identity over inproc pipes that are closed while messages flow (found by
 * {@link SoakTest} with an inproc member): after everything settles,
 * {@code PIPE_MESSAGES_QUEUED = MESSAGES_WRITTEN + DROPPED_PIPE_CLOSED} must hold.
 */
@Timeout(60)
@ExtendWith(LeakCheck.class)
class InprocAccountingTest
{
    @Test
    void pipesClosedWhileSending_sendSideStaysAccounted() throws InterruptedException
    {
        final BusOptions o = BusOptions.builder().reconnectMin(Duration.ofMillis(1)).reconnectMax(Duration.ofMillis(5)).build();
        final String url = "inproc://accounting-" + System.nanoTime();
        final AtomicBoolean stop = new AtomicBoolean();
        try (BusSocket a = Bus.open(o); BusSocket b = Bus.open(o))
        {
            b.listen(url);
            a.dial(url);
            final Thread sender = new Thread(() ->
            {
                for (int i = 0; !stop.get(); i++)
                {
                    a.send(Faults.body(1, i, 16));
                }
            }, "inproc-sender");
            final Thread receiver = new Thread(() ->
            {
                while (!stop.get())
                {
                    try
                    {
                        b.recv(Duration.ofMillis(10));
                    }
                    catch (final BusTimeoutException e)
                    {
                        // poll the flag
                    }
                }
            }, "inproc-receiver");
            sender.start();
            receiver.start();
            final long end = System.nanoTime() + Duration.ofSeconds(3).toNanos();
            while (System.nanoTime() - end < 0)
            {
                final List<Pipe> ps = b.pipes();
                if (!ps.isEmpty())
                {
                    ps.get(0).close();
                }
                java.util.concurrent.locks.LockSupport.parkNanos(200_000);
            }
            stop.set(true);
            sender.join(WAIT.toMillis());
            receiver.join(WAIT.toMillis());
            Faults.awaitSendSideAccounted(a, "inproc sender");
        }
    }
}
