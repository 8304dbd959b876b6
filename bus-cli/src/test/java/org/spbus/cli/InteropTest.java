package org.spbus.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.spbus.cli.TestSupport.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code spbus} CLI as a subprocess against the real nngcat (NNG 1.5.2) and nanocat
 * (nanomsg 1.1.5), in both directions. If a tool is missing the test is skipped, unless the
 * environment variable {@code CI} is set: then it fails.
 */
@Timeout(20)
class InteropTest
{
    private static final Duration WAIT = Duration.ofSeconds(10);

    private static TestSupport.Proc spbus(final String... args)
    {
        return new TestSupport.Proc(TestSupport.cliCommand(args));
    }

    /** Starts spbus listening on a free port with -v and waits for its Listening at: line. */
    private static TestSupport.Proc spbusListening(final int port, final String... more)
    {
        final String[] args = new String[3 + more.length];
        args[0] = "--bus0";
        args[1] = "-v";
        args[2] = "--listen=tcp://127.0.0.1:" + port;
        System.arraycopy(more, 0, args, 3, more.length);
        final TestSupport.Proc p = spbus(args);
        await("spbus to listen: " + p, WAIT, () -> p.out.text().contains("Listening at: tcp://127.0.0.1:" + port + "\n")
            || !p.process.isAlive());
        return p;
    }

    @Test
    void spbusListensAndPrintsWhatNngcatDialsAndSends()
    {
        final String nngcat = TestSupport.requireTool("nngcat", "nng-utils");
        final int port = TestSupport.freePort();
        try (TestSupport.Proc cli = spbusListening(port, "--quoted", "-C", "2");
            TestSupport.Proc peer = new TestSupport.Proc(List.of(nngcat, "--bus0", "--dial",
                "tcp://127.0.0.1:" + port, "-D", "hello", "-i", "1")))
        {
            assertEquals(0, cli.await(WAIT), cli + " / " + peer);
            assertEquals("Listening at: tcp://127.0.0.1:" + port + "\n\"hello\"\n\"hello\"\n", cli.out.text());
            assertEquals("", cli.err.text());
        }
    }

    @Test
    void spbusDialsAndNngcatListensAndPrints()
    {
        final String nngcat = TestSupport.requireTool("nngcat", "nng-utils");
        final int port = TestSupport.freePort();
        try (TestSupport.Proc peer = new TestSupport.Proc(List.of(nngcat, "--bus0", "--listen",
            "tcp://127.0.0.1:" + port, "--quoted", "-C", "1")))
        {
            await("nngcat to listen", WAIT, () -> TestSupport.accepting(port));
            try (TestSupport.Proc cli = spbus("--bus0", "--dial", "tcp://127.0.0.1:" + port, "-D", "hello", "-i", "1",
                "-C", "1"))
            {
                assertEquals(0, peer.await(WAIT), peer + " / " + cli);
                assertEquals("\"hello\"\n", peer.out.text());
                assertEquals(0, cli.await(WAIT), cli.toString());
                assertEquals("", cli.err.text());
            }
        }
    }

    @Test
    void spbusAndNngcatExchangeBothWays()
    {
        final String nngcat = TestSupport.requireTool("nngcat", "nng-utils");
        final int port = TestSupport.freePort();
        // as nngcat-spec.md 3.10 between two nngcats: each sends after a 1 s delay, each prints the other's
        try (TestSupport.Proc cli = spbusListening(port, "-D", "fromS", "-d", "1", "-Q", "--recv-timeout", "2");
            TestSupport.Proc peer = new TestSupport.Proc(List.of(nngcat, "--bus0", "--dial",
                "tcp://127.0.0.1:" + port, "-D", "fromN", "-d", "1", "-Q", "--recv-timeout", "2")))
        {
            assertEquals(0, peer.await(WAIT), peer + " / " + cli);
            assertEquals(0, cli.await(WAIT), cli.toString());
            assertEquals("\"fromS\"\n", peer.out.text());
            assertEquals("Listening at: tcp://127.0.0.1:" + port + "\n\"fromN\"\n", cli.out.text());
        }
    }

