package org.spbus.tck;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * A real peer for interop tests: an external program such as {@code nngcat} or {@code nanocat}
 * run as a bounded subprocess, its stdout and stderr collected by two threads.
 * {@link #close()} kills it and its children and waits (bounded). Each tool is also started
 * under {@code timeout -s KILL 60}, so it cannot outlive a crashed test JVM for long.
 *
 * <p>{@link #require(String, String)} finds a tool on the {@code PATH}: a missing tool skips
 * the test with the install command when the environment variable {@code CI} is unset, and
 * fails it when {@code CI} is set, because CI must run the interop tests.
 *
 * <p>Not thread-safe, except the output accessors, which any thread may call.
 */
public final class ExternalTool implements AutoCloseable
{
    /** How long a single wait of these helpers may take. */
    public static final Duration WAIT = Duration.ofSeconds(10);

    private final List<String> command;
    private final Process process;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private final Thread outPump;
    private final Thread errPump;

    private ExternalTool(final List<String> command) throws IOException
    {
        this.command = List.copyOf(command);
        final List<String> argv = new ArrayList<>();
        final Path timeout = find("timeout");
        if (timeout != null)
        {
            argv.addAll(List.of(timeout.toString(), "-s", "KILL", "60"));
        }
        argv.addAll(command);
        this.process = new ProcessBuilder(argv).start();
        process.getOutputStream().close();
        outPump = pump(process.getInputStream(), out, "stdout");
        errPump = pump(process.getErrorStream(), err, "stderr");
    }

    /**
     * Returns the path of a tool, or ends the test: skipped when the tool is missing and
     * {@code CI} is unset, failed when {@code CI} is set.
     *
     * @param tool          the program name, for example {@code nngcat}
     * @param debianPackage the package that installs it, for the message
     * @return the absolute path of the tool
     */
    public static String require(final String tool, final String debianPackage)
    {
        final Path p = find(tool);
        if (p != null)
        {
            return p.toString();
        }
        final String msg = tool + " is not installed (apt-get install -y " + debianPackage + ")";
        if (System.getenv("CI") != null)
        {
            Assertions.fail(msg + ". The environment variable CI is set, so interop tests must run, not be skipped.");
        }
        Assumptions.abort(msg + ": interop test skipped (with CI set it would fail instead)");
        return null;
    }

    /**
     * Finds a program on the {@code PATH} (and in {@code /usr/bin}, {@code /usr/local/bin}).
     *
     * @param tool the program name
     * @return its path, or {@code null} if absent
     */
    public static Path find(final String tool)
    {
        final List<String> dirs = new ArrayList<>();
        final String path = System.getenv("PATH");
        if (path != null)
        {
            dirs.addAll(Arrays.asList(path.split(java.io.File.pathSeparator)));
        }
        dirs.add("/usr/bin");
        dirs.add("/usr/local/bin");
        for (final String d : dirs)
        {
            if (!d.isEmpty())
            {
                final Path p = Path.of(d, tool);
                if (Files.isExecutable(p))
                {
                    return p;
                }
            }
        }
        return null;
    }

    /**
     * Starts a tool; fails the test if it cannot be started.
     *
     * @param command the program and its arguments
     * @return the running tool
     */
    public static ExternalTool start(final String... command)
    {
        return start(List.of(command));
    }

    /**
     * Starts a tool; fails the test if it cannot be started.
     *
     * @param command the program and its arguments
     * @return the running tool
     */
    public static ExternalTool start(final List<String> command)
    {
        try
        {
            return new ExternalTool(command);
        }
        catch (final IOException e)
        {
            return Assertions.fail("cannot start " + command, e);
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
                    synchronized (to)
                    {
                        to.write(buf, 0, n);
                    }
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

    /**
     * Returns everything printed on stdout so far, one char per byte (ISO-8859-1).
     *
     * @return the output
     */
    public String stdout()
    {
        synchronized (out)
        {
            return out.toString(StandardCharsets.ISO_8859_1);
        }
    }

    /**
     * Returns everything printed on stderr so far, one char per byte (ISO-8859-1).
     *
     * @return the output
     */
    public String stderr()
    {
        synchronized (err)
        {
            return err.toString(StandardCharsets.ISO_8859_1);
        }
    }

    /**
     * Returns the complete lines printed on stdout so far, without their line feeds.
     *
     * @return the lines
     */
    public List<String> stdoutLines()
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

    /**
     * Returns whether the process is still running.
     *
     * @return {@code true} while it runs
     */
    public boolean isAlive()
    {
        return process.isAlive();
    }

    /**
     * Waits, at most {@code timeout}, for the process to exit on its own.
     *
     * @param timeout the deadline
     * @return its exit status; the test fails if it is still running
     */
    public int awaitExit(final Duration timeout)
    {
        try
        {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS))
            {
                Assertions.fail("still running after " + timeout.toMillis() + " ms: " + describe());
            }
            return process.exitValue();
        }
        catch (final InterruptedException e)
        {
            Thread.currentThread().interrupt();
            return Assertions.fail("interrupted", e);
        }
    }

    /**
     * Waits, at most {@link #WAIT}, until the tool has printed {@code line}.
     *
     * @param line the whole line expected on stdout
     */
    public void awaitLine(final String line)
    {
        repeatUntilLine(line, () -> { });
    }

    /**
     * Calls {@code action} (for example a send) about every 100 ms until the tool has printed
     * {@code line}; fails after {@link #WAIT}, or if the tool exits first.
     *
     * @param line   the whole line expected on stdout
     * @param action run between checks
     */
    public void repeatUntilLine(final String line, final Runnable action)
    {
        final long end = System.nanoTime() + WAIT.toNanos();
        long next = 0;
        while (!stdoutLines().contains(line))
        {
            final long now = System.nanoTime();
            if (now - end > 0)
            {
                Assertions.fail("the tool did not print " + line + " within " + WAIT.toMillis() + " ms: " + describe());
            }
            if (!isAlive())
            {
                Assertions.fail("the tool exited before printing " + line + ": " + describe());
            }
            if (now - next >= 0)
            {
                action.run();
                next = now + TimeUnit.MILLISECONDS.toNanos(100);
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
        }
    }

    /**
     * Describes the command, its state and the ends of its output, for failure messages.
     *
     * @return the description
     */
    public String describe()
    {
        return command + " alive=" + process.isAlive() + (process.isAlive() ? "" : " exit=" + process.exitValue())
            + " stdout=[" + tail(stdout()) + "] stderr=[" + tail(stderr()) + "]";
    }

    private static String tail(final String s)
    {
        return s.length() <= 400 ? s : "..." + s.substring(s.length() - 400);
    }

    /**
     * Kills the tool with SIGKILL ({@link Process#destroyForcibly()}, its children first) and
     * waits, at most {@link #WAIT}, for it to exit: a peer that vanishes without closing anything.
     *
     * @return the exit status of the process started (the {@code timeout} wrapper, if any)
     */
    public int kill()
    {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        try
        {
            if (!process.waitFor(WAIT.toMillis(), TimeUnit.MILLISECONDS))
            {
                Assertions.fail("still alive after SIGKILL: " + describe());
            }
        }
        catch (final InterruptedException e)
        {
            Thread.currentThread().interrupt();
            Assertions.fail("interrupted");
        }
        return process.exitValue();
    }

    /** Kills the tool and its children, and waits (bounded) for them and the output threads. */
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
