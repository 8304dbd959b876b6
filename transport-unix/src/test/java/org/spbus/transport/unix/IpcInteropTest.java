package org.spbus.transport.unix;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.spbus.Bus;
import org.spbus.BusOptions;
import org.spbus.BusSocket;
import org.spbus.DialMode;
import org.spbus.Dialer;
import org.spbus.tck.Await;
import org.spbus.tck.ExternalTool;

/**
 * Interop over {@code ipc://} with real peers, both directions, each side listening in turn:
 * {@code nngcat --bus0} (NNG 1.5.2) and {@code nanocat --bus} (nanomsg 1.1.5). With the
 * environment variable {@code CI} set these fail, rather than skip, when the tools are missing.
 */
@Timeout(30)
class IpcInteropTest
{
    private static final Duration WAIT = ExternalTool.WAIT;
    private static final BusOptions FAST_REDIAL = BusOptions.builder().reconnectMin(Duration.ofMillis(50)).build();

    @TempDir
    Path dir;

    private static byte[] utf8(final String s)
    {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static String recv(final BusSocket s)
    {
        return new String(s.recv(WAIT), StandardCharsets.UTF_8);
    }

    private void peerDialsSpbus(final String... tool)
    {
        final String url = "ipc://" + dir.resolve("spbus.ipc");
        try (BusSocket s = Bus.open())
        {
            s.listen(url);
            final String[] argv = new String[tool.length + 6];
            System.arraycopy(tool, 0, argv, 0, tool.length);
            System.arraycopy(new String[] {url, "--data", "from-peer", "--interval", "1", "--quoted"}, 0, argv,
                tool.length, 6);
            try (ExternalTool p = ExternalTool.start(argv))
            {
                assertEquals("from-peer", recv(s), p::describe);
                p.repeatUntilLine("\"from-spbus\"", () -> s.send(utf8("from-spbus")));
            }
        }
    }

    private void spbusDialsPeer(final String... tool)
    {
        final Path path = dir.resolve("peer.ipc");
        final String url = "ipc://" + path;
        final String[] argv = new String[tool.length + 6];
        System.arraycopy(tool, 0, argv, 0, tool.length);
        System.arraycopy(new String[] {url, "--data", "from-peer", "--interval", "1", "--quoted"}, 0, argv, tool.length, 6);
        try (ExternalTool p = ExternalTool.start(argv); BusSocket s = Bus.open(FAST_REDIAL))
        {
            Await.until(() -> Files.exists(path) || !p.isAlive(), WAIT, () -> "peer listening: " + p.describe());
            final Dialer d = s.dial(url, DialMode.NON_BLOCKING);
            Await.until(d::isConnected, WAIT, () -> "connected to " + p.describe() + " " + s.stats());
            assertEquals("from-peer", recv(s), p::describe);
            p.repeatUntilLine("\"from-spbus\"", () -> s.send(utf8("from-spbus")));
        }
        assertFalse(Files.exists(dir.resolve("spbus.ipc")));
    }

    @Test
    void nngcatDialsSpbusOverIpc()
    {
        peerDialsSpbus(ExternalTool.require("nngcat", "nng-utils"), "--bus0", "--dial");
    }

    @Test
    void spbusDialsNngcatOverIpc()
    {
        spbusDialsPeer(ExternalTool.require("nngcat", "nng-utils"), "--bus0", "--listen");
    }

    @Test
    void nanocatConnectsToSpbusOverIpc()
    {
        peerDialsSpbus(ExternalTool.require("nanocat", "nanomsg-utils"), "--bus", "--connect");
    }

    @Test
    void spbusDialsNanocatOverIpc()
    {
        spbusDialsPeer(ExternalTool.require("nanocat", "nanomsg-utils"), "--bus", "--bind");
    }
}
