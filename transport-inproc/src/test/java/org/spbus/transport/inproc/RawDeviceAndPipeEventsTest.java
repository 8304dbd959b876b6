package org.spbus.transport.inproc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.spbus.Bus;
import org.spbus.BusOptions;
import org.spbus.BusSocket;
import org.spbus.BusTimeoutException;
import org.spbus.Counter;
import org.spbus.Device;
import org.spbus.Message;
import org.spbus.Pipe;
import org.spbus.PipeListener;
import org.spbus.tck.Await;

/**
 * Raw mode, the device and pipe events (engine features, exercised over inproc).
 */
@Timeout(30)
class RawDeviceAndPipeEventsTest
{
    private static final Duration WAIT = Duration.ofSeconds(5);
    private static final Duration QUIET = Duration.ofMillis(200);
    private static final AtomicInteger NAMES = new AtomicInteger();

    private static String url()
    {
        return "inproc://raw-test-" + NAMES.incrementAndGet();
    }

    private static byte[] utf8(final String s)
    {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static BusSocket raw()
    {
        return Bus.open(BusOptions.builder().raw(true).build());
    }

    @Test
    void rawSendBackUnchangedSkipsTheOriginPipe()
    {
        final String u = url();
        try (BusSocket hub = raw(); BusSocket a = Bus.open(); BusSocket b = Bus.open())
        {
            hub.listen(u);
            a.dial(u);
            b.dial(u);
            a.send(utf8("from-a"));
            final Message m = hub.recvMessage(WAIT);
            assertNotEquals(0, m.pipeId(), "raw messages carry their pipe id");
            hub.send(m);
            assertArrayEquals(utf8("from-a"), b.recv(WAIT), "the other pipe gets it");
            assertThrows(BusTimeoutException.class, () -> a.recv(QUIET), "the origin pipe does not");
            hub.send(new Message(utf8("to-all"), 0));
            assertArrayEquals(utf8("to-all"), a.recv(WAIT));
            assertArrayEquals(utf8("to-all"), b.recv(WAIT));
        }
    }

    @Test
    void cookedSendOfAMessageIgnoresItsPipeId()
    {
        final String u = url();
        try (BusSocket hub = Bus.open(); BusSocket a = Bus.open())
        {
            hub.listen(u);
            a.dial(u);
            a.send(utf8("x"));
            final Message m = hub.recvMessage(WAIT);
            hub.send(m);
            assertArrayEquals(utf8("x"), a.recv(WAIT), "cooked sockets never exclude (NNG #441)");
        }
    }

    @Test
    void reflectorTurnsAStarIntoABus()
    {
        final String u = url();
        try (BusSocket hub = raw(); Device d = Device.reflect(hub); BusSocket a = Bus.open(); BusSocket b = Bus.open();
            BusSocket c = Bus.open())
        {
            hub.listen(u);
            a.dial(u);
            b.dial(u);
            c.dial(u);
            a.send(utf8("hello-star"));
            assertArrayEquals(utf8("hello-star"), b.recv(WAIT));
            assertArrayEquals(utf8("hello-star"), c.recv(WAIT));
            assertThrows(BusTimeoutException.class, () -> a.recv(QUIET), "never reflected to its origin");
            assertTrue(d.isRunning());
            Await.until(() -> d.relayed() == 1, "relayed one message");
        }
    }

    @Test
    void bridgeJoinsTwoBuses()
    {
        final String left = url();
        final String right = url();
        try (BusSocket l = raw(); BusSocket r = raw(); Device d = Device.bridge(l, r); BusSocket a = Bus.open();
            BusSocket b = Bus.open())
        {
            l.listen(left);
            r.listen(right);
            a.dial(left);
            b.dial(right);
            a.send(utf8("left-to-right"));
            assertArrayEquals(utf8("left-to-right"), b.recv(WAIT));
            b.send(utf8("right-to-left"));
            assertArrayEquals(utf8("right-to-left"), a.recv(WAIT));
        }
    }

    @Test
    void deviceRefusesCookedSockets()
    {
        try (BusSocket s = Bus.open())
        {
            assertThrows(IllegalArgumentException.class, () -> Device.reflect(s));
        }
    }

    @Test
    void pipeEventsArriveInOrder()
    {
        final String u = url();
        final List<String> events = new CopyOnWriteArrayList<>();
        try (BusSocket hub = Bus.open())
        {
            hub.setPipeListener(new PipeListener()
            {
                @Override
                public void adding(final Pipe p)
                {
                    events.add("adding " + p.id());
                }

                @Override
                public void added(final Pipe p)
                {
                    events.add("added " + p.id());
                }

                @Override
                public void removed(final Pipe p, final String reason)
                {
                    events.add("removed " + p.id() + " " + reason);
                }
            });
            hub.listen(u);
            final BusSocket a = Bus.open();
            a.dial(u);
            Await.until(() -> events.size() == 2, WAIT, "adding and added reported");
            final int id = hub.pipes().get(0).id();
            assertEquals(List.of("adding " + id, "added " + id), events);
            a.close();
            Await.until(() -> events.size() == 3, WAIT, "removed reported");
            assertTrue(events.get(2).startsWith("removed " + id + " closed by peer"), events.get(2));
        }
    }

    @Test
    void pipeListenerCanRefuseAPeerBeforeAnyMessage()
    {
        final String u = url();
        try (BusSocket hub = Bus.open(); BusSocket a = Bus.open())
        {
            hub.setPipeListener(new PipeListener()
            {
                @Override
                public void adding(final Pipe p)
                {
                    p.close();
                }
            });
            hub.listen(u);
            // As in NNG, the dialing side may see its pipe come up and then go: the refusal is
            // the listener's decision, made after the header exchange.
            try
            {
                a.dial(u);
                a.send(utf8("must-not-arrive"));
            }
            catch (final RuntimeException e)
            {
                // equally fine: the pipe was gone before the dial returned
            }
            Await.until(() -> hub.stats().get(Counter.PEERS_REJECTED) >= 1, WAIT, "refusal counted");
            assertEquals(0, hub.pipes().size());
            assertEquals(0, hub.stats().get(Counter.PIPES_TOTAL));
            assertNull(hub.tryRecv(), "nothing from a refused peer is delivered");
        }
    }

    @Test
    void closingTheSocketFromACallbackDoesNotDeadlock()
    {
        final String u = url();
        final BusSocket hub = Bus.open();
        hub.setPipeListener(new PipeListener()
        {
            @Override
            public void added(final Pipe p)
            {
                hub.close();
            }
        });
        hub.listen(u);
        try (BusSocket a = Bus.open())
        {
            try
            {
                a.dial(u);
            }
            catch (final org.spbus.BusException e)
            {
                // The hub may close before our side of the pipe is attached: a refusal, not a hang.
            }
            Await.until(hub::isClosed, WAIT, "socket closed from inside its pipe listener");
        }
        Await.until(() -> Thread.getAllStackTraces().keySet().stream()
            .noneMatch(t -> t.getName().startsWith("spbus-socket-")), WAIT, "event thread ended");
    }

    @Test
    void pipeListenerAndDialerStatsAddUpWithTheSocket()
    {
        final String u = url();
        try (BusSocket hub = Bus.open(); BusSocket a = Bus.open(); BusSocket b = Bus.open())
        {
            final org.spbus.Listener l = hub.listen(u);
            final org.spbus.Dialer da = a.dial(u);
            b.dial(u);
            a.send(utf8("one"));
            a.send(utf8("two"));
            hub.send(utf8("to-both"));
            assertArrayEquals(utf8("one"), hub.recv(WAIT));
            assertArrayEquals(utf8("two"), hub.recv(WAIT));
            assertArrayEquals(utf8("to-both"), a.recv(WAIT));
            assertArrayEquals(utf8("to-both"), b.recv(WAIT));
            final org.spbus.EndpointStats ls = l.stats();
            assertEquals(2, ls.accepts());
            assertEquals(2, ls.pipesTotal());
            assertEquals(2, ls.pipesCurrent());
            final org.spbus.EndpointStats ds = da.stats();
            assertEquals(1, ds.dialAttempts());
            assertEquals(0, ds.dialFailures());
            assertEquals(1, ds.pipesCurrent());
            final Pipe fromA = hub.pipes().stream().filter(p -> p.stats().messagesReceived() == 2).findFirst().orElseThrow();
            assertEquals(6, fromA.stats().bytesReceived());
            long queued = 0;
            long written = 0;
            for (final Pipe p : hub.pipes())
            {
                queued += p.stats().messagesQueued();
                written += p.stats().messagesWritten();
            }
            assertEquals(hub.stats().get(Counter.PIPE_MESSAGES_QUEUED), queued, "pipe queued adds up to the socket's");
            assertEquals(hub.stats().get(Counter.MESSAGES_WRITTEN), written, "pipe written adds up to the socket's");
            a.close();
            Await.until(() -> l.stats().pipesCurrent() == 1, WAIT, "listener pipe gauge follows a closed peer");
            assertEquals(1, fromA.stats().messagesQueued(), "stats survive the pipe's close");
        }
    }
}
