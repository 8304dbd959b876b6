package org.spbus.tck;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.spbus.AddressInUseException;
import org.spbus.BusSocket;
import org.spbus.ConnectionRefusedException;
import org.spbus.Counter;
import org.spbus.DialMode;
import org.spbus.Dialer;
import org.spbus.Listener;

/**
 * Listeners and dialers over the transport under test (seed BU-7, and the seed's
 * {@code TestBusUnixTransport} / {@code TestBusIPTransport} rows, which running this suite per
 * transport is): a wildcard port resolves, a bound address is exclusive and is released on
 * close, a dial where nobody listens is refused (blocking) or retried until a listener appears
 * (non-blocking), closing a listener or a dialer closes its pipes, and a dialer redials after
 * its listener goes away and comes back.
 */
public abstract class EndpointTck extends AbstractBusTck
{
    /**
     * Creates the suite for one transport.
     *
     * @param fixture describes the transport under test
     */
    protected EndpointTck(final TransportFixture fixture)
    {
        super(fixture);
    }

    /**
     * BU-7: the URL a listener reports is dialable, and a message crosses the pipe that dial made.
     */
    @Test
    public void required_BU7_listenerUrlIsDialable()
    {
        try (BusSocket a = open(); BusSocket b = open())
        {
            final Listener l = listen(a);
            assertFalse(l.isClosed(), "a new listener reports closed");
            final Dialer d = dial(b, l.url(), a);
            assertTrue(d.isConnected(), "BU-7: a blocking dial returned but its dialer is not connected");
            assertEquals(l.url(), d.url(), "Dialer.url() must return the URL as given");
            b.send(bytes("hello"));
            assertEquals("hello", text(a.recv(Await.timeout())), "BU-7: no message crossed a freshly dialed pipe");
        }
    }

    /**
     * With {@link Capability#PORT_ZERO}: a listen URL with port 0 is bound to a real port, which
     * {@code Listener.url()} reports, and which a dialer reaches.
     */
    @Test
    public void required_listenOnPortZero_resolvesToARealPort()
    {
        assumeCapability(Capability.PORT_ZERO, "listen on a wildcard port");
        try (BusSocket a = open(); BusSocket b = open())
        {
            final String asked = fixture.newListenUrl();
            final Listener l = a.listen(asked);
            assertNotEquals(asked, l.url(), "port 0: Listener.url() must report the port actually bound, not " + asked);
            assertFalse(l.url().endsWith(":0"), "port 0: Listener.url() still ends with :0: " + l.url());
            dial(b, l.url(), a);
            a.send(bytes("via-resolved-port"));
            assertEquals("via-resolved-port", text(b.recv(Await.timeout())), "port 0: no message crossed the pipe");
        }
    }

    /**
     * A second listen on a bound URL, by another socket or the same one, throws
     * {@link AddressInUseException} and leaves the first listener working.
     */
    @Test
    public void required_secondListenOnBoundUrl_throwsAddressInUse()
    {
        try (BusSocket a = open(); BusSocket b = open(); BusSocket c = open())
        {
            final Listener first = listen(a);
            final String url = first.url();
            assertThrows(AddressInUseException.class, () -> b.listen(url),
                "address in use: a second socket's listen on " + url + " must throw AddressInUseException");
            assertThrows(AddressInUseException.class, () -> a.listen(url),
                "address in use: the same socket's second listen on " + url + " must throw AddressInUseException");
            dial(c, url, a);
            c.send(bytes("first-still-works"));
            assertEquals("first-still-works", text(a.recv(Await.timeout())),
                "address in use: a refused second listen broke the first listener");
        }
    }

