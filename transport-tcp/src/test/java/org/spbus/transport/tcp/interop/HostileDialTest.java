package org.spbus.transport.tcp.interop;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.spbus.transport.tcp.interop.Tools.WAIT;
import static org.spbus.transport.tcp.interop.Tools.recvText;
import static org.spbus.transport.tcp.interop.Tools.utf8;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;
import org.spbus.AddressInUseException;
import org.spbus.Bus;
import org.spbus.BusException;
import org.spbus.BusOptions;
import org.spbus.BusSocket;
import org.spbus.ConnectionRefusedException;
import org.spbus.Counter;
import org.spbus.DialMode;
import org.spbus.InvalidAddressException;
import org.spbus.Listener;
import org.spbus.ProtocolException;
import org.spbus.UnknownSchemeException;
import org.spbus.tck.ExternalTool;

/**
 * The dialing side against hostile or absent listeners, and the errors of bad URLs and busy
 * ports over TCP.
 */
@Timeout(30)
class HostileDialTest
{
    private static final BusOptions FAST = BusOptions.builder().reconnectMin(Duration.ofMillis(50))
        .handshakeTimeout(Duration.ofMillis(500)).build();

    /**
     * A listener that announces PAIR0: a synchronous dial throws ProtocolException (unlike NNG,
     * whose dial succeeds before the protocol check), leaves no dialer behind, and spbus closes
     * the connection.
     */
    @Test
    void blockingDialToPair0ListenerThrowsProtocolException() throws Exception
    {
        try (ServerSocket ss = new ServerSocket(0, 4, InetAddress.getByName("127.0.0.1"));
            BusSocket s = Bus.open(FAST))
        {
            final CompletableFuture<byte[]> peerHeader = new CompletableFuture<>();
            final CompletableFuture<Duration> closedAfter = new CompletableFuture<>();
            final Thread server = new Thread(() ->
            {
                try (Socket c = ss.accept(); RawPeer p = RawPeer.accepted(c))
                {
                    p.write(RawPeer.header(0x0010, 0, 0));
                    peerHeader.complete(p.read(8, WAIT));
                    closedAfter.complete(p.awaitClosedByPeer(Duration.ofSeconds(5)));
                }
                catch (final Throwable e)
                {
                    peerHeader.completeExceptionally(e);
                    closedAfter.completeExceptionally(e);
                }
            }, "pair0-listener");
            server.setDaemon(true);
            server.start();
            final String url = "tcp://127.0.0.1:" + ss.getLocalPort();
            final ProtocolException e = assertThrows(ProtocolException.class, () -> s.dial(url));
            assertTrue(e.getMessage().contains("0x0010") || e.getMessage().toLowerCase(Locale.ROOT).contains("pair"),
                () -> "the message should name the peer's protocol: " + e.getMessage());
            assertArrayEquals(RawPeer.BUS_HEADER, peerHeader.get(10, TimeUnit.SECONDS));
            closedAfter.get(10, TimeUnit.SECONDS);
            final var st = s.stats();
            assertEquals(1, st.get(Counter.DIAL_ATTEMPTS), () -> "no redial after a failed blocking dial; " + st);
            assertEquals(1, st.get(Counter.DIAL_FAILURES), () -> st.toString());
            assertEquals(1, st.get(Counter.HANDSHAKE_FAILURES), () -> st.toString());
            assertEquals(0, st.get(Counter.PIPES_TOTAL), () -> st.toString());
            // No dialer is left: nothing dials again over a few reconnect windows (50 ms each).
            final long end = System.nanoTime() + Duration.ofMillis(400).toNanos();
            while (System.nanoTime() - end < 0)
            {
                assertEquals(1, s.stats().get(Counter.DIAL_ATTEMPTS), "a failed blocking dial must leave no dialer");
                Tools.pause(20);
            }
        }
    }

