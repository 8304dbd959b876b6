package org.spbus.transport.tcp.interop;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.spbus.transport.tcp.interop.Tools.WAIT;
import static org.spbus.transport.tcp.interop.Tools.await;
import static org.spbus.transport.tcp.interop.Tools.recvText;
import static org.spbus.transport.tcp.interop.Tools.utf8;

import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.spbus.Bus;
import org.spbus.BusOptions;
import org.spbus.BusSocket;
import org.spbus.Counter;
import org.spbus.transport.tcp.interop.Tools.ListeningTool;
import org.spbus.tck.ExternalTool;

/**
 * Interop with a real NNG peer ({@code nngcat --bus0}, NNG 1.5.2 here) over TCP, both
 * directions, each side listening in turn. Skipped when nngcat is missing, unless {@code CI}
 * is set (then it fails).
 */
@Timeout(30)
class NngcatInteropTest
{
    /** A dialer that retries quickly while the tool is starting. */
    private static final BusOptions FAST_REDIAL = BusOptions.builder().reconnectMin(Duration.ofMillis(50)).build();

    private String nngcat;

    @BeforeEach
    void findNngcat()
    {
        nngcat = Tools.require("nngcat", "nng-utils");
    }

    @Test
    void nngcatDialsSpbusListener() throws Exception
    {
        try (BusSocket s = Bus.open())
        {
            final String url = s.listen("tcp://127.0.0.1:0").url();
            try (ExternalTool p = ExternalTool.start(nngcat, "--bus0", "--dial", url, "--data", "hello",
                "--interval", "1", "--quoted", "--count", "20"))
            {
                assertEquals("hello", recvText(s, p::describe));
                p.repeatUntilLine("\"from-spbus\"", () -> s.send(utf8("from-spbus")));
                assertEquals(0, s.stats().get(Counter.HANDSHAKE_FAILURES), () -> "stats " + s.stats());
                assertEquals(0, s.stats().get(Counter.PROTOCOL_ERRORS), () -> "stats " + s.stats());
            }
        }
    }

    @Test
    void spbusDialsNngcatListener() throws Exception
    {
        try (BusSocket s = Bus.open(FAST_REDIAL);
            ListeningTool t = Tools.startListening(s, port -> List.of(nngcat, "--bus0", "--listen",
                "tcp://127.0.0.1:" + port, "--data", "from-nngcat", "--interval", "1", "--quoted", "--count", "25")))
        {
            assertEquals("from-nngcat", recvText(s, t.process::describe));
            t.process.repeatUntilLine("\"from-spbus\"", () -> s.send(utf8("from-spbus")));
            assertTrue(t.dialer.isConnected());
        }
    }

    /** The empty message both ways: nngcat sends {@code --data ''}, spbus sends {@code byte[0]}. */
    @Test
    void zeroLengthMessageBothWays() throws Exception
    {
        try (BusSocket s = Bus.open())
        {
            final String url = s.listen("tcp://127.0.0.1:0").url();
            try (ExternalTool p = ExternalTool.start(nngcat, "--bus0", "--dial", url, "--data", "",
                "--interval", "1", "--quoted", "--count", "20"))
            {
                final byte[] got = s.recv(WAIT);
                assertEquals(0, got.length, "nngcat's empty message must arrive empty");
                p.repeatUntilLine("\"\"", () -> s.send(new byte[0]));
                assertEquals(0, s.stats().get(Counter.PROTOCOL_ERRORS));
            }
        }
    }

    /** 100 KiB from spbus to nngcat, checked byte for byte through {@code --hex}. */
    @Test
    void largeMessageToNngcat() throws Exception
    {
        final byte[] big = new byte[100 * 1024];
        for (int i = 0; i < big.length; i++)
        {
            big[i] = (byte)(i * 31 + 7);
        }
        try (BusSocket s = Bus.open())
        {
            final String url = s.listen("tcp://127.0.0.1:0").url();
            try (ExternalTool p = ExternalTool.start(nngcat, "--bus0", "--dial", url, "--hex", "--count", "1",
                "--recv-timeout", "20"))
            {
                await(WAIT, () -> "nngcat's pipe; " + p.describe(), () -> s.stats().get(Counter.PIPES_CURRENT) == 1);
                final long end = System.nanoTime() + WAIT.toNanos();
                while (p.stdoutLines().isEmpty())
                {
                    assertTrue(System.nanoTime() - end < 0, () -> "nngcat printed no line: " + p.describe());
                    if (p.isAlive())
                    {
                        s.send(big);
                    }
                    Tools.pause(200);
                }
                final byte[] printed = decodeHexLine(p.stdoutLines().get(0));
                assertEquals(big.length, printed.length, "length of the message nngcat received");
                assertArrayEquals(big, printed, "content of the message nngcat received");
                assertEquals(0, p.awaitExit(WAIT), () -> "nngcat --count 1 exit status; " + p.describe());
            }
        }
    }

