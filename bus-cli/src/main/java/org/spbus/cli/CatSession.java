package org.spbus.cli;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.spbus.Bus;
import org.spbus.BusException;
import org.spbus.BusOptions;
import org.spbus.BusSocket;
import org.spbus.BusTimeoutException;
import org.spbus.DialMode;
import org.spbus.Listener;

/**
 * One nngcat-compatible run on a BUS socket: opens the socket, starts the addresses in order,
 * then runs nngcat's {@code sendrecv()} (with data) or {@code recvloop()} (without), printing
 * each received message in the chosen format and flushing it at once (nngcat-spec.md
 * sections 3 and 4).
 *
 * <p>Used by one thread, the one that calls {@link #run()}; {@link #printStatsOnce()} and
 * {@link #onSignal()} may also be called from a shutdown hook.
 */
final class CatSession
{
    /** Exit code after a write to stdout failed (the reader went away): what a shell reports for nngcat killed by SIGPIPE. */
    static final int RC_BROKEN_PIPE = 141;

    private final CatOptions opts;
    private final OutputStream out;
    private final PrintStream err;
    private final OutputFormat format;
    private final AtomicBoolean statsPrinted = new AtomicBoolean();
    private volatile BusSocket socket;
    /** Set by {@link #onSignal()} before it closes the socket. */
    private volatile boolean stopping;
    /** Counted down when {@link #run()} has closed the socket and printed, however it ends. */
    private final java.util.concurrent.CountDownLatch finished = new java.util.concurrent.CountDownLatch(1);

    /**
     * Creates a session.
     *
     * @param opts the parsed options
     * @param out  stdout: messages and {@code -v} lines; flushed after each
     * @param err  stderr: {@code --stats}
     */
    CatSession(final CatOptions opts, final OutputStream out, final PrintStream err)
    {
        this.opts = Objects.requireNonNull(opts, "opts");
        this.out = Objects.requireNonNull(out, "out");
        this.err = Objects.requireNonNull(err, "err");
        this.format = opts.effectiveFormat();
    }

    /**
     * Runs to the end: the receive timeout, the count or the last interval.
     *
     * @return 0
     * @throws CliExit for nngcat's fatal errors (exit code 1), or {@link #RC_BROKEN_PIPE}
     */
    int run()
    {
        final BusOptions.Builder b = BusOptions.builder();
        // NNG 1.5.2 has no receive size limit unless -Z is given; spbus's default is 1 MiB.
        // 0 means "no limit" to spbus (up to BusOptions.MAX_MESSAGE_SIZE).
        b.recvMaxSize(opts.recvMaxSize < 0 || opts.recvMaxSize >= BusOptions.MAX_MESSAGE_SIZE ? 0 : opts.recvMaxSize);
        final BusSocket s;
        try
        {
            s = Bus.open(b.build());
        }
        catch (final RuntimeException e)
        {
            throw CliExit.fatal("Unable to open socket: " + e.getMessage());
        }
        socket = s;
        try
        {
            for (final CatOptions.Address a : opts.addresses)
            {
                start(s, a);
            }
            if (opts.data != null)
            {
                sendrecv(s);
            }
            else
            {
                recvloop(s, opts.recvTimeoutMs > 0 ? opts.recvTimeoutMs : -1);
            }
            return 0;
        }
        finally
        {
            s.close();
            printStatsOnce();
            finished.countDown();
        }
    }

