package org.spbus.transport.tcp.interop;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.IntFunction;
import java.util.function.Supplier;

import org.junit.jupiter.api.Assumptions;
import org.spbus.BusSocket;
import org.spbus.BusTimeoutException;
import org.spbus.Counter;
import org.spbus.DialMode;
import org.spbus.Dialer;

/**
 * Shared helpers of the interop and hostile-peer tests: finding nngcat/nanocat, running them
 * as bounded subprocesses, picking free ports, and polling a condition with a deadline (the
 * tests never sleep to synchronise).
 */
final class Tools
{
    /** How long any single wait in these tests may take. */
    static final Duration WAIT = Duration.ofSeconds(10);

    private Tools()
    {
    }

    // ---------------------------------------------------------------- external tools

    /**
     * Returns the path of an external tool, or ends the test: skipped (with the reason) when the
     * tool is missing and the environment variable {@code CI} is unset, failed when {@code CI} is
     * set, because CI must run the interop tests.
     */
    static String require(final String tool, final String debianPackage)
    {
        final Path p = find(tool);
        if (p != null)
        {
            return p.toString();
        }
        final String msg = tool + " is not installed (Debian package " + debianPackage + "; apt-get install -y "
            + debianPackage + ")";
        if (System.getenv("CI") != null)
        {
            fail(msg + ". The environment variable CI is set, so the interop tests must run, not be skipped.");
        }
        Assumptions.abort(msg + ": interop test skipped (it would fail instead with CI set)");
        return null;
    }

    private static Path find(final String tool)
    {
        final String path = System.getenv("PATH");
        final List<String> dirs = path == null ? List.of("/usr/local/bin", "/usr/bin", "/bin")
            : Arrays.asList(path.split(File.pathSeparator));
        for (final String d : dirs)
        {
            if (d.isEmpty())
            {
                continue;
            }
            final Path p = Paths.get(d, tool);
            if (Files.isRegularFile(p) && Files.isExecutable(p))
            {
                return p;
            }
        }
        return null;
    }

    // ---------------------------------------------------------------- ports and polling

    /** Returns a TCP port on 127.0.0.1 that was free a moment ago (bind port 0, then close). */
    static int freePort()
    {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1")))
        {
            return s.getLocalPort();
        }
        catch (final IOException e)
        {
            throw new IllegalStateException("cannot find a free port", e);
        }
    }

    /** Returns the port of a {@code tcp://HOST:PORT} URL. */
    static int portOf(final String url)
    {
        return Integer.parseInt(url.substring(url.lastIndexOf(':') + 1));
    }

    /** Polls {@code condition} every 10 ms until it holds, failing after {@link #WAIT}. */
    static void await(final String what, final BooleanSupplier condition)
    {
        await(WAIT, () -> what, condition);
    }