    @Test
    void ipcShortcutsWithNngcat(@TempDir final Path dir)
    {
        final String nngcat = TestSupport.requireTool("nngcat", "nng-utils");
        final String path = dir.resolve("bus.ipc").toString();
        // -X PATH listens on "ipc:///" + PATH for both tools
        try (TestSupport.Proc cli = spbus("--bus0", "-v", "-X", path, "--quoted", "-C", "1"))
        {
            await("spbus to listen on ipc", WAIT, () -> cli.out.text().contains("Listening at: ipc:///" + path + "\n")
                || !cli.process.isAlive());
            try (TestSupport.Proc peer = new TestSupport.Proc(List.of(nngcat, "--bus0", "-x", path, "-D", "via ipc",
                "-i", "1")))
            {
                assertEquals(0, cli.await(WAIT), cli + " / " + peer);
                assertEquals("Listening at: ipc:///" + path + "\n\"via ipc\"\n", cli.out.text());
            }
        }
    }

    @Test
    void spbusListensAndPrintsWhatNanocatConnectsAndSends()
    {
        final String nanocat = TestSupport.requireTool("nanocat", "nanomsg-utils");
        final int port = TestSupport.freePort();
        // nanocat connects asynchronously, so its first send may go nowhere; -C 1 waits for the next
        try (TestSupport.Proc cli = spbusListening(port, "--quoted", "-C", "1");
            TestSupport.Proc peer = new TestSupport.Proc(List.of(nanocat, "--bus", "--connect",
                "tcp://127.0.0.1:" + port, "-D", "hello", "-i", "1")))
        {
            assertEquals(0, cli.await(WAIT), cli + " / " + peer);
            assertEquals("Listening at: tcp://127.0.0.1:" + port + "\n\"hello\"\n", cli.out.text());
        }
    }

    @Test
    void spbusDialsAndNanocatBindsAndPrints()
    {
        final String nanocat = TestSupport.requireTool("nanocat", "nanomsg-utils");
        final int port = TestSupport.freePort();
        try (TestSupport.Proc peer = new TestSupport.Proc(List.of(nanocat, "--bus", "--bind", "tcp://127.0.0.1:" + port,
            "--quoted")))
        {
            await("nanocat to listen", WAIT, () -> TestSupport.accepting(port));
            try (TestSupport.Proc cli = spbus("--bus0", "--connect", "tcp://127.0.0.1:" + port, "-D", "hello", "-i",
                "1", "-C", "1"))
            {
                await("nanocat to print the message: " + peer, WAIT, () -> peer.out.text().contains("\"hello\"\n"));
                assertEquals(0, cli.await(WAIT), cli.toString());
                assertEquals("\"hello\"\n", peer.out.text());
            }
        }
    }

    @Test
    void spbusTalksToSpbusAcrossProcesses()
    {
        final int port = TestSupport.freePort();
        try (TestSupport.Proc listener = spbusListening(port, "--hex", "-C", "1");
            TestSupport.Proc dialer = spbus("--bus0", "-l", Integer.toString(port), "-D", "hi", "-i", "1", "-C", "1"))
        {
            assertEquals(0, listener.await(WAIT), listener.toString());
            assertEquals("Listening at: tcp://127.0.0.1:" + port + "\n\"\\x68\\x69\"\n", listener.out.text());
            assertEquals(0, dialer.await(WAIT), dialer.toString());
        }
    }

    @Test
    void subprocessErrorTextAndExitCode()
    {
        final int port = TestSupport.freePort();
        try (TestSupport.Proc cli = spbus("--bus0", "--dial", "tcp://127.0.0.1:" + port))
        {
            assertEquals(1, cli.await(WAIT));
            assertEquals("", cli.out.text());
            assertEquals("Unable to dial on tcp://127.0.0.1:" + port + ": Connection refused\n", cli.err.text());
        }
    }
}
