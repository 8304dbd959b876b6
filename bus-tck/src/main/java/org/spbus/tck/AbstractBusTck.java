package org.spbus.tck;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.spbus.Bus;
import org.spbus.BusOptions;
import org.spbus.BusSocket;
import org.spbus.Counter;
import org.spbus.Dialer;
import org.spbus.Listener;

/**
 * The base of the BUS suites (layer 2): holds the {@link TransportFixture} and gives tests
 * small helpers to open sockets, connect them over the transport under test and read counters.
 * Users do not subclass this class directly; they subclass the suites ({@link BusSemanticsTck},
 * {@link SocketCloseTck}, {@link TopologyTck}, {@link ConcurrencyTck}, {@link MessageTck},
 * {@link EndpointTck}).
 *
 * <p>Each test is bounded by a class-level {@link Timeout} of 30 seconds and every wait by
 * {@link Await#timeout()}. Sockets opened with {@link #open(BusOptions)} are closed by the test
 * (try-with-resources) and, as a safety net, again after it. A fixture whose
 * {@link TransportFixture#unavailableReason()} is present skips every test with that reason.
 *
 * <p>After each test, {@link LeakCheck} fails the test if it left a {@code spbus-*} thread, an
 * open socket or pipe descriptor, or a Unix socket file behind (NF-5), each after a bounded
 * wait. The checks look at the whole JVM: run the suites' tests one at a time (the default).
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
public abstract class AbstractBusTck
{
    /** The transport under test. */
    protected final TransportFixture fixture;

    /** Fails a test that leaves threads, descriptors or socket files behind; see {@link LeakCheck}. */
    @RegisterExtension
    protected final LeakCheck leakCheck = new LeakCheck();

    private final List<BusSocket> opened = Collections.synchronizedList(new ArrayList<>());

    /**
     * Creates the suite for one transport.
     *
     * @param fixture describes the transport under test
     * @throws NullPointerException if {@code fixture} is {@code null}
     */
    protected AbstractBusTck(final TransportFixture fixture)
    {
        this.fixture = Objects.requireNonNull(fixture, "fixture");
    }

    /** Skips every test when the fixture cannot run on this machine. */
    @BeforeEach
    void tckCheckFixtureAvailable()
    {
        final java.util.Optional<String> why = fixture.unavailableReason();
        Assumptions.assumeTrue(why.isEmpty(), () -> fixture.name() + " unavailable here: " + why.orElse(""));
    }

    /**
     * Closes any socket a failed test left open (in reverse order), checks that no socket file
     * is left (before the fixture's cleanup would delete it), then cleans the fixture.
     */
    @AfterEach
    void tckCloseLeftovers()
    {
        final List<BusSocket> copy;
        synchronized (opened)
        {
            copy = new ArrayList<>(opened);
            opened.clear();
        }
        Collections.reverse(copy);
        try
        {
            for (final BusSocket s : copy)
            {
                s.close();
            }
            leakCheck.assertNoSocketFilesLeft();
        }
        finally
        {
            fixture.cleanup();
        }
    }

    /**
     * Skips the current test unless the transport has {@code capability}.
     *
     * @param capability what the test needs
     * @param why        what the test does with it, for the skip message
     */
    protected void assumeCapability(final Capability capability, final String why)
    {
        Assumptions.assumeTrue(fixture.has(capability),
            () -> fixture.name() + " lacks " + capability + ", needed to " + why);
    }

    /**
     * Returns the options most tests use: the defaults, except a fast reconnect window (20 ms,
     * growing to 100 ms) so that tests which make a dialer wait do not wait for NNG's 1 s.
     *
     * @return a builder to refine
     */
    protected static BusOptions.Builder options()
    {
        return BusOptions.builder().reconnectMin(Duration.ofMillis(20)).reconnectMax(Duration.ofMillis(100));
    }

    /**
     * Opens a socket with {@link #options()}.
     *
     * @return the open socket
     */
    protected BusSocket open()
    {
        return open(options().build());
    }

    /**
     * Opens a socket that the suite closes after the test if the test did not.
     *
     * @param options the socket's options
     * @return the open socket
     */
    protected BusSocket open(final BusOptions options)
    {
        final BusSocket s = Bus.open(options);
        opened.add(s);
        return s;
    }

    /**
     * Makes {@code socket} listen on a fresh {@link TransportFixture#newListenUrl()}.
     *
     * @param socket the socket
     * @return its listener
     */
    protected Listener listen(final BusSocket socket)
    {
        return socket.listen(fixture.newListenUrl());
    }

    /**
     * A listener and the dialer connected to it, returned by {@link #connect(BusSocket, BusSocket)}.
     *
     * @param listener the listening side's listener
     * @param dialer   the dialing side's dialer
     */
    public record Link(Listener listener, Dialer dialer)
    {
    }

    /**
     * Connects two sockets over the transport under test: {@code listening} listens on a fresh
     * URL, {@code dialing} dials it, and the call returns once each socket has one more pipe
     * than before (a blocking dial attaches the dialer's pipe; the listener's may follow a
     * moment later, so the helper waits for both).
     *
     * @param listening the socket that listens
     * @param dialing   the socket that dials
     * @return the listener and the dialer
     */
    protected Link connect(final BusSocket listening, final BusSocket dialing)
    {
        final Listener l = listen(listening);
        return new Link(l, dial(dialing, l.url(), listening));
    }

    /**
     * Dials {@code url} from {@code dialing} and waits until the pipe is attached at both ends.
     *
     * @param dialing   the socket that dials
     * @param url       a bound listener's URL
     * @param listening the socket that owns that listener
     * @return the dialer
     */
    protected Dialer dial(final BusSocket dialing, final String url, final BusSocket listening)
    {
        final long before = pipes(listening);
        final long beforeDialing = pipes(dialing);
        final Dialer d = dialing.dial(url);
        awaitPipes(dialing, beforeDialing + 1, "BU-7 dial: a blocking dial to " + url + " returned before its pipe was attached");
        awaitPipes(listening, before + 1, "BU-7 listen: the listener at " + url + " never attached the dialed pipe");
        return d;
    }

    /**
     * Waits until {@code socket} has exactly {@code count} pipes.
     *
     * @param socket the socket
     * @param count  the number of pipes expected
     * @param rule   the rule broken if it never has them
     */
    protected static void awaitPipes(final BusSocket socket, final long count, final String rule)
    {
        Await.until(() -> pipes(socket) == count, Await.timeout(),
            () -> rule + ": expected " + count + " pipe(s), socket has " + pipes(socket));
    }

    /**
     * Returns the number of pipes a socket has now.
     *
     * @param socket the socket
     * @return {@link Counter#PIPES_CURRENT}
     */
    protected static long pipes(final BusSocket socket)
    {
        return stat(socket, Counter.PIPES_CURRENT);
    }

    /**
     * Reads one counter.
     *
     * @param socket  the socket
     * @param counter the counter
     * @return its value now
     */
    protected static long stat(final BusSocket socket, final Counter counter)
    {
        return socket.stats().get(counter);
    }

    /**
     * Asserts that a counter settles at exactly {@code expected}: waits until it reaches that
     * value (counters may trail the event they count by a moment: a message can be received
     * before its {@link Counter#MESSAGES_RECEIVED} increment is visible), then checks it is
     * not above.
     *
     * @param socket   the socket
     * @param counter  the counter
     * @param expected the value it must settle at
     * @param rule     the rule broken otherwise
     */
    protected static void assertStat(final BusSocket socket, final Counter counter, final long expected, final String rule)
    {
        Await.until(() -> stat(socket, counter) >= expected, Await.timeout(),
            () -> rule + ": " + counter + " expected " + expected + ", is " + stat(socket, counter));
        org.junit.jupiter.api.Assertions.assertEquals(expected, stat(socket, counter), () -> rule + ": " + counter);
    }

    /**
     * Encodes text as a message body (UTF-8).
     *
     * @param text the text
     * @return the bytes
     */
    protected static byte[] bytes(final String text)
    {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /**
     * Decodes a message body as UTF-8 text.
     *
     * @param body the body
     * @return the text
     */
    protected static String text(final byte[] body)
    {
        return new String(body, StandardCharsets.UTF_8);
    }

    /**
     * Encodes a sequenced message: sender id and sequence number (8 bytes, big-endian), then
     * {@code padding} filler bytes.
     *
     * @param sender  who sent it
     * @param seq     its number in that sender's order
     * @param padding extra bytes
     * @return the body
     */
    protected static byte[] sequenced(final int sender, final int seq, final int padding)
    {
        final ByteBuffer b = ByteBuffer.allocate(8 + padding);
        b.putInt(sender).putInt(seq);
        for (int i = 0; i < padding; i++)
        {
            b.put((byte)(seq + i));
        }
        return b.array();
    }

    /**
     * Returns the sender id of a body made by {@link #sequenced(int, int, int)}.
     *
     * @param body the body
     * @return the sender id
     */
    protected static int senderOf(final byte[] body)
    {
        return ByteBuffer.wrap(body).getInt(0);
    }

    /**
     * Returns the sequence number of a body made by {@link #sequenced(int, int, int)}.
     *
     * @param body the body
     * @return the sequence number
     */
    protected static int seqOf(final byte[] body)
    {
        return ByteBuffer.wrap(body).getInt(4);
    }

    /**
     * Returns the names of the live threads whose name starts with {@code spbus-}: the threads
     * spbus starts (I/O loops, dialer timers).
     *
     * @return the names, sorted
     */
    protected static Set<String> spbusThreads()
    {
        final Set<String> names = new TreeSet<>();
        for (final Thread t : Thread.getAllStackTraces().keySet())
        {
            if (t.isAlive() && t.getName().startsWith("spbus-"))
            {
                names.add(t.getName());
            }
        }
        return names;
    }
}