    /** The same against a real {@code nngcat --pair0 --listen}. */
    @Test
    void blockingDialToNngcatPair0ThrowsProtocolException()
    {
        final String nngcat = Tools.require("nngcat", "nng-utils");
        try (BusSocket s = Bus.open(FAST))
        {
            for (int attempt = 0; attempt < 5; attempt++)
            {
                final int port = Tools.freePort();
                try (ExternalTool p = ExternalTool.start(nngcat, "--pair0", "--listen", "tcp://127.0.0.1:" + port,
                    "--recv-timeout", "20"))
                {
                    final long end = System.nanoTime() + WAIT.toNanos();
                    while (true)
                    {
                        try
                        {
                            s.dial("tcp://127.0.0.1:" + port);
                            fail("a blocking dial to a PAIR0 listener must throw; " + p.describe());
                        }
                        catch (final ProtocolException e)
                        {
                            assertEquals(0, s.stats().get(Counter.PIPES_TOTAL));
                            return;
                        }
                        catch (final ConnectionRefusedException e)
                        {
                            // nngcat is not listening yet, or lost the port to someone else
                            if (!p.isAlive() || System.nanoTime() - end > 0)
                            {
                                break;
                            }
                            Tools.pause(50);
                        }
                    }
                    assertTrue(p.stderr().contains("in use"), () -> "nngcat did not listen: " + p.describe());
                }
            }
            fail("no free port for nngcat after 5 attempts");
        }
    }

    /**
     * A listener that accepts and closes at once (or sends garbage): the blocking dial fails
     * promptly, spbus counts one failed attempt and one handshake failure, and nothing redials.
     */
    @ParameterizedTest(name = "listener sends [{0}] then closes")
    @CsvSource({"''", "00", "005350", "474554202f204854"})
    void blockingDialToListenerThatClosesDuringHandshake(final String hex) throws Exception
    {
        final byte[] send = HexFormat.of().parseHex(hex);
        try (ServerSocket ss = new ServerSocket(0, 4, InetAddress.getByName("127.0.0.1"));
            BusSocket s = Bus.open(FAST))
        {
            final Thread server = new Thread(() ->
            {
                try (Socket c = ss.accept())
                {
                    c.getOutputStream().write(send);
                    c.getOutputStream().flush();
                }
                catch (final IOException e)
                {
                    // the test fails on its own assertions
                }
            }, "closing-listener");
            server.setDaemon(true);
            server.start();
            final long t0 = System.nanoTime();
            final BusException e = assertThrows(BusException.class,
                () -> s.dial("tcp://127.0.0.1:" + ss.getLocalPort()));
            final long ms = (System.nanoTime() - t0) / 1_000_000;
            assertTrue(ms < 400, () -> "the dial should fail on the close, not the 500 ms handshake timeout: " + ms
                + " ms, " + e);
            assertTrue(e instanceof ProtocolException || e instanceof ConnectionRefusedException,
                () -> "expected a protocol or refused error: " + e);
            final var st = s.stats();
            assertEquals(1, st.get(Counter.DIAL_ATTEMPTS), st::toString);
            assertEquals(1, st.get(Counter.DIAL_FAILURES), st::toString);
            assertEquals(0, st.get(Counter.PIPES_TOTAL), st::toString);
        }
    }

    /**
     * Counter contract: HANDSHAKE_FAILURES counts "connections closed during the SP header
     * exchange: bad header, wrong protocol, timeout, early close". The listener side counts an
     * early close (see HostilePeerTest.closedDuringHandshake); the dialer side must too.
     */
    @Test
    void dialSideEarlyCloseCountsAsHandshakeFailure() throws Exception
    {
        try (ServerSocket ss = new ServerSocket(0, 4, InetAddress.getByName("127.0.0.1"));
            BusSocket s = Bus.open(FAST))
        {
            final Thread server = new Thread(() ->
            {
                try (Socket c = ss.accept())
                {
                    c.getOutputStream().write(new byte[] {0, 'S', 'P'});
                }
                catch (final IOException e)
                {
                    // the test fails on its own assertions
                }
            }, "closing-listener");
            server.setDaemon(true);
            server.start();
            assertThrows(BusException.class, () -> s.dial("tcp://127.0.0.1:" + ss.getLocalPort()));
            final var st = s.stats();
            assertEquals(1, st.get(Counter.HANDSHAKE_FAILURES), st::toString);
        }
    }