    /** Polls {@code condition} every 10 ms until it holds, failing after {@code timeout}. */
    static void await(final Duration timeout, final Supplier<String> what, final BooleanSupplier condition)
    {
        final long end = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean())
        {
            if (System.nanoTime() - end > 0)
            {
                fail("timed out after " + timeout.toMillis() + " ms waiting for " + what.get());
            }
            pause(10);
        }
    }

    /** A short pause inside a deadline-bounded loop (never used alone to synchronise). */
    static void pause(final long millis)
    {
        try
        {
            Thread.sleep(millis);
        }
        catch (final InterruptedException e)
        {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /** Waits until a counter of {@code s} reaches {@code value} exactly. */
    static void awaitCounter(final BusSocket s, final Counter c, final long value)
    {
        await(WAIT, () -> c + " == " + value + " (stats now " + s.stats() + ")", () -> s.stats().get(c) == value);
    }

    /** Receives one message as text, failing with {@code context} if none comes within {@link #WAIT}. */
    static String recvText(final BusSocket s, final Supplier<String> context)
    {
        try
        {
            return new String(s.recv(WAIT), StandardCharsets.UTF_8);
        }
        catch (final BusTimeoutException e)
        {
            return fail("no message within " + WAIT.toMillis() + " ms; " + context.get() + "; stats " + s.stats(), e);
        }
    }

    static byte[] utf8(final String s)
    {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    // ---------------------------------------------------------------- subprocesses

    /**
     * An external process (nngcat or nanocat) whose stdout and stderr are collected by two
     * threads. {@link #close()} kills it and its children forcibly and waits (bounded).
     */
    static final class ToolProcess implements AutoCloseable
    {
        private final List<String> command;
        private final Process process;
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();
        private final ByteArrayOutputStream err = new ByteArrayOutputStream();
        private final Thread outPump;
        private final Thread errPump;

        private ToolProcess(final List<String> command) throws IOException
        {
            this.command = List.copyOf(command);
            final List<String> argv = new ArrayList<>();
            // A safety net if this JVM dies before close(): coreutils' timeout kills the tool.
            final Path timeout = find("timeout");
            if (timeout != null)
            {
                argv.addAll(List.of(timeout.toString(), "-s", "KILL", "60"));
            }
            argv.addAll(command);
            this.process = new ProcessBuilder(argv).start();
            process.getOutputStream().close(); // no stdin
            outPump = pump(process.getInputStream(), out, "stdout");
            errPump = pump(process.getErrorStream(), err, "stderr");
        }

        static ToolProcess start(final String... command)
        {
            return start(List.of(command));
        }

        static ToolProcess start(final List<String> command)
        {
            try
            {
                return new ToolProcess(command);
            }
            catch (final IOException e)
            {
                return fail("cannot start " + command, e);
            }
        }

        private Thread pump(final InputStream in, final ByteArrayOutputStream to, final String name)
        {
            final Thread t = new Thread(() ->
            {
                final byte[] buf = new byte[8192];
                try (in)
                {
                    int n;
                    while ((n = in.read(buf)) > 0)
                    {
                        to.write(buf, 0, n);
                    }
                }
                catch (final IOException e)
                {
                    // the process was killed
                }
            }, command.get(0) + "-" + name);
            t.setDaemon(true);
            t.start();
            return t;
        }

        String stdout()
        {
            return out.toString(StandardCharsets.ISO_8859_1);
        }

        String stderr()
        {
            return err.toString(StandardCharsets.ISO_8859_1);
        }

        /** Returns the complete lines printed so far (without their line feeds). */
        List<String> stdoutLines()
        {
            final String s = stdout();
            final List<String> lines = new ArrayList<>();
            int from = 0;
            for (int nl = s.indexOf('\n'); nl >= 0; nl = s.indexOf('\n', from))
            {
                lines.add(s.substring(from, nl));
                from = nl + 1;
            }
            return lines;
        }

        boolean isAlive()
        {
            return process.isAlive();
        }

        /** Waits (bounded) for the process to exit on its own and returns its status. */
        int awaitExit(final Duration timeout)
        {
            try
            {
                if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS))
                {
                    fail("still running after " + timeout.toMillis() + " ms: " + describe());
                }
                return process.exitValue();
            }
            catch (final InterruptedException e)
            {
                Thread.currentThread().interrupt();
                return fail("interrupted", e);
            }
        }

        /**
         * Calls {@code action} (for example a send) every 100 ms until the process has printed
         * the line {@code line}, failing after {@link #WAIT}.
         */
        void repeatUntilLine(final String line, final Runnable action)
        {
            final long end = System.nanoTime() + WAIT.toNanos();
            while (!stdoutLines().contains(line))
            {
                if (System.nanoTime() - end > 0)
                {
                    fail("the tool did not print " + line + " within " + WAIT.toMillis() + " ms: " + describe());
                }
                if (!isAlive())
                {
                    fail("the tool exited before printing " + line + ": " + describe());
                }
                action.run();
                pause(100);
            }
        }

        /** The command, its state and (the ends of) its output, for failure messages. */
        String describe()
        {
            return command + " alive=" + process.isAlive() + (process.isAlive() ? "" : " exit=" + process.exitValue())
                + " stdout=[" + tail(stdout()) + "] stderr=[" + tail(stderr()) + "]";
        }

        private static String tail(final String s)
        {
            return s.length() <= 400 ? s : "..." + s.substring(s.length() - 400);
        }

        @Override
        public void close()
        {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
            try
            {
                process.waitFor(5, TimeUnit.SECONDS);
                outPump.join(2000);
                errPump.join(2000);
            }
            catch (final InterruptedException e)
            {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** A tool listening on a port and the spbus dialer connected to it. */
    static final class ListeningTool implements AutoCloseable
    {
        final ToolProcess process;
        final int port;
        final Dialer dialer;

        ListeningTool(final ToolProcess process, final int port, final Dialer dialer)
        {
            this.process = process;
            this.port = port;
            this.dialer = dialer;
        }

        @Override
        public void close()
        {
            try
            {
                dialer.close();
            }
            finally
            {
                process.close();
            }
        }
    }

    /**
     * Starts a tool that listens on a free port ({@code command} builds its argv for a port)
     * and dials it from {@code socket} with {@link DialMode#NON_BLOCKING} until connected. A
     * port taken by someone else in the meantime (the tool exits with "in use") is retried
     * with another port.
     */
    static ListeningTool startListening(final BusSocket socket, final IntFunction<List<String>> command)
    {
        String last = "";
        for (int attempt = 0; attempt < 5; attempt++)
        {
            final int port = freePort();
            final ToolProcess p = ToolProcess.start(command.apply(port));
            Dialer d = null;
            try
            {
                d = socket.dial("tcp://127.0.0.1:" + port, DialMode.NON_BLOCKING);
                final Dialer dialer = d;
                await(WAIT, () -> "connection to " + p.describe() + "; stats " + socket.stats(),
                    () -> dialer.isConnected() || !p.isAlive());
                if (dialer.isConnected())
                {
                    return new ListeningTool(p, port, dialer);
                }
                last = p.describe();
                if (!p.stderr().toLowerCase(Locale.ROOT).contains("in use"))
                {
                    fail("the tool exited instead of listening: " + last);
                }
            }
            catch (final RuntimeException | Error e)
            {
                if (d != null)
                {
                    d.close();
                }
                p.close();
                throw e;
            }
            d.close();
            p.close();
        }
        return fail("no free port after 5 attempts; last: " + last);
    }
}
