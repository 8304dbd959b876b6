package org.spbus.transport.unix;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.newsclub.net.unix.AFUNIXServerSocketChannel;
import org.newsclub.net.unix.AFUNIXSocketAddress;
import org.spbus.AddressInUseException;
import org.spbus.Bus;
import org.spbus.BusOptions;
import org.spbus.BusSocket;
import org.spbus.ConnectionRefusedException;
import org.spbus.Counter;
import org.spbus.InvalidAddressException;
import org.spbus.Listener;
import org.spbus.Message;
import org.spbus.Pipe;
import org.spbus.TransportException;
import org.spbus.tck.Await;

/**
 * What is particular to Unix domain sockets: socket files (stale replaced, live refused,
 * removed on close only when still ours), path limits, permissions, peer credentials and the
 * uid allow-list, the abstract namespace, and many pipes on one listener.
 */
@Timeout(30)
class UnixSocketFileTest
{
    private static final Duration WAIT = Duration.ofSeconds(5);

    @TempDir
    Path dir;

    private static byte[] utf8(final String s)
    {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static long currentUid() throws Exception
    {
        return ((Number)Files.getAttribute(Path.of("/proc/self"), "unix:uid")).longValue();
    }

    @Test
    void listenCreatesSocketFileAndCloseRemovesIt() throws Exception
    {
        final Path p = dir.resolve("a.ipc");
        try (BusSocket s = Bus.open())
        {
            final Listener l = s.listen("ipc://" + p);
            assertEquals("ipc://" + p, l.url());
            assertTrue(Files.exists(p, LinkOption.NOFOLLOW_LINKS), "listen creates the socket file");
            l.close();
            assertFalse(Files.exists(p, LinkOption.NOFOLLOW_LINKS), "listener close removes its socket file");
            s.listen("ipc://" + p);
        }
        assertFalse(Files.exists(p, LinkOption.NOFOLLOW_LINKS), "socket close removes the listener's socket file");
    }

    @Test
    void staleSocketFileIsReplaced() throws Exception
    {
        final Path p = dir.resolve("stale.ipc");
        // A socket file nobody accepts on, as a killed process leaves behind.
        try (AFUNIXServerSocketChannel dead = AFUNIXServerSocketChannel.open())
        {
            dead.setDeleteOnClose(false);
            dead.bind(AFUNIXSocketAddress.of(p));
        }
        assertTrue(Files.exists(p, LinkOption.NOFOLLOW_LINKS));
        try (BusSocket a = Bus.open(); BusSocket b = Bus.open())
        {
            a.listen("ipc://" + p);
            b.dial("ipc://" + p);
            b.send(utf8("after-stale"));
            assertArrayEquals(utf8("after-stale"), a.recv(WAIT));
        }
    }

    @Test
    void liveSocketFileIsRefusedAndLeftWorking() throws Exception
    {
        final Path p = dir.resolve("live.ipc");
        try (BusSocket a = Bus.open(); BusSocket b = Bus.open(); BusSocket c = Bus.open())
        {
            a.listen("ipc://" + p);
            final Object key = Files.readAttributes(p, java.nio.file.attribute.BasicFileAttributes.class,
                LinkOption.NOFOLLOW_LINKS).fileKey();
            final AddressInUseException e = assertThrows(AddressInUseException.class, () -> b.listen("ipc://" + p));
            assertTrue(e.getMessage().contains(p.toString()), e.getMessage());
            assertEquals(key, Files.readAttributes(p, java.nio.file.attribute.BasicFileAttributes.class,
                LinkOption.NOFOLLOW_LINKS).fileKey(), "the live listener's file is untouched");
            c.dial("ipc://" + p);
            c.send(utf8("still-serving"));
            assertArrayEquals(utf8("still-serving"), a.recv(WAIT));
        }
    }

    @Test
    void regularFileAtPathIsNeverRemoved() throws Exception
    {
        final Path p = dir.resolve("data.txt");
        Files.writeString(p, "precious");
        try (BusSocket s = Bus.open())
        {
            assertThrows(AddressInUseException.class, () -> s.listen("ipc://" + p));
        }
        assertEquals("precious", Files.readString(p));
    }

    @Test
    void fileReplacedBySomeoneElseIsNotRemovedOnClose() throws Exception
    {
        final Path p = dir.resolve("replaced.ipc");
        try (BusSocket s = Bus.open())
        {
            final Listener l = s.listen("ipc://" + p);
            Files.delete(p);
            Files.writeString(p, "someone else's");
            l.close();
        }
        assertEquals("someone else's", Files.readString(p));
    }

    @Test
    void tooLongPathIsAClearError()
    {
        final String longPath = "/tmp/" + "p".repeat(103);
        assertEquals(108, longPath.length());
        try (BusSocket s = Bus.open())
        {
            final InvalidAddressException e = assertThrows(InvalidAddressException.class, () -> s.listen("ipc://" + longPath));
            assertTrue(e.getMessage().contains("107"), "names the limit: " + e.getMessage());
            assertThrows(InvalidAddressException.class, () -> s.dial("ipc://" + longPath));
        }
    }

    @Test
    void missingDirectoryIsAClearError()
    {
        try (BusSocket s = Bus.open())
        {
            final TransportException e = assertThrows(TransportException.class,
                () -> s.listen("ipc://" + dir.resolve("no/such/dir/x.ipc")));
            assertTrue(e.getMessage().contains("does not exist"), e.getMessage());
        }
    }

    @Test
    void dialingAMissingFileIsRefused()
    {
        try (BusSocket s = Bus.open())
        {
            assertThrows(ConnectionRefusedException.class, () -> s.dial("ipc://" + dir.resolve("nobody.ipc")));
        }
    }

    @Test
    void permissionsAreApplied() throws Exception
    {
        final Path p = dir.resolve("perm.ipc");
        final BusOptions o = BusOptions.builder().transportProperty(UnixTransport.PERMISSIONS, "0600").build();
        try (BusSocket a = Bus.open(o); BusSocket b = Bus.open())
        {
            a.listen("ipc://" + p);
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(p,
                LinkOption.NOFOLLOW_LINKS)));
            b.dial("ipc://" + p);
            b.send(utf8("perm"));
            assertArrayEquals(utf8("perm"), a.recv(WAIT));
        }
        try (var entries = Files.list(dir))
        {
            assertEquals(List.of(), entries.toList(), "socket file and private bind directory are removed on close");
        }
    }

    @Test
    void badPermissionsValueIsRefused()
    {
        final BusOptions o = BusOptions.builder().transportProperty(UnixTransport.PERMISSIONS, "rw").build();
        try (BusSocket a = Bus.open(o))
        {
            assertThrows(InvalidAddressException.class, () -> a.listen("ipc://" + dir.resolve("x.ipc")));
        }
    }

    @Test
    void pipesReportPeerCredentials() throws Exception
    {
        final Path p = dir.resolve("cred.ipc");
        try (BusSocket a = Bus.open(); BusSocket b = Bus.open())
        {
            a.listen("ipc://" + p);
            b.dial("ipc://" + p);
            b.send(utf8("who"));
            final Message m = a.recvMessage(WAIT);
            final Pipe pipe = a.pipe(m.pipeId()).orElseThrow();
            assertEquals(currentUid(), pipe.properties().get("peer.uid"));
            assertEquals(ProcessHandle.current().pid(), pipe.properties().get("peer.pid"));
            assertTrue(pipe.properties().containsKey("peer.gid"));
            assertEquals("ipc://" + p, pipe.localAddress());
        }
    }

    @Test
    void uidAllowListAdmitsListedUid() throws Exception
    {
        final Path p = dir.resolve("allow.ipc");
        final BusOptions o = BusOptions.builder()
            .transportProperty(UnixTransport.ALLOWED_UIDS, "424242," + currentUid()).build();
        try (BusSocket a = Bus.open(o); BusSocket b = Bus.open())
        {
            a.listen("ipc://" + p);
            b.dial("ipc://" + p);
            b.send(utf8("allowed"));
            assertArrayEquals(utf8("allowed"), a.recv(WAIT));
            assertEquals(0, a.stats().get(Counter.PEERS_REJECTED));
        }
    }

    @Test
    void uidAllowListRefusesOthersBeforeAnyMessage() throws Exception
    {
        final Path p = dir.resolve("deny.ipc");
        final BusOptions o = BusOptions.builder().transportProperty(UnixTransport.ALLOWED_UIDS, "424242").build();
        try (BusSocket a = Bus.open(o); BusSocket b = Bus.open())
        {
            a.listen("ipc://" + p);
            assertThrows(org.spbus.ProtocolException.class, () -> b.dial("ipc://" + p));
            Await.until(() -> a.stats().get(Counter.PEERS_REJECTED) == 1, WAIT, "refused peer is counted");
            assertEquals(0, a.stats().get(Counter.PIPES_TOTAL), "no pipe was attached for the refused peer");
            assertEquals(0, a.stats().get(Counter.MESSAGES_RECEIVED));
        }
    }

    @Test
    void abstractNamespaceHasNoFileAndRefusesSecondListener() throws Exception
    {
        final String name = "spbus-test-" + ProcessHandle.current().pid() + "-" + System.nanoTime();
        try (BusSocket a = Bus.open(); BusSocket b = Bus.open(); BusSocket c = Bus.open())
        {
            final Listener l = a.listen("abstract://" + name);
            assertEquals("abstract://" + name, l.url());
            assertThrows(AddressInUseException.class, () -> c.listen("abstract://" + name));
            b.dial("abstract://" + name);
            b.send(utf8("abstract"));
            assertArrayEquals(utf8("abstract"), a.recv(WAIT));
            a.send(utf8("back"));
            assertArrayEquals(utf8("back"), b.recv(WAIT));
        }
        try (BusSocket d = Bus.open())
        {
            assertThrows(ConnectionRefusedException.class, () -> d.dial("abstract://" + name));
        }
    }

    @Test
    void hundredPipesOnOneListener() throws Exception
    {
        final Path p = dir.resolve("many.ipc");
        final List<BusSocket> peers = new ArrayList<>();
        try (BusSocket hub = Bus.open())
        {
            hub.listen("ipc://" + p);
            for (int i = 0; i < 100; i++)
            {
                final BusSocket s = Bus.open();
                peers.add(s);
                s.dial("ipc://" + p);
            }
            Await.until(() -> hub.pipes().size() == 100, WAIT, "100 pipes attached");
            hub.send(utf8("to-all"));
            for (final BusSocket s : peers)
            {
                assertArrayEquals(utf8("to-all"), s.recv(WAIT));
            }
            for (int i = 0; i < peers.size(); i++)
            {
                peers.get(i).send(utf8("from-" + i));
            }
            int got = 0;
            while (got < 100)
            {
                hub.recv(WAIT);
                got++;
            }
            assertEquals(100, hub.stats().get(Counter.MESSAGES_RECEIVED));
        }
        finally
        {
            for (final BusSocket s : peers)
            {
                s.close();
            }
        }
    }
}