    /** A listener that accepts and never answers: the blocking dial fails after the handshake timeout. */
    @Test
    void blockingDialToSilentListenerThrowsProtocolException() throws Exception
    {
        try (ServerSocket ss = new ServerSocket(0, 4, InetAddress.getByName("127.0.0.1"));
            BusSocket s = Bus.open(FAST))
        {
            final long t0 = System.nanoTime();
            assertThrows(ProtocolException.class, () -> s.dial("tcp://127.0.0.1:" + ss.getLocalPort()));
            final long ms = (System.nanoTime() - t0) / 1_000_000;
            assertTrue(ms >= 400 && ms < 5000, () -> "handshake timeout is 500 ms, dial failed after " + ms + " ms");
            assertEquals(1, s.stats().get(Counter.HANDSHAKE_FAILURES));
        }
    }

    @Test
    void blockingDialToClosedPortThrowsConnectionRefused()
    {
        final int port = Tools.freePort();
        try (BusSocket s = Bus.open(FAST))
        {
            final String url = "tcp://127.0.0.1:" + port;
            assertThrows(ConnectionRefusedException.class, () -> s.dial(url));
            assertEquals(1, s.stats().get(Counter.DIAL_ATTEMPTS));
            assertEquals(1, s.stats().get(Counter.DIAL_FAILURES));
            assertEquals(0, s.stats().get(Counter.PIPES_TOTAL));
        }
    }

    /**
     * The refusal names what was dialed, as nngcat's "Unable to dial on tcp://...: Connection refused".
     */
    @Test
    void connectionRefusedMessageNamesTheAddress()
    {
        final int port = Tools.freePort();
        try (BusSocket s = Bus.open(FAST))
        {
            final String url = "tcp://127.0.0.1:" + port;
            final ConnectionRefusedException e = assertThrows(ConnectionRefusedException.class, () -> s.dial(url));
            assertTrue(e.getMessage().contains("127.0.0.1:" + port), () -> "message should name the address: " + e);
        }
    }

