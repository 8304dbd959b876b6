package org.spbus.cli;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Assumptions;

/** Helpers shared by the CLI tests: bounded waits, free ports, in-process and subprocess runs. */
final class TestSupport
{
    private TestSupport()
    {
    }

    /** A byte sink that several threads may write and read at once. */
    static final class SyncBuffer extends OutputStream
    {
        private final ByteArrayOutputStream buf = new ByteArrayOutputStream();

        @Override
        public synchronized void write(final int b)
        {
            buf.write(b);
        }

        @Override
        public synchronized void write(final byte[] b, final int off, final int len)
        {
            buf.write(b, off, len);
        }

        synchronized byte[] bytes()
        {
            return buf.toByteArray();
        }

        String text()
        {
            return new String(bytes(), StandardCharsets.UTF_8);
        }
    }

    /**
     * Polls {@code condition} until it holds or {@code timeout} passes (then fails with
     * {@code what}). Sleeps a few milliseconds between polls; never used as synchronisation by itself.
     */
    static void await(final String what, final Duration timeout, final BooleanSupplier condition)
    {
        final long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean())
        {
            if (System.nanoTime() - deadline > 0)
            {
                fail("timed out after " + timeout.toMillis() + " ms waiting for " + what);
            }
            // The poll interval of this deadline-bounded wait.
            java.util.concurrent.locks.LockSupport.parkNanos(5_000_000L);
            if (Thread.interrupted())
            {
                fail("interrupted waiting for " + what);
            }
        }
    }

    /** A TCP port that was free a moment ago on 127.0.0.1. */
    static int freePort()
    {
        try (ServerSocket s = new ServerSocket())
        {
            s.setReuseAddress(false);
            s.bind(new InetSocketAddress("127.0.0.1", 0));
            return s.getLocalPort();
        }
        catch (final IOException e)
        {
            throw new UncheckedIOException(e);
        }
    }

    /** Whether something accepts TCP connections on 127.0.0.1:{@code port} (connects and closes at once). */
    static boolean accepting(final int port)
    {
        try (Socket s = new Socket())
        {
            s.connect(new InetSocketAddress("127.0.0.1", port), 200);
            return true;
        }
        catch (final IOException e)
        {
            return false;
        }
    }

    /** The port in the first {@code Listening at: tcp://HOST:PORT} line of {@code text}, or -1. */
    static int listeningPort(final String text)
    {
        final Matcher m = Pattern.compile("Listening at: tcp://[^\\n]*:(\\d+)\\n").matcher(text);
        return m.find() ? Integer.parseInt(m.group(1)) : -1;
    }

    /** A CLI run in-process, in its own thread: {@link Main#run} with captured streams. */
    static final class InProcess
    {
        final SyncBuffer out = new SyncBuffer();
        final SyncBuffer err = new SyncBuffer();
        private final Thread thread;
        private volatile Integer rc;

        InProcess(final byte[] stdin, final String... args)
        {
            final InputStream in = new ByteArrayInputStream(stdin);
            final PrintStream errStream = new PrintStream(err, true, StandardCharsets.UTF_8);
            thread = new Thread(() -> rc = Main.run(args, in, out, errStream), "cli-under-test");
            thread.setDaemon(true);
            thread.start();
        }

        InProcess(final String... args)
        {
            this(new byte[0], args);
        }

        /** Waits for the run to end and returns its exit code. */
        int await(final Duration timeout)
        {
            try
            {
                thread.join(timeout.toMillis());
            }
            catch (final InterruptedException e)
            {
                Thread.currentThread().interrupt();
            }
            if (thread.isAlive())
            {
                fail("the CLI did not exit within " + timeout.toMillis() + " ms; stdout=" + out.text() + " stderr="
                    + err.text());
            }
            return rc;
        }

        boolean done()
        {
            return !thread.isAlive();
        }
    }

    /** Runs the CLI to completion in-process and returns {rc, stdout, stderr}. */
    static Object[] runCli(final Duration timeout, final String... args)
    {
        final InProcess p = new InProcess(args);
        final int rc = p.await(timeout);
        return new Object[] {rc, p.out.text(), p.err.text()};
    }

    /** A subprocess with its stdout and stderr collected by background threads. */
    static final class Proc implements AutoCloseable
    {
        final Process process;
        final SyncBuffer out = new SyncBuffer();
        final SyncBuffer err = new SyncBuffer();
        final List<String> command;
        private final List<Thread> pumps = new ArrayList<>();

        Proc(final List<String> command)
        {
            this.command = List.copyOf(command);
            try
            {
                final ProcessBuilder pb = new ProcessBuilder(command);
                pb.redirectInput(ProcessBuilder.Redirect.PIPE);
                process = pb.start();
                process.getOutputStream().close();
            }
            catch (final IOException e)
            {
                throw new UncheckedIOException("cannot start " + command, e);
            }
            pumps.add(pump(process.getInputStream(), out, "out"));
            pumps.add(pump(process.getErrorStream(), err, "err"));
        }

        private static Thread pump(final InputStream in, final SyncBuffer to, final String name)
        {
            final Thread t = new Thread(() ->
            {
                final byte[] b = new byte[8192];
                int n;
                try
                {
                    while ((n = in.read(b)) > 0)
                    {
                        to.write(b, 0, n);
                    }
                }
                catch (final IOException e)
                {
                    // process ended
                }
            }, "pump-" + name);
            t.setDaemon(true);
            t.start();
            return t;
        }

        /** Waits for the process to exit and returns its exit code (fails after {@code timeout}). */
        int await(final Duration timeout)
        {
            try
            {
                if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS))
                {
                    fail(command + " did not exit within " + timeout.toMillis() + " ms; stdout=" + out.text()
                        + " stderr=" + err.text());
                }
                for (final Thread t : pumps)
                {
                    t.join(2000); // they end at end of stream, right after the exit
                }
                return process.exitValue();
            }
            catch (final InterruptedException e)
            {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }

        @Override
        public void close()
        {
            if (process.isAlive())
            {
                process.destroy();
                try
                {
                    if (!process.waitFor(5, TimeUnit.SECONDS))
                    {
                        process.destroyForcibly();
                    }
                }
                catch (final InterruptedException e)
                {
                    Thread.currentThread().interrupt();
                    process.destroyForcibly();
                }
            }
        }

        @Override
        public String toString()
        {
            return command + " stdout=" + out.text() + " stderr=" + err.text();
        }
    }

    /** The command that runs the CLI in a new JVM with this test JVM's module path (or class path). */
    static List<String> cliCommand(final String... args)
    {
        final String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        final List<String> cmd = new ArrayList<>();
        cmd.add(java);
        cmd.add("-XX:+UseSerialGC");
        cmd.add("-XX:TieredStopAtLevel=1");
        final String mp = System.getProperty("jdk.module.path");
        if (mp != null && !mp.isEmpty())
        {
            cmd.addAll(List.of("--module-path", mp, "--add-modules", "ALL-MODULE-PATH", "-m",
                "org.spbus.cli/org.spbus.cli.Main"));
        }
        else
        {
            cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), "org.spbus.cli.Main"));
        }
        cmd.addAll(Arrays.asList(args));
        return cmd;
    }

    /**
     * Returns the path of an external tool (nngcat, nanocat). If it is missing: with the
     * environment variable {@code CI} unset the test is skipped (aborted) with a clear message;
     * with {@code CI} set it fails, so CI can never pass without running the interop tests.
     */
    static String requireTool(final String name, final String debianPackage)
    {
        final String path = System.getenv("PATH");
        if (path != null)
        {
            for (final String dir : path.split(File.pathSeparator))
            {
                final Path p = Path.of(dir.isEmpty() ? "." : dir, name);
                if (Files.isExecutable(p))
                {
                    return p.toString();
                }
            }
        }
        final String msg = name + " is not installed (Debian package " + debianPackage + "), so the interop test"
            + " against it cannot run";
        if (System.getenv("CI") != null)
        {
            fail(msg + "; CI is set, where interop must be tested: install " + debianPackage);
        }
        Assumptions.abort(msg + "; skipped because CI is not set");
        throw new AssertionError("unreachable");
    }
}