    /**
     * {@code Listener.close()} releases the address before it returns ("returns when that is
     * done"): another socket can bind the same URL at once, even when the closed listener had
     * accepted a pipe whose dialer is redialing. Ten rounds, as a late release is a race.
     */
    @Test
    public void required_listenerClose_releasesTheAddressBeforeReturning()
    {
        for (int round = 0; round < 10; round++)
        {
            try (BusSocket a = open(); BusSocket b = open(); BusSocket c = open())
            {
                final Listener first = listen(a);
                final String url = first.url();
                dial(c, url, a);
                first.close();
                assertTrue(first.isClosed(), "Listener.isClosed() must be true after close()");
                final Listener again;
                try
                {
                    again = b.listen(url);
                }
                catch (final AddressInUseException e)
                {
                    throw new org.opentest4j.AssertionFailedError("listener close: Listener.close() returned before releasing "
                        + url + " (round " + round + "); an immediate listen there threw " + e, e);
                }
                assertEquals(url, again.url(), "listener close: the address must be bound again as asked");
                awaitPipes(b, 1, "redial: the dialer never reached the new listener at " + url);
            }
        }
    }

    /**
     * A blocking dial where nobody listens throws {@link ConnectionRefusedException}, and the
     * socket stays usable.
     */
    @Test
    public void required_blockingDialToNobody_throwsConnectionRefused()
    {
        try (BusSocket a = open(); BusSocket b = open())
        {
            final String nobody = fixture.newUnusedUrl();
            assertThrows(ConnectionRefusedException.class, () -> a.dial(nobody),
                "dial refused: a blocking dial to " + nobody + ", where nobody listens, must throw ConnectionRefusedException");
            assertEquals(0, pipes(a), "dial refused: a refused dial left a pipe");
            connect(b, a);
            b.send(bytes("still-works"));
            assertEquals("still-works", text(a.recv(Await.timeout())), "a refused dial must leave the socket usable");
        }
    }

    /**
     * A non-blocking dial where nobody listens returns at once, unconnected, and keeps trying
     * (counted in {@link Counter#DIAL_FAILURES}); it connects once a listener appears at that
     * URL, and messages then flow.
     */
    @Test
    public void required_nonBlockingDial_connectsOnceAListenerAppears()
    {
        try (BusSocket a = open(); BusSocket b = open())
        {
            final String url = fixture.newUnusedUrl();
            final Dialer d = a.dial(url, DialMode.NON_BLOCKING);
            assertFalse(d.isClosed(), "a non-blocking dialer must stay open while nobody listens");
            Await.until(() -> stat(a, Counter.DIAL_FAILURES) >= 1, Await.timeout(),
                () -> "non-blocking dial: no failed attempt counted while nobody listens: " + a.stats());
            assertFalse(d.isConnected(), "non-blocking dial: connected although nobody listens at " + url);
            b.listen(url);
            Await.until(d::isConnected, "non-blocking dial: never connected after a listener appeared at " + url);
            awaitPipes(b, 1, "non-blocking dial: the late listener never attached the pipe");
            a.send(bytes("late"));
            assertEquals("late", text(b.recv(Await.timeout())), "non-blocking dial: no message crossed the pipe");
        }
    }

    /**
     * Closing a listener closes every pipe it accepted: both ends see them go, the listening
     * socket's sends then count {@link Counter#DROPPED_NO_PEERS}, and the dialers stay open
     * (redialing) but unconnected.
     */
    @Test
    public void required_listenerClose_closesItsPipes()
    {
        try (BusSocket hub = open(); BusSocket b = open(); BusSocket c = open())
        {
            final Listener l = listen(hub);
            final Dialer db = dial(b, l.url(), hub);
            final Dialer dc = dial(c, l.url(), hub);
            l.close();
            awaitPipes(hub, 0, "listener close: the listening socket still has a pipe the listener accepted");
            awaitPipes(b, 0, "listener close: a peer still has its pipe to the closed listener");
            awaitPipes(c, 0, "listener close: a peer still has its pipe to the closed listener");
            Await.until(() -> !db.isConnected() && !dc.isConnected(), "listener close: a peer's dialer still reports connected");
            assertFalse(db.isClosed(), "listener close: the peer's dialer must stay open to redial");
            hub.send(bytes("nobody"));
            assertEquals(1, stat(hub, Counter.DROPPED_NO_PEERS), "listener close: a send with no pipe left must count DROPPED_NO_PEERS");
        }
    }

