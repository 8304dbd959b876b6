package org.spbus.bench;

import java.io.PrintStream;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.locks.LockSupport;

import org.spbus.Bus;
import org.spbus.BusOptions;
import org.spbus.BusSocket;
import org.spbus.Counter;
import org.spbus.SocketStats;

/**
 * The Java copy of the NNG/nanomsg BUS harness ({@code shared/anchors/nng-bench/bench.c}): the
 * same scenarios ({@code fanout}, {@code rx}, {@code bcast}), the same flags, the same timing
 * points and accounting, and the same output lines with {@code lib=spbus}, so that the C
 * harness's {@code summarize.py} reads both.
 *
 * <pre>
 * java -p bus-bench/target/bus-bench-VERSION.jar:bus-bench/target/lib -m org.spbus.bench/org.spbus.bench.Harness \
 *     --scenario fanout --transport ipc --peers 10 --size 64 --bufs default --count 2000 --warmup 200
 * </pre>
 *
 * <p>One scenario per process, as {@code bench.c}; the launcher {@code bus-bench/harness} runs
 * the suite. Exit status 0 on success, 1 for a usage error, 2 after {@code FATAL ...} on
 * standard error.
 *
 * <p>Process and thread model, as the C harness: every socket lives in this one JVM; every
 * receiving socket has its own thread looping on a blocking {@link BusSocket#recv()} with a
 * 100 ms receive timeout (used only to poll a stop flag); every sending socket has its own
 * thread (the main thread for the fanout and bcast hub); the engine's I/O threads do the rest.
 * Buffers: {@code default} = {@link BusOptions#defaults()} (send queue 16 per pipe, receive
 * queue 128); {@code large} = 1024 / 1024, on every socket of the run. {@code sendbuf} and
 * {@code recvbuf} are read back from the hub socket, in messages; note that the spbus send
 * queue is per pipe (NNG's {@code NNG_OPT_SENDBUF} is a socket-level queue in front of NNG's
 * fixed 16-deep per-pipe queues). TCP_NODELAY is on and the receive maximum size is 4 MiB, as
 * in the C backends.
 */
public final class Harness
{
    /** The library name printed as {@code lib=}. */
    public static final String LIB = "spbus";

    /** The large queue depth, as {@code NNG_LARGE_DEPTH} in {@code backend_nng.c}. */
    static final int LARGE_DEPTH = 1024;
    /** Receive timeout used only to poll stop flags ({@code RECV_POLL_MS}). */
    static final Duration RECV_POLL = Duration.ofMillis(100);
    /** Interval between probes in rx and bcast set-up ({@code PROBE_INTERVAL_US}). */
    static final long PROBE_INTERVAL_NANOS = 5_000_000L;
    /** Set-up deadline ({@code SETUP_DEADLINE_S}). */
    static final long SETUP_DEADLINE_NANOS = 20_000_000_000L;
    private static final long RECV_MAX_SIZE = 4L << 20;
    private static final long ORIGIN = System.nanoTime();

    private Harness()
    {
    }

    /**
     * Runs one scenario from command-line flags and exits: {@code --scenario fanout|rx|bcast},
     * {@code --transport ipc|tcp|inproc}, {@code --peers N}, {@code --size BYTES},
     * {@code --bufs default|large}, {@code --count N}, {@code --warmup N},
     * {@code --duration SECONDS}, {@code --rxmode thread|aio}.
     *
     * @param args the flags
     */
    public static void main(final String[] args)
    {
        final HarnessConfig cfg;
        try
        {
            cfg = HarnessConfig.parse(args);
        }
        catch (final IllegalArgumentException e)
        {
            System.err.println(e.getMessage());
            System.err.println("usage: Harness --scenario fanout|rx|bcast --transport ipc|tcp|inproc\n"
                + "          [--peers N] [--size BYTES] [--bufs default|large]\n"
                + "          [--count N] [--warmup N]     (fanout)\n"
                + "          [--rxmode thread|aio]        (fanout; aio is not supported by spbus)\n"
                + "          [--duration SECONDS]         (rx, bcast)");
            System.exit(1);
            return;
        }
        final PrintStream out = System.out;
        try
        {
            run(cfg, out);
        }
        catch (final RuntimeException | Error e)
        {
            out.flush();
            System.err.println("FATAL " + e.getMessage());
            if (!(e instanceof HarnessException) || e.getCause() != null)
            {
                e.printStackTrace();
            }
            System.exit(2);
        }
        out.flush();
        System.exit(0);
    }

    /**
     * Runs one scenario in this JVM and prints its lines to {@code out}: a
     * {@code # lib=spbus version=... buf_units=msgs} comment, one {@code lib=spbus scenario=...
     * metric=... value=...} line per figure, and {@code # stats ...} comment lines with the
     * sockets' drop counters (which the C harness's tools ignore).
     *
     * @param cfg the run
     * @param out where the lines go
     * @throws HarnessException if the run fails ({@code FATAL} in {@code bench.c})
     */
    public static void run(final HarnessConfig cfg, final PrintStream out)
    {
        out.println("# lib=" + LIB + " version=" + version() + " buf_units=msgs java=" + System.getProperty("java.version")
            + " nproc=" + Runtime.getRuntime().availableProcessors());
        final Emitter em = new Emitter(cfg, out);
        switch (cfg.scenario())
        {
            case "fanout":
                new FanoutScenario(cfg, em).run();
                break;
            case "rx":
                new ThroughputScenario(cfg, em).runRx();
                break;
            case "bcast":
                new ThroughputScenario(cfg, em).runBcast();
                break;
            default:
                throw new IllegalArgumentException(cfg.scenario());
        }
        out.flush();
    }

