package org.spbus.tck;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.spbus.BusClosedException;
import org.spbus.BusSocket;
import org.spbus.Counter;
import org.spbus.DialMode;
import org.spbus.Dialer;
import org.spbus.Listener;

/**
 * The seed's {@code TestSocketClose} over the transport under test: closing a socket wakes
 * every blocked receiver with {@link BusClosedException}, makes every operation throw it, is
 * idempotent and thread-safe, closes the socket's pipes (the peer sees them go) and, once every
 * socket is closed, leaves no spbus thread behind (seed NF-5, "no goroutine leaks").
 *
 * <p>The thread check compares against the {@code spbus-*} threads alive before the test, so
 * it holds even if an earlier test leaked; but a socket opened concurrently by another test in
 * the same JVM would confuse it: run this suite's tests sequentially (JUnit's default).
 */
public abstract class SocketCloseTck extends AbstractBusTck
{
    /**
     * Creates the suite for one transport.
     *
     * @param fixture describes the transport under test
     */
    protected SocketCloseTck(final TransportFixture fixture)
    {
        super(fixture);
    }

    /**
     * Every thread blocked in a receive (with and without a timeout, {@code recv} and
     * {@code recvMessage}) is woken by {@code close()} with {@link BusClosedException}.
     *
     * @throws InterruptedException if the test thread is interrupted
     */
    @Test
    public void required_close_wakesEveryBlockedReceiverWithBusClosed() throws InterruptedException
    {
        try (BusSocket a = open(); BusSocket b = open())
        {
            connect(a, b);
            final Map<String, Executable> receivers = new LinkedHashMap<>();
            receivers.put("recv()", a::recv);
            receivers.put("recv(1 min)", () -> a.recv(Duration.ofMinutes(1)));
            receivers.put("recvMessage()", a::recvMessage);
            receivers.put("recvMessage(1 min)", () -> a.recvMessage(Duration.ofMinutes(1)));
            final List<Thread> threads = new ArrayList<>();
            final Map<String, AtomicReference<Throwable>> outcomes = new LinkedHashMap<>();
            for (final Map.Entry<String, Executable> e : receivers.entrySet())
            {
                final AtomicReference<Throwable> outcome = new AtomicReference<>();
                outcomes.put(e.getKey(), outcome);
                final Thread t = new Thread(() ->
                {
                    try
                    {
                        e.getValue().execute();
                        outcome.set(new AssertionError("returned normally"));
                    }
                    catch (final Throwable x)
                    {
                        outcome.set(x);
                    }
                }, "tck-receiver-" + e.getKey());
                t.setDaemon(true);
                threads.add(t);
                t.start();
            }
            for (final Thread t : threads)
            {
                Await.until(() -> t.getState() == Thread.State.WAITING || t.getState() == Thread.State.TIMED_WAITING,
                    "test setup: " + t.getName() + " never blocked in its receive (state " + t.getState() + ")");
            }
            a.close();
            for (final Thread t : threads)
            {
                t.join(Await.timeout().toMillis());
                assertTrue(!t.isAlive(), "close: " + t.getName() + " is still blocked after close()");
            }
            for (final Map.Entry<String, AtomicReference<Throwable>> e : outcomes.entrySet())
            {
                final Throwable x = e.getValue().get();
                if (!(x instanceof BusClosedException))
                {
                    fail("close: a receiver blocked in " + e.getKey() + " must get BusClosedException, got " + x, x);
                }
            }
        }
    }

    /**
     * After {@code close()}, every operation of the socket throws {@link BusClosedException};
     * {@code isClosed()} and {@code stats()} still answer; its listener and dialer report closed.
     */
    @Test
    public void required_afterClose_everyOperationThrowsBusClosed()
    {
        final BusSocket a = open();
        final BusSocket b = open();
        try (a; b)
        {
            final Link link = connect(a, b);
            b.send(bytes("queued"));
            a.close();
            assertTrue(a.isClosed(), "close: isClosed() must be true after close()");
            assertTrue(link.listener().isClosed(), "close: the socket's listener must report closed");
            final Map<String, Executable> ops = new LinkedHashMap<>();
            ops.put("send(byte[])", () -> a.send(bytes("x")));
            ops.put("send(byte[], int, int)", () -> a.send(bytes("xyz"), 1, 1));
            ops.put("send(ByteBuffer)", () -> a.send(ByteBuffer.wrap(bytes("x"))));
            ops.put("recv()", a::recv);
            ops.put("recv(Duration)", () -> a.recv(Duration.ofSeconds(1)));
            ops.put("recv(Duration.ZERO)", () -> a.recv(Duration.ZERO));
            ops.put("tryRecv()", a::tryRecv);
            ops.put("recvMessage()", a::recvMessage);
            ops.put("recvMessage(Duration)", () -> a.recvMessage(Duration.ofSeconds(1)));
            ops.put("tryRecvMessage()", a::tryRecvMessage);
            ops.put("listen(url)", () -> a.listen(fixture.newListenUrl()));
            ops.put("dial(url)", () -> a.dial(fixture.newUnusedUrl()));
            ops.put("dial(url, NON_BLOCKING)", () -> a.dial(fixture.newUnusedUrl(), DialMode.NON_BLOCKING));
            for (final Map.Entry<String, Executable> op : ops.entrySet())
            {
                assertThrows(BusClosedException.class, op.getValue(),
                    "close: " + op.getKey() + " on a closed socket must throw BusClosedException");
            }
            assertNotNull(a.stats(), "close: stats() must still answer after close()");
            assertEquals(1, a.stats().get(Counter.PIPES_TOTAL), "close: the counters must survive close()");
            assertDoesNotThrow(link.listener()::close, "close: closing a closed socket's listener must be a no-op");
        }
    }