    /**
     * The JVM is stopping on a signal while the session may still run: prints the statistics
     * (if asked for) and closes the socket, so that its {@code ipc://} socket files are removed
     * as on a normal exit. Safe to call from any thread.
     */
    void onSignal()
    {
        final BusSocket s = socket;
        stopping = true;
        printStatsOnce();
        if (s != null)
        {
            s.close();
            try
            {
                // A listen or dial in progress on the session's thread completes after the
                // close and undoes itself (a listener made then is closed, its file removed):
                // give it that moment before the JVM halts.
                finished.await(2, java.util.concurrent.TimeUnit.SECONDS);
            }
            catch (final InterruptedException e)
            {
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * Prints {@code SocketStats.format()} to stderr, once, if {@code --stats} was given and the
     * socket was opened. Safe to call from any thread, any number of times.
     */
    void printStatsOnce()
    {
        final BusSocket s = socket;
        if (opts.stats && s != null && statsPrinted.compareAndSet(false, true))
        {
            err.print(s.stats().format());
            err.flush();
        }
    }

    /** Creates and starts one listener or dialer, as nngcat's address loop. */
    private void start(final BusSocket s, final CatOptions.Address a)
    {
        final boolean listen = a.mode() == CatOptions.Mode.LISTEN;
        final String url = a.url();
        if (!NngText.looksLikeUrl(url))
        {
            throw CliExit.fatal("Unable to create " + (listen ? "listener" : "dialer") + " for " + url
                + ": Invalid argument");
        }
        try
        {
            if (listen)
            {
                final Listener l = s.listen(url);
                if (opts.verbose)
                {
                    line("Listening at: " + NngText.listenerUrl(url, l.url()));
                }
            }
            else
            {
                s.dial(url, opts.async ? DialMode.NON_BLOCKING : DialMode.BLOCKING);
                if (opts.verbose)
                {
                    line("Connected to: " + NngText.normalize(url));
                }
            }
        }
        catch (final BusException e)
        {
            if (stopping)
            {
                throw CliExit.silent(0); // closed by onSignal while listening or dialing
            }
            if (NngText.isCreateError(e, listen))
            {
                throw CliExit.fatal("Unable to create " + (listen ? "listener" : "dialer") + " for " + url + ": "
                    + NngText.strerror(e));
            }
            throw CliExit.fatal("Unable to " + (listen ? "listen" : "dial") + " on " + url + ": "
                + NngText.strerror(e));
        }
    }

    /**
     * nngcat's {@code recvloop()}: receive and print until the count of receives is reached or
     * a receive times out.
     *
     * @param timeoutMs each receive's timeout; -1 waits forever
     */
    private void recvloop(final BusSocket s, final long timeoutMs)
    {
        int iters = 0;
        while (true)
        {
            if (opts.count > 0 && iters >= opts.count)
            {
                break;
            }
            final byte[] m = recv(s, timeoutMs, "Receive error: ");
            iters++;
            if (m == null)
            {
                return;
            }
            print(m);
        }
    }

    /**
     * nngcat's {@code sendrecv()} for BUS: after {@code --delay}, send, then receive and print
     * until the interval ends (each receive bounded by the time left and the receive timeout),
     * sleep out the rest of the interval, and repeat up to {@code --count} times. Without an
     * interval or a count it sends once and falls into {@link #recvloop}.
     */
    private void sendrecv(final BusSocket s)
    {
        if (opts.delayMs > 0)
        {
            sleepMs(opts.delayMs);
        }
        final long interval = opts.intervalMs;
        final long recvtimeo = opts.recvTimeoutMs;
        int iters = 0;
        while (true)
        {
            final long start = clockMs();
            s.send(opts.data);
            if (interval < 0 && opts.count == 0)
            {
                recvloop(s, recvtimeo > 0 ? recvtimeo : -1);
                break;
            }
            // nngcat measures from before its send, which takes well under a millisecond in C.
            // A JVM's first send can take longer; without an interval the elapsed time decides
            // between "wait forever" and an error (below), so there it is measured from after
            // the send, to behave as nngcat does rather than as a cold JIT would.
            final long base = interval < 0 ? clockMs() : start;
            while (true)
            {
                long expire = interval - (clockMs() - base);
                if (recvtimeo >= 0 && expire > recvtimeo)
                {
                    expire = recvtimeo;
                }
                if (interval >= 0 && expire < 0)
                {
                    // The interval is over. nngcat would hand NNG a negative timeout here: -1 waits
                    // forever, below -1 is an error; only a check for a queued message makes sense.
                    expire = 0;
                }
                if (expire < -1)
                {
                    // -C without -i: nngcat computes -1 - elapsed, which NNG refuses once any
                    // time has passed (checked against nngcat 1.5.2: it prints the first message
                    // received, then fails with exactly this).
                    throw CliExit.fatal("Cannot set recv timeout: Invalid argument");
                }
                final byte[] m = recv(s, expire, "Cannot receive: ");
                if (m == null)
                {
                    break;
                }
                print(m);
            }
            final long delta = clockMs() - start;
            iters++;
            if (opts.count > 0 && iters >= opts.count)
            {
                break;
            }
            if (delta >= 0 && delta < interval)
            {
                sleepMs(interval - delta);
            }
        }
    }

    /**
     * Receives one message.
     *
     * @param timeoutMs -1 to wait forever, 0 not to wait, else milliseconds
     * @return the body, or {@code null} on timeout
     */
    private byte[] recv(final BusSocket s, final long timeoutMs, final String errorPrefix)
    {
        try
        {
            if (timeoutMs < 0)
            {
                return s.recv();
            }
            return s.recv(Duration.ofMillis(timeoutMs));
        }
        catch (final BusTimeoutException e)
        {
            return null;
        }
        catch (final BusException e)
        {
            if (stopping)
            {
                // The socket was closed by onSignal: the JVM is exiting; nngcat prints nothing then.
                throw CliExit.silent(0);
            }
            throw CliExit.fatal(errorPrefix + NngText.strerror(e));
        }
    }

    private void print(final byte[] body)
    {
        if (format == OutputFormat.NONE)
        {
            return;
        }
        try
        {
            format.write(body, out);
            out.flush();
        }
        catch (final IOException e)
        {
            throw CliExit.silent(RC_BROKEN_PIPE);
        }
    }

    private void line(final String text)
    {
        try
        {
            out.write((text + "\n").getBytes(StandardCharsets.UTF_8));
            out.flush();
        }
        catch (final IOException e)
        {
            throw CliExit.silent(RC_BROKEN_PIPE);
        }
    }

    /** NNG's millisecond clock. */
    private static long clockMs()
    {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime());
    }

    /** nngcat's {@code nng_msleep()}: the pacing of --delay and --interval, not synchronisation. */
    private static void sleepMs(final long ms)
    {
        final long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(ms);
        long left;
        while ((left = end - System.nanoTime()) > 0)
        {
            try
            {
                TimeUnit.NANOSECONDS.sleep(left);
            }
            catch (final InterruptedException e)
            {
                Thread.currentThread().interrupt();
                throw CliExit.silent(130);
            }
        }
    }
}