    /** A non-blocking dial to a closed port returns, then connects once a listener appears. */
    @Test
    void nonBlockingDialConnectsWhenListenerAppears()
    {
        try (BusSocket a = Bus.open(FAST); BusSocket b = Bus.open())
        {
            final int port = Tools.freePort();
            final String url = "tcp://127.0.0.1:" + port;
            final var d = a.dial(url, DialMode.NON_BLOCKING);
            Tools.await("a failed attempt", () -> a.stats().get(Counter.DIAL_FAILURES) >= 1);
            assertFalse(d.isConnected());
            final Listener l;
            try
            {
                l = b.listen(url);
            }
            catch (final AddressInUseException e)
            {
                Assumptions.abort("port " + port + " was taken meanwhile");
                return;
            }
            Tools.await("the redial", d::isConnected);
            Tools.awaitCounter(b, Counter.PIPES_CURRENT, 1);
            a.send(utf8("late"));
            assertEquals("late", recvText(b, l::url));
        }
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({
        "tcp://127.0.0.1, port",
        "tcp://127.0.0.1:0, port",
        "tcp://127.0.0.1:5/x, path",
        "tcp://127.0.0.1:99999, 65535",
        "tcp://127.0.0.1:5?q=1, query",
        "tcp://:5555, host",
        "tcp://[::1, IPv6",
        "tcp://::1:5, bracket",
    })
    void badDialUrlThrowsInvalidAddress(final String url, final String mentions)
    {
        try (BusSocket s = Bus.open())
        {
            for (final DialMode mode : DialMode.values())
            {
                final InvalidAddressException e = assertThrows(InvalidAddressException.class, () -> s.dial(url, mode));
                assertFalse(e instanceof UnknownSchemeException, () -> "wrong exception type: " + e);
                assertTrue(e.getMessage().contains(url), () -> "message should quote the URL: " + e.getMessage());
                assertTrue(e.getMessage().toLowerCase(Locale.ROOT).contains(mentions.toLowerCase(Locale.ROOT)),
                    () -> "message should say what is wrong (" + mentions + "): " + e.getMessage());
            }
            assertEquals(0, s.stats().get(Counter.DIAL_ATTEMPTS), "a bad URL must not be dialed");
        }
    }

    @Test
    void badListenUrlThrowsInvalidAddress()
    {
        try (BusSocket s = Bus.open())
        {
            for (final String url : new String[] {"tcp://127.0.0.1:0/x", "tcp://127.0.0.1", "tcp://999.1.1.1:5x"})
            {
                final InvalidAddressException e = assertThrows(InvalidAddressException.class, () -> s.listen(url));
                assertTrue(e.getMessage().contains(url), () -> "message should quote the URL: " + e.getMessage());
            }
        }
    }

    @ParameterizedTest
    @EnumSource(DialMode.class)
    void unknownSchemeNamesTheInstalledSchemes(final DialMode mode)
    {
        try (BusSocket s = Bus.open())
        {
            final UnknownSchemeException e = assertThrows(UnknownSchemeException.class, () -> s.dial("foo://x", mode));
            assertTrue(e.getMessage().contains("foo://x"), e::getMessage);
            assertTrue(e.getMessage().contains("tcp"), () -> "message should list the installed schemes: " + e.getMessage());
            assertTrue(e.installedSchemes().contains("tcp"), () -> e.installedSchemes().toString());
            final UnknownSchemeException l = assertThrows(UnknownSchemeException.class, () -> s.listen("foo://x"));
            assertTrue(l.getMessage().contains("tcp"), l::getMessage);
        }
    }

    /** Listening where another spbus listener is bound. */
    @Test
    void listenOnPortBoundBySpbusThrowsAddressInUse()
    {
        try (BusSocket a = Bus.open(); BusSocket b = Bus.open())
        {
            final String url = a.listen("tcp://127.0.0.1:0").url();
            final AddressInUseException e = assertThrows(AddressInUseException.class, () -> b.listen(url));
            assertTrue(e.getMessage().contains(url), () -> "message should name the address: " + e.getMessage());
            // The same socket cannot bind it twice either.
            assertThrows(AddressInUseException.class, () -> a.listen(url));
            // The first listener still works.
            b.dial(url);
            Tools.awaitCounter(a, Counter.PIPES_CURRENT, 1);
            b.send(utf8("still-listening"));
            assertEquals("still-listening", recvText(a, () -> url));
        }
    }

    /** Listening where a plain Java server socket is bound. */
    @Test
    void listenOnPortBoundByOtherProgramThrowsAddressInUse() throws IOException
    {
        try (ServerSocket ss = new ServerSocket(0, 4, InetAddress.getByName("127.0.0.1")); BusSocket s = Bus.open())
        {
            final String url = "tcp://127.0.0.1:" + ss.getLocalPort();
            assertThrows(AddressInUseException.class, () -> s.listen(url));
        }
    }

    /** {@code tcp://[::1]:0} listens, reports {@code tcp://[::1]:PORT}, and carries messages both ways. */
    @Test
    void ipv6LoopbackListenAndDial()
    {
        assumeIpv6Loopback();
        try (BusSocket a = Bus.open(); BusSocket b = Bus.open())
        {
            final String url = a.listen("tcp://[::1]:0").url();
            assertTrue(url.matches("tcp://\\[::1\\]:[1-9][0-9]*"), url);
            b.dial(url);
            Tools.awaitCounter(a, Counter.PIPES_CURRENT, 1);
            a.send(utf8("v6-a"));
            assertEquals("v6-a", recvText(b, () -> url));
            b.send(utf8("v6-b"));
            assertEquals("v6-b", recvText(a, () -> url));
        }
    }

    /** Skips the test (with the reason) unless a socket can be bound on ::1. */
    static void assumeIpv6Loopback()
    {
        try (ServerSocket ss = new ServerSocket(0, 1, InetAddress.getByName("::1")))
        {
            Assumptions.assumeTrue(ss.isBound(), "IPv6 loopback ::1 cannot be bound");
        }
        catch (final IOException e)
        {
            Assumptions.abort("IPv6 loopback ::1 is not available on this machine: " + e);
        }
    }
}