    /**
     * recvMaxSize against a real sender: with a 64 KiB limit, nngcat's 65 536-byte message is
     * delivered and its 65 537-byte message makes spbus close the pipe (nngcat redials and
     * tries again; nothing is delivered, each attempt is a protocol error).
     */
    @Test
    void recvMaxSizeWithRealSender(@TempDir final Path dir) throws Exception
    {
        final int limit = 64 * 1024;
        final byte[] exact = new byte[limit];
        Arrays.fill(exact, (byte)'e');
        final byte[] over = new byte[limit + 1];
        Arrays.fill(over, (byte)'o');
        final Path exactFile = Files.write(dir.resolve("exact.bin"), exact);
        final Path overFile = Files.write(dir.resolve("over.bin"), over);
        try (BusSocket s = Bus.open(BusOptions.builder().recvMaxSize(limit).build()))
        {
            final String url = s.listen("tcp://127.0.0.1:0").url();
            try (ExternalTool p = ExternalTool.start(nngcat, "--bus0", "--dial", url, "--file", exactFile.toString(),
                "--interval", "1", "--count", "20"))
            {
                assertArrayEquals(exact, s.recv(WAIT), () -> "a message of exactly recvMaxSize from nngcat; " + p.describe());
            }
            await(WAIT, () -> "nngcat's pipe to go", () -> s.stats().get(Counter.PIPES_CURRENT) == 0);
            try (ExternalTool p = ExternalTool.start(nngcat, "--bus0", "--dial", url, "--file", overFile.toString(),
                "--interval", "1", "--count", "20"))
            {
                await(WAIT, () -> "a protocol error; " + p.describe() + "; " + s.stats(),
                    () -> s.stats().get(Counter.PROTOCOL_ERRORS) >= 1);
                assertEquals(1, s.stats().get(Counter.MESSAGES_RECEIVED), () -> "nothing over the limit: " + s.stats());
                assertEquals(null, s.tryRecv());
            }
        }
    }

    /** nngcat dials an spbus listener on the IPv6 loopback ({@code tcp://[::1]:PORT}). */
    @Test
    void nngcatDialsSpbusOverIpv6() throws Exception
    {
        HostileDialTest.assumeIpv6Loopback();
        try (BusSocket s = Bus.open())
        {
            final String url = s.listen("tcp://[::1]:0").url();
            assertTrue(url.startsWith("tcp://[::1]:"), url);
            try (ExternalTool p = ExternalTool.start(nngcat, "--bus0", "--dial", url, "--data", "hello6",
                "--interval", "1", "--quoted", "--count", "20"))
            {
                assertEquals("hello6", recvText(s, p::describe));
                p.repeatUntilLine("\"from-spbus6\"", () -> s.send(utf8("from-spbus6")));
            }
        }
    }

    /** Decodes nngcat's {@code --hex} line: {@code "\x68\x69"}. */
    static byte[] decodeHexLine(final String line)
    {
        assertTrue(line.length() >= 2 && line.startsWith("\"") && line.endsWith("\""), "not a --hex line");
        final String body = line.substring(1, line.length() - 1);
        assertEquals(0, body.length() % 4, "a --hex body is a run of \\xNN");
        final ByteArrayOutputStream b = new ByteArrayOutputStream(body.length() / 4);
        for (int i = 0; i < body.length(); i += 4)
        {
            assertEquals("\\x", body.substring(i, i + 2), "at offset " + i);
            b.write(Integer.parseInt(body.substring(i + 2, i + 4), 16));
        }
        return b.toByteArray();
    }
}