    /**
     * Closing a dialer closes its pipe at both ends and stops redialing: the dialer reports
     * closed and unconnected, and the listening side keeps no pipe.
     */
    @Test
    public void required_dialerClose_closesItsPipe()
    {
        try (BusSocket a = open(); BusSocket b = open())
        {
            final Link link = connect(a, b);
            link.dialer().close();
            assertTrue(link.dialer().isClosed(), "Dialer.isClosed() must be true after close()");
            assertFalse(link.dialer().isConnected(), "dialer close: a closed dialer reports connected");
            awaitPipes(b, 0, "dialer close: the dialing socket still has the closed dialer's pipe");
            awaitPipes(a, 0, "dialer close: the listening socket still has the closed dialer's pipe");
            // A second listener-side peer proves the listener still works and the closed dialer did not come back.
            try (BusSocket c = open())
            {
                dial(c, link.listener().url(), a);
                assertEquals(1, pipes(a), "dialer close: the closed dialer redialed");
            }
        }
    }

    /**
     * A dialer redials after its listener goes away and a listener comes back at the same URL
     * (with a short {@code reconnectMin}): it reconnects by itself, counts
     * {@link Counter#RECONNECTS}, and messages flow both ways again. Checked for a listener
     * closed alone, and for its whole socket replaced by a new one.
     */
    @Test
    public void required_dialerRedials_afterListenerGoesAndComesBack()
    {
        try (BusSocket b = open())
        {
            final String url;
            final Dialer d;
            try (BusSocket a = open())
            {
                final Listener l = listen(a);
                url = l.url();
                d = dial(b, url, a);
                l.close();
                Await.until(() -> !d.isConnected(), "redial: the dialer still reports connected after its listener closed");
                a.listen(url);
                Await.until(d::isConnected, "redial: the dialer never reconnected after a listener came back at " + url);
                awaitPipes(a, 1, "redial: the listener that came back never attached the redialed pipe");
                a.send(bytes("back"));
                assertEquals("back", text(b.recv(Await.timeout())), "redial: no message after reconnecting");
                b.send(bytes("back-too"));
                assertEquals("back-too", text(a.recv(Await.timeout())), "redial: no message after reconnecting");
                assertTrue(stat(b, Counter.RECONNECTS) >= 1, "redial: RECONNECTS not counted: " + b.stats());
            }
            Await.until(() -> !d.isConnected(), "redial: the dialer still reports connected after its peer socket closed");
            try (BusSocket a2 = open())
            {
                a2.listen(url);
                Await.until(d::isConnected, "redial: the dialer never reconnected to a new socket listening at " + url);
                awaitPipes(a2, 1, "redial: the new socket never attached the redialed pipe");
                b.send(bytes("new-peer"));
                assertEquals("new-peer", text(a2.recv(Await.timeout())), "redial: no message to the new socket");
                assertTrue(stat(b, Counter.RECONNECTS) >= 2, "redial: RECONNECTS not counted: " + b.stats());
            }
        }
    }

    /**
     * BU-2 from the listening side: once {@code awaitPipes} has seen the dialers' pipes, a
     * broadcast from the listener reaches every one of them; {@code awaitPipes} times out with
     * {@link org.spbus.BusTimeoutException} when too few pipes come, and throws
     * {@link org.spbus.BusClosedException} on a closed socket.
     */
    @Test
    public void required_awaitPipes_thenListenerBroadcastReachesEveryDialer()
    {
        try (BusSocket hub = open(); BusSocket a = open(); BusSocket b = open())
        {
            final String url = listen(hub).url();
            a.dial(url);
            b.dial(url);
            hub.awaitPipes(2, Await.timeout());
            hub.send(bytes("to-all"));
            assertEquals("to-all", text(a.recv(Await.timeout())), "BU-2: a dialer missed the listener's broadcast");
            assertEquals("to-all", text(b.recv(Await.timeout())), "BU-2: a dialer missed the listener's broadcast");
            assertThrows(org.spbus.BusTimeoutException.class, () -> hub.awaitPipes(3, java.time.Duration.ofMillis(50)),
                "awaitPipes must time out when too few pipes are attached");
            hub.close();
            assertThrows(org.spbus.BusClosedException.class, () -> hub.awaitPipes(1, Await.timeout()),
                "awaitPipes on a closed socket must throw BusClosedException");
        }
    }
}
