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
import org.spbus.tck.ExternalTool;
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

    /** See {@link ExternalTool#require(String, String)}. */
    static String require(final String tool, final String debianPackage)
    {
        return ExternalTool.require(tool, debianPackage);
    }

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

    /**
     * A short pause: the poll interval of a deadline-bounded loop, or the pacing of a peer that
     * dribbles bytes on purpose. Never used alone to wait for something to happen.
     */
    static void pause(final long millis)
    {
        java.util.concurrent.locks.LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(millis));
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

    /** A tool listening on a port and the spbus dialer connected to it. */
    static final class ListeningTool implements AutoCloseable
    {
        final ExternalTool process;
        final int port;
        final Dialer dialer;

        ListeningTool(final ExternalTool process, final int port, final Dialer dialer)
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
            final ExternalTool p = ExternalTool.start(command.apply(port));
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