    private static String version()
    {
        final Module m = Harness.class.getModule();
        if (m.isNamed() && m.getDescriptor().rawVersion().isPresent())
        {
            return m.getDescriptor().rawVersion().get();
        }
        final String v = Harness.class.getPackage().getImplementationVersion();
        return v == null ? "dev" : v;
    }

    // ------------------------------------------------------------------ helpers for the scenarios

    /** A monotonic clock in nanoseconds that is always positive within a run ({@code now_ns}). */
    static long now()
    {
        return System.nanoTime() - ORIGIN + 1;
    }

    /** Sleeps at least {@code nanos}, as {@code nanosleep}/{@code usleep} (pacing only, never synchronisation). */
    static void pause(final long nanos)
    {
        final long end = System.nanoTime() + nanos;
        long left = nanos;
        while (left > 0)
        {
            LockSupport.parkNanos(left);
            if (Thread.interrupted())
            {
                Thread.currentThread().interrupt();
                throw new HarnessException("interrupted");
            }
            left = end - System.nanoTime();
        }
    }

    /**
     * Opens a BUS socket with the run's buffers ({@code open_sock}); {@code withTimeout} gives it
     * the 100 ms receive timeout of receiving sockets.
     */
    static BusSocket open(final HarnessConfig cfg, final boolean withTimeout)
    {
        final BusOptions.Builder b = BusOptions.builder().tcpNoDelay(true).recvMaxSize(RECV_MAX_SIZE);
        if (cfg.large())
        {
            b.sendQueueSize(LARGE_DEPTH).recvQueueSize(LARGE_DEPTH);
        }
        if (withTimeout)
        {
            b.recvTimeout(RECV_POLL);
        }
        return Bus.open(b.build());
    }

    /** Closes quietly, for clean-up after a failure. */
    static void closeQuietly(final BusSocket s)
    {
        if (s != null)
        {
            try
            {
                s.close();
            }
            catch (final RuntimeException e)
            {
                // already failing; the first failure is the one reported
            }
        }
    }

    /** Nearest-rank percentile on a sorted array ({@code pct} in {@code bench.c}). */
    static long percentile(final long[] sorted, final int n, final double p)
    {
        if (n <= 0)
        {
            return 0;
        }
        int idx = (int)(p * n + 0.999999) - 1;
        if (idx < 0)
        {
            idx = 0;
        }
        if (idx >= n)
        {
            idx = n - 1;
        }
        return sorted[idx];
    }

    /** Prints the result lines of one run ({@code emit} in {@code bench.c}). */
    static final class Emitter
    {
        private final HarnessConfig cfg;
        private final PrintStream out;
        private int sendbuf = -1;
        private int recvbuf = -1;

        Emitter(final HarnessConfig cfg, final PrintStream out)
        {
            this.cfg = cfg;
            this.out = out;
        }

        /** Reads the effective buffer depths back from the hub ({@code b_get_bufs}). */
        void bufs(final BusSocket hub)
        {
            sendbuf = hub.options().sendQueueSize();
            recvbuf = hub.options().recvQueueSize();
        }

        void emit(final String metric, final double value)
        {
            out.println(String.format(Locale.ROOT,
                "lib=%s scenario=%s transport=%s peers=%d size=%d bufs=%s sendbuf=%d recvbuf=%d metric=%s value=%.3f",
                LIB, cfg.reportedScenario(), cfg.transport(), cfg.peers(), cfg.size(), cfg.large() ? "large" : "default",
                sendbuf, recvbuf, metric, value));
        }

        /** The throughput figures shared by rx and bcast ({@code emit_tp}). */
        void emitThroughput(final long sent, final long delivered, final long bytes, final long tStart, final long tStop,
            final long lastRx, final int fanout)
        {
            final double sendS = (tStop - tStart) / 1e9;
            final double rxS = ((lastRx > tStart ? lastRx : tStop) - tStart) / 1e9;
            final double expect = (double)sent * fanout;
            emit("duration_s", sendS);
            emit("sent_msgs", sent);
            emit("delivered_msgs", delivered);
            emit("tx_msgs_per_s", sent / sendS);
            emit("rx_msgs_per_s", delivered / rxS);
            emit("rx_MB_per_s", bytes / rxS / 1e6);
            emit("drop_frac", expect > 0 ? 1.0 - delivered / expect : 0);
            emit("drain_ms", lastRx > tStop ? (lastRx - tStop) / 1e6 : 0);
        }

        /**
         * Prints a comment line with the non-zero drop and traffic counters of some sockets, summed
         * (where spbus dropped: at the sender's pipe queues or at the receiver's queue).
         */
        void stats(final String role, final BusSocket... sockets)
        {
            final Counter[] shown = {Counter.MESSAGES_SENT, Counter.PIPE_MESSAGES_QUEUED, Counter.MESSAGES_WRITTEN,
                Counter.DROPPED_NO_PEERS, Counter.DROPPED_SEND_QUEUE_FULL, Counter.DROPPED_PIPE_CLOSED,
                Counter.MESSAGES_RECEIVED, Counter.DROPPED_RECV_QUEUE_FULL};
            final long[] sum = new long[shown.length];
            for (final BusSocket s : sockets)
            {
                final SocketStats st = s.stats();
                for (int i = 0; i < shown.length; i++)
                {
                    sum[i] += st.get(shown[i]);
                }
            }
            final StringBuilder sb = new StringBuilder("# stats ").append(role).append(':');
            for (int i = 0; i < shown.length; i++)
            {
                if (sum[i] != 0)
                {
                    sb.append(' ').append(shown[i].label()).append('=').append(sum[i]);
                }
            }
            out.println(sb);
        }
    }
}
