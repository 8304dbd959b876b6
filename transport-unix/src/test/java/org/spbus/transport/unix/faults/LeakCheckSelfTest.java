package org.spbus.transport.unix.faults;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.opentest4j.AssertionFailedError;
import org.spbus.Bus;
import org.spbus.BusSocket;
import org.spbus.tck.Await;
import org.spbus.tck.LeakCheck;

/**
 * {@link LeakCheck} itself: it passes a clean test and catches each kind of leak it promises to
 * (a socket left open, with its threads and descriptors; a Unix socket file left behind). The
 * extension is driven by hand, with a short deadline.
 */
@Timeout(30)
class LeakCheckSelfTest
{
    @TempDir
    Path dir;

    private String savedTimeout;

    @BeforeEach
    void shortDeadline()
    {
        savedTimeout = System.getProperty(Await.TIMEOUT_PROPERTY);
        System.setProperty(Await.TIMEOUT_PROPERTY, "700");
    }

    @AfterEach
    void restoreDeadline()
    {
        if (savedTimeout == null)
        {
            System.clearProperty(Await.TIMEOUT_PROPERTY);
        }
        else
        {
            System.setProperty(Await.TIMEOUT_PROPERTY, savedTimeout);
        }
    }

    @Test
    void cleanTestPasses()
    {
        final LeakCheck check = new LeakCheck().watch(dir);
        check.beforeEach(null);
        try (BusSocket a = Bus.open(); BusSocket b = Bus.open())
        {
            b.dial(a.listen("ipc://" + dir.resolve("clean.ipc")).url());
        }
        assertDoesNotThrow(() -> check.afterEach(null));
    }

    @Test
    void socketLeftOpenIsCaught()
    {
        final LeakCheck check = new LeakCheck().watch(dir);
        check.beforeEach(null);
        final BusSocket a = Bus.open();
        final BusSocket b = Bus.open();
        try
        {
            b.dial(a.listen("ipc://" + dir.resolve("open.ipc")).url());
            final AssertionFailedError e = assertThrows(AssertionFailedError.class, () -> check.afterEach(null));
            assertTrue(e.getMessage().contains("spbus threads") || e.getMessage().contains("file descriptors"), e.getMessage());
        }
        finally
        {
            a.close();
            b.close();
        }
    }

    @Test
    void socketFileLeftBehindIsCaught() throws Exception
    {
        final LeakCheck check = new LeakCheck().watch(dir);
        check.beforeEach(null);
        final Path p = dir.resolve("left.ipc");
        try (ServerSocketChannel ch = ServerSocketChannel.open(StandardProtocolFamily.UNIX))
        {
            ch.bind(UnixDomainSocketAddress.of(p));
        }
        // The JDK leaves the file after close, like a process that crashed.
        assertTrue(Files.exists(p));
        final AssertionFailedError e = assertThrows(AssertionFailedError.class, check::assertNoSocketFilesLeft);
        assertTrue(e.getMessage().contains("left.ipc"), e.getMessage());
        Files.delete(p);
        assertDoesNotThrow(() -> check.afterEach(null));
    }
}
