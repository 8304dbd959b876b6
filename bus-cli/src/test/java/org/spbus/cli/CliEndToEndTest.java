package org.spbus.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.spbus.cli.TestSupport.await;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.spbus.Bus;
import org.spbus.BusSocket;
import org.spbus.Counter;
import org.spbus.Listener;

/**
 * The CLI run in-process ({@link Main#run}) against Java BUS sockets: what it prints, its exit
 * codes and its errors.
 */
@Timeout(20)
class CliEndToEndTest
{
    private static final Duration WAIT = Duration.ofSeconds(10);

    private static byte[] utf8(final String s)
    {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void listensAndPrintsQuotedMessagesFromAJavaDialer()
    {
        final TestSupport.InProcess cli = new TestSupport.InProcess("--bus0", "--listen", "tcp://127.0.0.1:0", "-v",
            "--quoted", "-C", "3");
        await("the Listening at: line", WAIT, () -> TestSupport.listeningPort(cli.out.text()) > 0);
        final int port = TestSupport.listeningPort(cli.out.text());
        try (BusSocket s = Bus.open())
        {
            s.dial("tcp://127.0.0.1:" + port);
            s.send(utf8("hello"));
            s.send(utf8("A\nB"));
            s.send(new byte[0]);
            assertEquals(0, cli.await(WAIT));
        }
        assertEquals("Listening at: tcp://127.0.0.1:" + port + "\n\"hello\"\n\"A\\nB\"\n\"\"\n", cli.out.text());
        assertEquals("", cli.err.text());
    }

    @Test
    void dialsSendsEveryIntervalAndPrintsTheReply()
    {
        try (BusSocket s = Bus.open())
        {
            final Listener l = s.listen("tcp://127.0.0.1:0");
            final TestSupport.InProcess cli = new TestSupport.InProcess("--bus0", "--dial", l.url(), "-D", "hello",
                "-i", "1", "-C", "1", "--hex", "-v");
            assertArrayEquals(utf8("hello"), s.recv(WAIT));
            s.send(utf8("back"));
            assertEquals(0, cli.await(WAIT));
            assertEquals("Connected to: " + l.url() + "\n\"\\x62\\x61\\x63\\x6b\"\n", cli.out.text());
            assertEquals("", cli.err.text());
        }
    }

    @Test
    void dataFromStdinIsSentByteForByte()
    {
        final byte[] data = {0, 'x', (byte)0xff, '\n'};
        try (BusSocket s = Bus.open())
        {
            final Listener l = s.listen("tcp://127.0.0.1:0");
            final TestSupport.InProcess cli = new TestSupport.InProcess(data, "--bus0", "-l",
                Integer.toString(NngText.portOf(l.url())), "-F", "-", "-i", "1", "-C", "1");
            assertArrayEquals(data, s.recv(WAIT));
            assertEquals(0, cli.await(WAIT));
            assertEquals("", cli.out.text()); // no format: nothing printed
        }
    }

    @Test
    void receiveTimeoutEndsQuietlyWithZero()
    {
        final Object[] r = TestSupport.runCli(WAIT, "--bus0", "--listen", "tcp://127.0.0.1:0", "--recv-timeout", "1",
            "--raw");
        assertEquals(0, r[0]);
        assertEquals("", r[1]);
        assertEquals("", r[2]);
    }

    @Test
    void recvMaxSizeDropsTheConnectionOfAnOversizedMessage()
    {
        final TestSupport.InProcess cli = new TestSupport.InProcess("--bus0", "-L", "0", "-v", "--raw", "-Z", "5",
            "--recv-timeout", "1");
        await("the Listening at: line", WAIT, () -> TestSupport.listeningPort(cli.out.text()) > 0);
        final int port = TestSupport.listeningPort(cli.out.text());
        try (BusSocket s = Bus.open())
        {
            s.dial("tcp://127.0.0.1:" + port);
            s.send(utf8("ABCDE"));
            s.send(utf8("ABCDEF")); // over the limit: the pipe is closed, so the next one is lost too
            s.send(utf8("AB"));
            assertEquals(0, cli.await(WAIT));
        }
        assertEquals("Listening at: tcp://127.0.0.1:" + port + "\nABCDE", cli.out.text());
    }

    @Test
    void noRecvMaxSizeMeansNoLimitAsInNng152()
    {
        final byte[] big = new byte[1024 * 1024 + 1];
        big[big.length - 1] = 'z';
        final TestSupport.InProcess cli = new TestSupport.InProcess("--bus0", "-L", "0", "-v", "--msgpack", "-C", "1");
        await("the Listening at: line", WAIT, () -> TestSupport.listeningPort(cli.out.text()) > 0);
        final int port = TestSupport.listeningPort(cli.out.text());
        try (BusSocket s = Bus.open())
        {
            s.dial("tcp://127.0.0.1:" + port);
            s.send(big);
            assertEquals(0, cli.await(WAIT));
        }
        final byte[] out = cli.out.bytes();
        final int header = ("Listening at: tcp://127.0.0.1:" + port + "\n").length();
        assertEquals(header + 5 + big.length, out.length);
        assertEquals((byte)0xc6, out[header]);
        assertEquals('z', out[out.length - 1]);
    }

    @Test
    void statsArePrintedToStderrOnExit()
    {
        final TestSupport.InProcess cli = new TestSupport.InProcess("--bus0", "-L", "0", "-v", "-A", "-C", "1",
            "--stats");
        await("the Listening at: line", WAIT, () -> TestSupport.listeningPort(cli.out.text()) > 0);
        try (BusSocket s = Bus.open())
        {
            s.dial("tcp://127.0.0.1:" + TestSupport.listeningPort(cli.out.text()));
            s.send(utf8("hi"));
            assertEquals(0, cli.await(WAIT));
        }
        assertTrue(cli.out.text().endsWith("\nhi"), cli.out.text());
        final String err = cli.err.text();
        for (final Counter c : Counter.values())
        {
            assertTrue(err.contains("\n" + c.label() + " ") || err.startsWith(c.label() + " "), c.label() + " in " + err);
        }
        assertTrue(err.contains("\nmessages_received 1 messages\n"), err);
        assertTrue(err.contains("\nbytes_received 2 bytes\n"), err);
        assertTrue(err.contains("\naccepts 1 connections\n"), err);
        assertEquals(Counter.values().length, err.split("\n").length);
    }

    @Test
    void refusedDialIsFatalWithNngcatsText() throws IOException
    {
        final int port;
        try (ServerSocket ss = new ServerSocket())
        {
            ss.bind(new InetSocketAddress("127.0.0.1", 0));
            port = ss.getLocalPort();
        }
        final Object[] r = TestSupport.runCli(WAIT, "--bus0", "--dial", "tcp://127.0.0.1:" + port);
        assertEquals(1, r[0]);
        assertEquals("", r[1]);
        assertEquals("Unable to dial on tcp://127.0.0.1:" + port + ": Connection refused\n", r[2]);
    }

    @Test
    void asyncDialToNothingIsNotAnError() throws IOException
    {
        final int port = TestSupport.freePort();
        final Object[] r = TestSupport.runCli(WAIT, "--bus0", "-v", "--async", "--dial", "tcp://127.0.0.1:" + port,
            "--recv-timeout", "1");
        assertEquals(0, r[0]);
        assertEquals("Connected to: tcp://127.0.0.1:" + port + "\n", r[1]);
        assertEquals("", r[2]);
    }

    @Test
    void addressInUse() throws IOException
    {
        try (ServerSocket ss = new ServerSocket())
        {
            ss.bind(new InetSocketAddress("127.0.0.1", 0));
            final int port = ss.getLocalPort();
            final Object[] r = TestSupport.runCli(WAIT, "--bus0", "-L", Integer.toString(port));
            assertEquals(1, r[0]);
            assertEquals("Unable to listen on tcp://127.0.0.1:" + port + ": Address in use\n", r[2]);
        }
    }

    @Test
    void addressErrorsAtCreation()
    {
        Object[] r = TestSupport.runCli(WAIT, "--bus0", "--dial", "foo://bar");
        assertEquals(1, r[0]);
        assertEquals("Unable to create dialer for foo://bar: Not supported\n", r[2]);
        r = TestSupport.runCli(WAIT, "--bus0", "--dial", "notaurl");
        assertEquals("Unable to create dialer for notaurl: Invalid argument\n", r[2]);
        r = TestSupport.runCli(WAIT, "--bus0", "--dial", "tcp://127.0.0.1");
        assertEquals("Unable to create dialer for tcp://127.0.0.1: Address invalid\n", r[2]);
        r = TestSupport.runCli(WAIT, "--bus0", "--listen", "tcp://127.0.0.1:99999");
        assertEquals("Unable to create listener for tcp://127.0.0.1:99999: Address invalid\n", r[2]);
        r = TestSupport.runCli(WAIT, "--bus0", "-L", "65536");
        assertEquals("Unable to create listener for tcp://127.0.0.1:65536: Address invalid\n", r[2]);
        assertEquals(1, r[0]);
    }

    @Test
    void addressesStartInOrderAndTheFirstFailureIsFatal() throws IOException
    {
        try (BusSocket s = Bus.open())
        {
            final Listener l = s.listen("tcp://127.0.0.1:0");
            final int dead = TestSupport.freePort();
            final Object[] r = TestSupport.runCli(WAIT, "--bus0", "-v", "--listen", "inproc://cli-e2e-order",
                "--dial", l.url(), "--dial", "tcp://127.0.0.1:" + dead);
            assertEquals(1, r[0]);
            assertEquals("Listening at: inproc://cli-e2e-order\nConnected to: " + l.url() + "\n", r[1]);
            assertEquals("Unable to dial on tcp://127.0.0.1:" + dead + ": Connection refused\n", r[2]);
        }
    }

    @Test
    void unsupportedProtocolAndParseErrorsGoToStderr()
    {
        Object[] r = TestSupport.runCli(WAIT, "--pub0", "--listen", "tcp://127.0.0.1:0");
        assertEquals(1, r[0]);
        assertEquals("", r[1]);
        assertEquals("Protocol --pub0 is not supported: spbus only speaks bus0 (use --bus0).\n", r[2]);
        r = TestSupport.runCli(WAIT);
        assertEquals(1, r[0]);
        assertEquals("No address specified.\n", r[2]);
    }

    @Test
    void helpOnStdoutWithExitOneAndVersionWithZero()
    {
        Object[] r = TestSupport.runCli(WAIT, "--help");
        assertEquals(1, r[0]);
        assertTrue(((String)r[1]).startsWith("Usage: spbus <proto> <addr>... [<fmt>] [<opts>...] [<src>]\n"));
        assertTrue(((String)r[1]).contains("  --bus0                 (or alias --bus)\n"));
        assertTrue(((String)r[1]).matches("(?s).*URL schemes installed: [^\\n]*inproc[^\\n]*ipc[^\\n]*tcp.*"),
            (String)r[1]);
        assertEquals("", r[2]);
        r = TestSupport.runCli(WAIT, "--version");
        assertEquals(0, r[0]);
        assertTrue(((String)r[1]).matches("\\d+\\.\\d+\\.\\d+(-SNAPSHOT)?\\n"), (String)r[1]);
    }

    @Test
    void delayedSendFromAListenerReachesAPeerThatConnectsMeanwhile()
    {
        try (BusSocket s = Bus.open())
        {
            final int port = TestSupport.freePort();
            final TestSupport.InProcess cli = new TestSupport.InProcess("--bus0", "-L", Integer.toString(port), "-D",
                "late", "-d", "1", "-Q", "--recv-timeout", "1");
            await("the CLI listening", WAIT, () -> TestSupport.accepting(port));
            s.dial("tcp://127.0.0.1:" + port);
            s.send(utf8("early")); // arrives during the delay: queued and printed afterwards
            assertArrayEquals(utf8("late"), s.recv(WAIT));
            assertEquals(0, cli.await(WAIT));
            assertEquals("\"early\"\n", cli.out.text());
        }
    }
}
