package org.spbus.tck;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.spbus.AddressInUseException;
import org.spbus.BusClosedException;
import org.spbus.ConnectionRefusedException;
import org.spbus.InvalidAddressException;
import org.spbus.ProtocolException;
import org.spbus.spi.CloseReason;
import org.spbus.spi.EndpointConfig;
import org.spbus.spi.OutboundMessage;
import org.spbus.spi.Transport;
import org.spbus.spi.TransportDialer;
import org.spbus.spi.TransportListener;
import org.spbus.spi.TransportPipe;

/**
 * Layer 1: the transport SPI contract ({@link Transport}, {@link TransportListener},
 * {@link TransportDialer}, {@link TransportPipe}), checked against
 * {@link TransportFixture#transport()} directly, without the engine. The test plays the engine
 * with {@link RecordingListenerHandler}, {@link RecordingDialCallback} and
 * {@link RecordingPipeHandler}, which also note every breach of the pipe contract they see
 * (checked after each test).
 *
 * <p>Rules checked: listen binds synchronously and reports its resolved URL; a bound address is
 * exclusive; a dial where nobody listens fails with {@link ConnectionRefusedException}; a dial
 * makes exactly one pipe on each side; messages pass whole and in order both ways, are
 * released once each and reported written; a pipe closed from either side reports
 * {@code onClosed} exactly once at each end; closing a listener or dialer closes its pipes
 * before returning; a peer of another protocol is refused on both sides; an empty address is
 * invalid; and (with {@link Capability#WIRE}) closing a dialer while an attempt is pending
 * fails that attempt with {@link BusClosedException}.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
public abstract class TransportContractTck
{
    /** SP protocol id of BUS version 0 (protocol 7, role 0). */
    protected static final int BUS0 = 0x70;
    /** SP protocol id of PAIR version 1, a protocol BUS must refuse. */
    protected static final int PAIR1 = 0x11;

    /** The transport under test. */
    protected final TransportFixture fixture;
    /** The transport, from {@link TransportFixture#transport()}. */
    protected Transport transport;

    private final List<TransportListener> listeners = Collections.synchronizedList(new ArrayList<>());
    private final List<TransportDialer> dialers = Collections.synchronizedList(new ArrayList<>());
    private final List<RecordingPipeHandler> handlers = Collections.synchronizedList(new ArrayList<>());

    /**
     * Creates the suite for one transport.
     *
     * @param fixture describes the transport under test
     * @throws NullPointerException if {@code fixture} is {@code null}
     */
    protected TransportContractTck(final TransportFixture fixture)
    {
        this.fixture = Objects.requireNonNull(fixture, "fixture");
    }

    /** Skips when the fixture cannot run here; takes the transport. */
    @BeforeEach
    void tckSetUp()
    {
        final java.util.Optional<String> why = fixture.unavailableReason();
        Assumptions.assumeTrue(why.isEmpty(), () -> fixture.name() + " unavailable here: " + why.orElse(""));
        transport = Objects.requireNonNull(fixture.transport(), "fixture.transport()");
    }

    /** Closes what the test made, then fails the test if a handler saw a contract breach. */
    @AfterEach
    void tckTearDown()
    {
        final List<String> breaches = new ArrayList<>();
        synchronized (handlers)
        {
            for (final RecordingPipeHandler h : handlers)
            {
                h.pipe().close();
            }
        }
        synchronized (dialers)
        {
            dialers.forEach(TransportDialer::close);
        }
        synchronized (listeners)
        {
            listeners.forEach(TransportListener::close);
        }
        synchronized (handlers)
        {
            for (final RecordingPipeHandler h : handlers)
            {
                breaches.addAll(h.violations());
            }
        }
        fixture.cleanup();
        assertTrue(breaches.isEmpty(), "pipe contract (TransportPipe javadoc) broken: " + breaches);
    }

    /**
     * Returns the endpoint settings the suite uses: BUS to BUS, 1 MiB receive limit, 5 s
     * handshake timeout.
     *
     * @param protocolId     the id announced
     * @param peerProtocolId the id accepted
     * @return the settings
     */
    protected static EndpointConfig config(final int protocolId, final int peerProtocolId)
    {
        return new EndpointConfig(protocolId, peerProtocolId, 1 << 20, TimeUnit.SECONDS.toNanos(5), true, Map.of());
    }

    /**
     * Binds a listener (BUS) on a fresh URL, closed after the test.
     *
     * @param handler receives its pipes
     * @return the listener
     */
    protected TransportListener listen(final RecordingListenerHandler handler)
    {
        return listen(fixture.newListenUrl(), config(BUS0, BUS0), handler);
    }

    private TransportListener listen(final String url, final EndpointConfig config, final RecordingListenerHandler handler)
    {
        final TransportListener l = transport.listen(url, config, handler);
        assertNotNull(l, "Transport.listen returned null");
        listeners.add(l);
        return l;
    }

    private TransportDialer dialer(final String url, final EndpointConfig config)
    {
        final TransportDialer d = transport.dialer(url, config);
        assertNotNull(d, "Transport.dialer returned null");
        dialers.add(d);
        return d;
    }

    private RecordingPipeHandler start(final TransportPipe pipe, final String name)
    {
        final RecordingPipeHandler h = new RecordingPipeHandler(name);
        handlers.add(h);
        return h.start(pipe);
    }

    /**
     * A connected pair of started pipes, made by {@link #connectPair()}.
     *
     * @param listener   the listener
     * @param dialer     the dialer
     * @param listenSide the handler of the listener's pipe
     * @param dialSide   the handler of the dialer's pipe
     */
    protected record Pair(TransportListener listener, TransportDialer dialer, RecordingPipeHandler listenSide,
        RecordingPipeHandler dialSide)
    {
    }

    /**
     * Listens, dials, and starts both pipes; fails the test if either side gets no pipe.
     *
     * @return the pair
     * @throws InterruptedException if interrupted while waiting
     */
    protected Pair connectPair() throws InterruptedException
    {
        final RecordingListenerHandler lh = new RecordingListenerHandler();
        final TransportListener l = listen(lh);
        final TransportDialer d = dialer(l.url(), config(BUS0, BUS0));
        final RecordingDialCallback cb = new RecordingDialCallback();
        d.connect(cb);
        assertTrue(cb.await(Await.timeout()), "SPI dial: the DialCallback was never called");
        assertNull(cb.failure(), () -> "SPI dial: a dial to a live listener failed: " + cb.failure());
        assertNotNull(cb.pipe(), "SPI dial: connected(null)");
        final TransportPipe lp = lh.nextPipe(Await.timeout());
        assertNotNull(lp, "SPI listen: the listener never reported the dialed pipe (pipeReady)");
        return new Pair(l, d, start(lp, "listener side"), start(cb.pipe(), "dialer side"));
    }

    /**
     * {@code schemes()} is non-empty and lower case, and the fixture's URLs use one of them.
     */
    @Test
    public void required_schemes_areLowerCase_andCoverTheFixtureUrls()
    {
        assertFalse(transport.schemes().isEmpty(), "Transport.schemes() must not be empty");
        for (final String s : transport.schemes())
        {
            assertEquals(s.toLowerCase(Locale.ROOT), s, "Transport.schemes() must be lower case: " + s);
            assertFalse(s.contains(":"), "Transport.schemes() must not include '://': " + s);
        }
        final String url = fixture.newListenUrl();
        assertTrue(transport.schemes().contains(url.substring(0, url.indexOf("://"))),
            "the fixture's listen URL " + url + " has a scheme the transport does not declare: " + transport.schemes());
    }

    /**
     * {@code listen} binds before returning and reports a URL of the same scheme; with
     * {@link Capability#PORT_ZERO} the wildcard port is resolved in it.
     */
    @Test
    public void required_listen_returnsBoundListener_withResolvedUrl()
    {
        final String asked = fixture.newListenUrl();
        final TransportListener l = listen(asked, config(BUS0, BUS0), new RecordingListenerHandler());
        assertNotNull(l.url(), "TransportListener.url() returned null");
        assertTrue(l.url().startsWith(asked.substring(0, asked.indexOf("://") + 3)),
            "TransportListener.url() changed the scheme: asked " + asked + ", got " + l.url());
        if (fixture.has(Capability.PORT_ZERO))
        {
            assertFalse(l.url().endsWith(":0"), "port 0: TransportListener.url() must report the bound port: " + l.url());
        }
    }

    /**
     * A second listen on a bound address throws {@link AddressInUseException}.
     */
    @Test
    public void required_secondListenOnBoundUrl_throwsAddressInUse()
    {
        final TransportListener l = listen(new RecordingListenerHandler());
        assertThrows(AddressInUseException.class, () -> listen(l.url(), config(BUS0, BUS0), new RecordingListenerHandler()),
            "address in use: a second Transport.listen on " + l.url() + " must throw AddressInUseException");
    }

    /**
     * A listen or dialer on an empty address ({@code scheme://}) throws
     * {@link InvalidAddressException}.
     */
    @Test
    public void required_emptyAddress_isInvalid()
    {
        for (final String scheme : transport.schemes())
        {
            final String url = scheme + "://";
            assertThrows(InvalidAddressException.class, () -> listen(url, config(BUS0, BUS0), new RecordingListenerHandler()),
                "invalid address: Transport.listen(\"" + url + "\") must throw InvalidAddressException");
            assertThrows(InvalidAddressException.class, () -> dialer(url, config(BUS0, BUS0)),
                "invalid address: Transport.dialer(\"" + url + "\") must throw InvalidAddressException");
        }
    }

    /**
     * A dial where nobody listens fails, once, with {@link ConnectionRefusedException}.
     *
     * @throws InterruptedException if interrupted while waiting
     */
    @Test
    public void required_dialToNobody_failsWithConnectionRefused() throws InterruptedException
    {
        final TransportDialer d = dialer(fixture.newUnusedUrl(), config(BUS0, BUS0));
        final RecordingDialCallback cb = new RecordingDialCallback();
        d.connect(cb);
        assertTrue(cb.await(Await.timeout()), "SPI dial: the DialCallback was never called for a refused dial");
        assertTrue(cb.failure() instanceof ConnectionRefusedException,
            "dial refused: expected ConnectionRefusedException, got " + (cb.pipe() != null ? "a pipe" : cb.failure()));
        assertEquals(1, cb.calls(), "SPI dial: the DialCallback must be called exactly once");
    }

    /**
     * A dial to a live listener makes exactly one pipe on each side: the dial callback is called
     * once with a pipe, the listener counts one accepted connection and reports one pipe, and
     * both pipes report addresses.
     *
     * @throws InterruptedException if interrupted while waiting
     */
    @Test
    public void required_dialHandshake_producesOnePipeOnEachSide() throws InterruptedException
    {
        final RecordingListenerHandler lh = new RecordingListenerHandler();
        final TransportListener l = listen(lh);
        final TransportDialer d = dialer(l.url(), config(BUS0, BUS0));
        assertEquals(l.url(), d.url(), "TransportDialer.url() must return the URL as given");
        final RecordingDialCallback cb = new RecordingDialCallback();
        d.connect(cb);
        assertTrue(cb.await(Await.timeout()), "SPI dial: the DialCallback was never called");
        assertNotNull(cb.pipe(), () -> "SPI dial: a dial to a live listener failed: " + cb.failure());
        final TransportPipe lp = lh.nextPipe(Await.timeout());
        assertNotNull(lp, "SPI listen: the listener never reported the dialed pipe (pipeReady)");
        assertEquals(1, cb.calls(), "SPI dial: the DialCallback must be called exactly once");
        assertEquals(1, lh.acceptedCount(), "SPI listen: ListenerHandler.accepted() must be called once per connection");
        assertEquals(0, lh.pipesWaiting(), "SPI listen: one dial produced more than one listener-side pipe");
        assertTrue(lh.handshakeFailures().isEmpty(), "SPI listen: a good handshake was reported failed: " + lh.handshakeFailures());
        assertNotEquals(cb.pipe(), lp, "SPI: the two ends of a pipe must be distinct objects");
        for (final TransportPipe p : List.of(cb.pipe(), lp))
        {
            assertNotNull(p.localAddress(), "TransportPipe.localAddress() returned null");
            assertNotNull(p.remoteAddress(), "TransportPipe.remoteAddress() returned null");
            assertNotNull(p.properties(), "TransportPipe.properties() returned null");
        }
        final RecordingPipeHandler dh = start(cb.pipe(), "dialer side");
        final RecordingPipeHandler lsh = start(lp, "listener side");
        assertThrows(IllegalStateException.class, () -> cb.pipe().start(new RecordingPipeHandler("second start")),
            "TransportPipe.start called twice must throw IllegalStateException");
        assertEquals(0, dh.closedCount() + lsh.closedCount(), "a fresh pipe reported closed");
    }

    /**
     * Messages pass whole and in order, both ways at once, through {@code pollOutbound} and
     * {@code onMessage}: sizes from 0 to 70 000 bytes, each released once by the sending
     * transport and reported in {@code onWritten} (messages and bytes).
     *
     * @throws InterruptedException if interrupted while waiting
     */
    @Test
    public void required_messagesPassWholeAndInOrder_bothWays_releasedAndReported() throws InterruptedException
    {
        final Pair p = connectPair();
        final int n = 400;
        final List<OutboundMessage> sent = new ArrayList<>();
        long bytesOut = 0;
        long bytesBack = 0;
        for (int i = 0; i < n; i++)
        {
            final byte[] out = body(i, (i * 7919) % 70_000);
            final byte[] back = body(-i, (i * 104_729) % 9_000);
            sent.add(p.dialSide().send(out));
            sent.add(p.listenSide().send(back));
            bytesOut += out.length;
            bytesBack += back.length;
        }
        for (int i = 0; i < n; i++)
        {
            final byte[] atListener = p.listenSide().poll(Await.timeout());
            assertNotNull(atListener, "SPI pipe: message " + i + " from the dialer never arrived");
            assertArrayEquals(body(i, (i * 7919) % 70_000), atListener,
                "SPI pipe: message " + i + " from the dialer arrived changed, split, merged or out of order");
            final byte[] atDialer = p.dialSide().poll(Await.timeout());
            assertNotNull(atDialer, "SPI pipe: message " + i + " from the listener never arrived");
            assertArrayEquals(body(-i, (i * 104_729) % 9_000), atDialer,
                "SPI pipe: message " + i + " from the listener arrived changed, split, merged or out of order");
        }
        assertEquals(0, p.listenSide().receivedWaiting() + p.dialSide().receivedWaiting(),
            "SPI pipe: more messages arrived than were sent");
        final long expectOut = bytesOut;
        final long expectBack = bytesBack;
        Await.until(() -> p.dialSide().writtenMessages() == n && p.dialSide().writtenBytes() == expectOut, Await.timeout(),
            () -> "SPI pipe: onWritten must report every message written: dialer side reported "
                + p.dialSide().writtenMessages() + " messages, " + p.dialSide().writtenBytes() + " bytes; expected " + n + ", "
                + expectOut);
        Await.until(() -> p.listenSide().writtenMessages() == n && p.listenSide().writtenBytes() == expectBack,
            Await.timeout(), () -> "SPI pipe: onWritten must report every message written: listener side reported "
                + p.listenSide().writtenMessages() + " messages, " + p.listenSide().writtenBytes() + " bytes");
        Await.until(() -> sent.stream().allMatch(RecordingPipeHandler::releasedByTransport), Await.timeout(),
            () -> "SPI pipe: every OutboundMessage must be released exactly once after it is written; "
                + sent.stream().filter(m -> !RecordingPipeHandler.releasedByTransport(m)).count() + " were not");
    }

    /**
     * {@link TransportPipe#writeNow()} called by several threads while messages are queued and
     * woken the usual way: every message arrives once, whole and in order; only one thread
     * polls at a time; each is released and reported. After close, {@code writeNow()} returns
     * {@code false} and throws nothing. (A transport that does not override it passes trivially.)
     *
     * @throws InterruptedException if interrupted while waiting
     */
    @Test
    public void required_writeNow_fromManyThreads_keepsOrder_oneWriterAtATime() throws InterruptedException
    {
        final Pair p = connectPair();
        final int n = 3_000;
        final java.util.concurrent.atomic.AtomicBoolean done = new java.util.concurrent.atomic.AtomicBoolean();
        final java.util.concurrent.atomic.AtomicReference<Throwable> thrown = new java.util.concurrent.atomic.AtomicReference<>();
        final List<Thread> helpers = new ArrayList<>();
        for (int t = 0; t < 3; t++)
        {
            final Thread h = new Thread(() ->
            {
                try
                {
                    while (!done.get())
                    {
                        p.dialSide().pipe().writeNow();
                    }
                }
                catch (final Throwable e)
                {
                    thrown.set(e);
                }
            }, "tck-writeNow-" + t);
            h.setDaemon(true);
            h.start();
            helpers.add(h);
        }
        final List<OutboundMessage> sent = new ArrayList<>();
        try
        {
            for (int i = 0; i < n; i++)
            {
                sent.add(p.dialSide().send(body(i, (i * 7919) % 3_000)));
                if (i % 64 == 0)
                {
                    p.dialSide().pipe().writeNow();
                }
            }
            for (int i = 0; i < n; i++)
            {
                final byte[] got = p.listenSide().poll(Await.timeout());
                assertNotNull(got, "writeNow: message " + i + " never arrived");
                assertArrayEquals(body(i, (i * 7919) % 3_000), got,
                    "writeNow: message " + i + " arrived changed, duplicated or out of order");
            }
        }
        finally
        {
            done.set(true);
            for (final Thread h : helpers)
            {
                h.join(Await.timeout().toMillis());
            }
        }
        assertNull(thrown.get(), () -> "TransportPipe.writeNow() threw: " + thrown.get());
        assertEquals(0, p.listenSide().receivedWaiting(), "writeNow: more messages arrived than were sent");
        Await.until(() -> p.dialSide().writtenMessages() == n, Await.timeout(),
            () -> "writeNow: onWritten reported " + p.dialSide().writtenMessages() + " of " + n + " messages");
        Await.until(() -> sent.stream().allMatch(RecordingPipeHandler::releasedByTransport), Await.timeout(),
            "writeNow: every OutboundMessage must be released exactly once after it is written");
        p.dialSide().pipe().close();
        Await.until(() -> p.dialSide().closedCount() == 1, "pipe close: the closing end never reported onClosed");
        assertFalse(p.dialSide().pipe().writeNow(), "TransportPipe.writeNow() after close must return false");
    }

    /** Which end of a pipe a test acts on. */
    public enum Side
    {
        /** The end the dialer made. */
        DIALER,
        /** The end the listener made. */
        LISTENER
    }

    /**
     * A pipe closed from either end reports {@code onClosed} exactly once at each end: with
     * {@link CloseReason#LOCAL} where it was closed and another reason at the peer. Closing
     * again, and closing the listener and dialer afterwards, reports nothing more.
     *
     * @param closer the end that closes
     * @throws InterruptedException if interrupted while waiting
     */
    @ParameterizedTest(name = "closed by the {0} side")
    @EnumSource(Side.class)
    public void required_pipeClose_fromEitherSide_exactlyOneOnClosedEachSide(final Side closer) throws InterruptedException
    {
        final Pair p = connectPair();
        final RecordingPipeHandler local = closer == Side.DIALER ? p.dialSide() : p.listenSide();
        final RecordingPipeHandler remote = closer == Side.DIALER ? p.listenSide() : p.dialSide();
        local.pipe().close();
        Await.until(() -> local.closedCount() >= 1, "pipe close: the closing end never reported onClosed");
        Await.until(() -> remote.closedCount() >= 1, "pipe close: the peer end never reported onClosed");
        assertEquals(CloseReason.LOCAL, local.closeReason(), "pipe close: the closing end must report CloseReason.LOCAL");
        assertNotEquals(CloseReason.LOCAL, remote.closeReason(), "pipe close: the peer end must not report CloseReason.LOCAL");
        local.pipe().close();
        remote.pipe().close();
        p.dialer().close();
        p.listener().close();
        assertEquals(1, local.closedCount(), "pipe close: onClosed must be called exactly once at the closing end");
        assertEquals(1, remote.closedCount(), "pipe close: onClosed must be called exactly once at the peer end");
    }

    /**
     * Closing a listener closes every pipe it produced, each reporting {@code onClosed} before
     * {@code close()} returns; the dialer's ends see their pipes closed too; the address is free.
     *
     * @throws InterruptedException if interrupted while waiting
     */
    @Test
    public void required_listenerClose_closesItsPipesBeforeReturning() throws InterruptedException
    {
        final Pair p = connectPair();
        p.listener().close();
        assertEquals(1, p.listenSide().closedCount(),
            "listener close: TransportListener.close() returned before its pipe reported onClosed");
        Await.until(() -> p.dialSide().closedCount() == 1, "listener close: the dialer's end never saw its pipe closed");
        final TransportDialer d = dialer(p.listener().url(), config(BUS0, BUS0));
        final RecordingDialCallback cb = new RecordingDialCallback();
        d.connect(cb);
        assertTrue(cb.await(Await.timeout()), "SPI dial: the DialCallback was never called");
        assertTrue(cb.failure() instanceof ConnectionRefusedException,
            "listener close: a dial to a closed listener must be refused, got " + (cb.pipe() != null ? "a pipe" : cb.failure()));
    }

    /**
     * {@code TransportListener.close()} releases the address before it returns: the same URL
     * can be bound again at once, even after the listener had a pipe. Ten rounds, as a late
     * release is a race.
     *
     * @throws InterruptedException if interrupted while waiting
     */
    @Test
    public void required_listenerClose_releasesTheAddressBeforeReturning() throws InterruptedException
    {
        for (int round = 0; round < 10; round++)
        {
            final Pair p = connectPair();
            final String url = p.listener().url();
            p.listener().close();
            try
            {
                listen(url, config(BUS0, BUS0), new RecordingListenerHandler()).close();
            }
            catch (final AddressInUseException e)
            {
                fail("listener close: TransportListener.close() returned before releasing " + url + " (round " + round
                    + "); an immediate listen there threw " + e, e);
            }
        }
    }

    /**
     * Closing a dialer closes every pipe it produced, each reporting {@code onClosed} before
     * {@code close()} returns; the listener's ends see their pipes closed too.
     *
     * @throws InterruptedException if interrupted while waiting
     */
    @Test
    public void required_dialerClose_closesItsPipesBeforeReturning() throws InterruptedException
    {
        final Pair p = connectPair();
        p.dialer().close();
        assertEquals(1, p.dialSide().closedCount(),
            "dialer close: TransportDialer.close() returned before its pipe reported onClosed");
        Await.until(() -> p.listenSide().closedCount() == 1, "dialer close: the listener's end never saw its pipe closed");
        final RecordingDialCallback cb = new RecordingDialCallback();
        p.dialer().connect(cb);
        assertTrue(cb.await(Await.timeout()), "SPI dial: connect on a closed dialer must still call its callback");
        assertTrue(cb.failure() instanceof BusClosedException,
            "dialer close: connect on a closed dialer must fail with BusClosedException, got "
                + (cb.pipe() != null ? "a pipe" : cb.failure()));
    }

    /**
     * A peer of another protocol is refused on both sides: the dial fails with
     * {@link ProtocolException}, the listener reports a handshake failure and no pipe.
     *
     * @throws InterruptedException if interrupted while waiting
     */
    @Test
    public void required_protocolMismatch_refusedOnBothSides() throws InterruptedException
    {
        final RecordingListenerHandler lh = new RecordingListenerHandler();
        final TransportListener l = listen(fixture.newListenUrl(), config(PAIR1, PAIR1), lh);
        final TransportDialer d = dialer(l.url(), config(BUS0, BUS0));
        final RecordingDialCallback cb = new RecordingDialCallback();
        d.connect(cb);
        assertTrue(cb.await(Await.timeout()), "SPI dial: the DialCallback was never called");
        assertTrue(cb.failure() instanceof ProtocolException,
            "protocol mismatch: a BUS dialer meeting a PAIR listener must fail with ProtocolException, got "
                + (cb.pipe() != null ? "a pipe" : cb.failure()));
        Await.until(() -> !lh.handshakeFailures().isEmpty(),
            "protocol mismatch: the PAIR listener never reported the BUS dialer's handshake as failed");
        assertEquals(0, lh.pipesWaiting(), "protocol mismatch: the listener made a pipe for a peer of another protocol");
    }

    /**
     * With {@link Capability#WIRE}: closing a dialer while an attempt is pending (connected to a
     * raw peer that never sends its SP header) fails that attempt with
     * {@link BusClosedException}, exactly once.
     *
     * @throws IOException          if the raw peer cannot be opened
     * @throws InterruptedException if interrupted while waiting
     */
    @Test
    public void required_dialerCloseWhileAttemptPending_failsItWithBusClosed() throws IOException, InterruptedException
    {
        Assumptions.assumeTrue(fixture.has(Capability.WIRE),
            () -> fixture.name() + " lacks WIRE, needed for a silent raw peer that keeps an attempt pending");
        try (ServerSocketChannel raw = fixture.openRawListener())
        {
            raw.configureBlocking(false);
            final TransportDialer d = dialer(fixture.urlOf(raw.getLocalAddress()), config(BUS0, BUS0));
            final RecordingDialCallback cb = new RecordingDialCallback();
            d.connect(cb);
            final AtomicReference<SocketChannel> accepted = new AtomicReference<>();
            Await.until(() ->
            {
                try
                {
                    final SocketChannel ch = raw.accept();
                    accepted.compareAndSet(null, ch);
                    return accepted.get() != null;
                }
                catch (final IOException e)
                {
                    throw new java.io.UncheckedIOException(e);
                }
            }, "test setup: the dialer never reached the raw peer");
            try (SocketChannel silent = accepted.get())
            {
                assertEquals(0, cb.calls(), "SPI dial: the attempt completed although the peer never sent its SP header");
                d.close();
                assertTrue(cb.await(Await.timeout()), "dialer close: a pending attempt's callback was never called");
                if (!(cb.failure() instanceof BusClosedException))
                {
                    fail("dialer close: a pending attempt must fail with BusClosedException, got "
                        + (cb.pipe() != null ? "a pipe" : cb.failure()));
                }
                assertEquals(1, cb.calls(), "SPI dial: the DialCallback must be called exactly once");
            }
        }
    }

    private static byte[] body(final int id, final int size)
    {
        final byte[] b = new byte[size];
        for (int i = 0; i < size; i++)
        {
            b[i] = (byte)(id * 31 + i);
        }
        if (size >= 4)
        {
            b[0] = (byte)(id >>> 24);
            b[1] = (byte)(id >>> 16);
            b[2] = (byte)(id >>> 8);
            b[3] = (byte)id;
        }
        return b;
    }
}