    /**
     * {@code close()} is idempotent and may be called from several threads at once: none of the
     * calls throws, and every call returns with the socket closed.
     *
     * @throws InterruptedException if the test thread is interrupted
     */
    @Test
    public void required_close_isIdempotentAndThreadSafe() throws InterruptedException
    {
        final BusSocket a = open();
        final BusSocket b = open();
        try (b)
        {
            connect(a, b);
            final CountDownLatch start = new CountDownLatch(1);
            final List<Thread> closers = new ArrayList<>();
            final List<Throwable> failures = java.util.Collections.synchronizedList(new ArrayList<>());
            for (int i = 0; i < 4; i++)
            {
                final Thread t = new Thread(() ->
                {
                    try
                    {
                        start.await();
                        a.close();
                        if (!a.isClosed())
                        {
                            failures.add(new AssertionError("close() returned with isClosed() false"));
                        }
                    }
                    catch (final Throwable x)
                    {
                        failures.add(x);
                    }
                }, "tck-closer-" + i);
                t.setDaemon(true);
                closers.add(t);
                t.start();
            }
            start.countDown();
            for (final Thread t : closers)
            {
                t.join(Await.timeout().toMillis());
                assertTrue(!t.isAlive(), "close: concurrent close() calls did not all return");
            }
            assertTrue(failures.isEmpty(), "close: concurrent close() failed: " + failures);
            assertDoesNotThrow(a::close, "close: a second close() must be a no-op");
            awaitPipes(b, 0, "close: the peer of a closed socket still has its pipe");
        }
    }

    /**
     * Closing a socket closes its pipes: each peer sees its pipe go, whichever side dialed;
     * the peer's dialer is no longer connected.
     */
    @Test
    public void required_close_closesPipes_peersSeeThemGo()
    {
        try (BusSocket hub = open(); BusSocket dialsHub = open(); BusSocket dialedByHub = open())
        {
            final Link in = connect(hub, dialsHub);
            connect(dialedByHub, hub);
            awaitPipes(hub, 2, "test setup");
            hub.close();
            awaitPipes(dialsHub, 0, "close: the socket that dialed the closed socket still has its pipe");
            awaitPipes(dialedByHub, 0, "close: the socket the closed socket dialed still has its pipe");
            Await.until(() -> !in.dialer().isConnected(), "close: a peer's dialer still reports connected");
            dialsHub.send(bytes("into-the-void"));
            assertEquals(1, stat(dialsHub, Counter.DROPPED_NO_PEERS),
                "BU-5: a send after the only peer closed must count DROPPED_NO_PEERS");
        }
    }

    /**
     * NF-5 clean shutdown: once every socket is closed, no thread named {@code spbus-*} that the
     * test caused is left alive (I/O loops, dialer timers), even with a dialer that was redialing
     * a URL where nobody listens.
     */
    @Test
    public void required_NF5_noSpbusThreadLeftAfterAllSocketsClosed()
    {
        final Set<String> before = spbusThreads();
        try (BusSocket a = open(); BusSocket b = open(); BusSocket c = open())
        {
            connect(a, b);
            connect(b, c);
            connect(c, a);
            a.send(bytes("x"));
            assertEquals("x", text(b.recv(Await.timeout())), "BU-2: a peer missed a message");
            final Dialer redialing = c.dial(fixture.newUnusedUrl(), DialMode.NON_BLOCKING);
            Await.until(() -> stat(c, Counter.DIAL_FAILURES) >= 2,
                "test setup: a non-blocking dial to a URL nobody listens on was not retried");
            assertTrue(!redialing.isConnected(), "a dialer to a URL nobody listens on reports connected");
            final Listener extra = listen(a);
            extra.close();
        }
        Await.until(() -> leaked(before).isEmpty(), Await.timeout(),
            () -> "NF-5 clean shutdown: threads left after every socket closed: " + leaked(before));
    }

    private static Set<String> leaked(final Set<String> before)
    {
        final Set<String> now = new TreeSet<>(spbusThreads());
        now.removeAll(before);
        return now;
    }
}
