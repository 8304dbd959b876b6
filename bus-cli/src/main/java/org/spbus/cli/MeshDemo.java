package org.spbus.cli;

import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.locks.LockSupport;

import org.spbus.Bus;
import org.spbus.BusClosedException;
import org.spbus.BusException;
import org.spbus.BusOptions;
import org.spbus.BusSocket;
import org.spbus.BusTimeoutException;
import org.spbus.Counter;
import org.spbus.Message;
import org.spbus.SocketStats;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code spbus demo}: a full mesh of BUS sockets in one process. Every member listens
 * ({@code tcp://127.0.0.1:0} or a unique {@code inproc://} name); member {@code i} dials every
 * member {@code j < i}, so each pair has exactly one connection. Then every member broadcasts
 * {@code --messages} messages while every member receives concurrently, and a table shows, for
 * each member, how many messages it received from each other member (the expected count from
 * each of the others, 0 from itself: BUS never loops back), whether each sender's messages came
 * in order, the drops its counters recorded, and the timings.
 *
 * <p><b>Determinism.</b> A BUS send never blocks: a pipe whose send queue is full drops the
 * copy. A sender that outruns its receivers would lose messages by design. So each sender
 * paces itself with a window: it sends message {@code k} only once every other member has
 * received message {@code k - W} from it, with {@code W = min(sendQueueSize, recvQueueSize /
 * (members - 1))}. Then no send queue and no receive queue can overflow, and with the default
 * queue sizes the demo delivers everything. If a wait for the window lasts over two seconds
 * (a message was lost after all) the sender stops pacing; the gap then shows in the table and
 * must equal the drops the sockets counted.
 *
 * <p>Exit code 0 if every member received exactly the messages of the others, in order, and
 * none of its own (or if every missing message is accounted for by a counted drop); 1
 * otherwise; 2 for a usage error. Instances are used by one thread.
 */
@Command(name = "spbus demo", mixinStandardHelpOptions = true, versionProvider = MeshDemo.Version.class,
    sortOptions = false, usageHelpAutoWidth = true,
    description = {"Runs a full mesh of BUS sockets in this process, broadcasts from every member and",
        "prints what each member received from each other member, the drops and the timings."})
final class MeshDemo implements Callable<Integer>
{
    /** Bytes of the header each demo message starts with: sender index and sequence number. */
    static final int HEADER = 8;
    /** How long a sender waits for its window before it stops pacing. */
    private static final long WINDOW_WAIT_NANOS = TimeUnit.SECONDS.toNanos(2);
    /** After the senders are done, how long without progress means nothing more will come. */
    private static final long QUIET_NANOS = TimeUnit.SECONDS.toNanos(1);

    /** The command's model, injected by picocli (for usage errors). */
    @Spec
    CommandSpec spec;

    /** {@code --members}: sockets in the mesh. */
    @Option(names = "--members", paramLabel = "<n>", defaultValue = "4",
        description = "Number of sockets in the mesh, 2 to 64 (default: ${DEFAULT-VALUE}).")
    int members;

    /** {@code --messages}: messages each member broadcasts. */
    @Option(names = "--messages", paramLabel = "<n>", defaultValue = "1000",
        description = "Messages each member broadcasts (default: ${DEFAULT-VALUE}).")
    int messages;

    /** {@code --size}: bytes per message. */
    @Option(names = "--size", paramLabel = "<bytes>", defaultValue = "64",
        description = "Size of each message, at least " + HEADER + " (default: ${DEFAULT-VALUE}).")
    int size;

    /** {@code --transport}: {@code tcp} or {@code inproc}. */
    @Option(names = "--transport", paramLabel = "tcp|inproc", defaultValue = "tcp",
        description = "tcp (loopback) or inproc (default: ${DEFAULT-VALUE}).")
    String transport;

    /** {@code --timeout}: the longest the whole run may take, in seconds. */
    @Option(names = "--timeout", paramLabel = "<secs>", defaultValue = "30",
        description = "Give up waiting for deliveries after this long (default: ${DEFAULT-VALUE}).")
    int timeoutSeconds;

    private final PrintWriter out;

    /**
     * Creates the command.
     *
     * @param out where the table goes
     */
    MeshDemo(final PrintWriter out)
    {
        this.out = out;
    }

    /**
     * Parses {@code args} with picocli and runs the demo.
     *
     * @param args the arguments after {@code demo}
     * @param out  stdout
     * @param err  stderr, for usage errors
     * @return the exit code: 0 all delivered, 1 failed, 2 usage error
     */
    static int run(final String[] args, final OutputStream out, final PrintStream err)
    {
        final PrintWriter pw = new PrintWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), true);
        final PrintWriter ew = new PrintWriter(new OutputStreamWriter(err, StandardCharsets.UTF_8), true);
        final CommandLine cl = new CommandLine(new MeshDemo(pw));
        cl.setOut(pw);
        cl.setErr(ew);
        final int rc = cl.execute(args);
        pw.flush();
        ew.flush();
        return rc;
    }

    /** Supplies {@code --version}. */
    static final class Version implements CommandLine.IVersionProvider
    {
        /** Creates the provider (picocli instantiates it). */
        Version()
        {
        }

        @Override
        public String[] getVersion()
        {
            return new String[] {"spbus " + Main.version()};
        }
    }

    /**
     * Runs the demo once the options are parsed.
     *
     * @return the exit code
     * @throws ParameterException if an option is out of range
     */
    @Override
    public Integer call()
    {
        validate();
        try
        {
            return runMesh();
        }
        catch (final BusException e)
        {
            out.println("spbus demo failed: " + e);
            out.flush();
            return 1;
        }
    }

    private void validate()
    {
        final CommandLine cl = spec.commandLine();
        if (members < 2 || members > 64)
        {
            throw new ParameterException(cl, "--members must be 2 to 64: " + members);
        }
        if (messages < 0)
        {
            throw new ParameterException(cl, "--messages must not be negative: " + messages);
        }
        if (size < HEADER || size > 16 * 1024 * 1024)
        {
            throw new ParameterException(cl, "--size must be " + HEADER + " to 16777216 bytes: " + size);
        }
        transport = transport.toLowerCase(Locale.ROOT);
        if (!transport.equals("tcp") && !transport.equals("inproc"))
        {
            throw new ParameterException(cl, "--transport must be tcp or inproc: " + transport);
        }
        if (timeoutSeconds < 1)
        {
            throw new ParameterException(cl, "--timeout must be at least 1 second: " + timeoutSeconds);
        }
    }

    private int runMesh()
    {
        final int n = members;
        final BusOptions options = BusOptions.defaults();
        final int window = Math.max(1, Math.min(options.sendQueueSize(), options.recvQueueSize() / (n - 1)));
        final List<BusSocket> sockets = new ArrayList<>();
        final String[] urls = new String[n];
        final Tally tally = new Tally(n, messages);
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds);
        try
        {
            // 1. Mesh setup: listen everywhere, then i dials every j < i (blocking: returns once attached).
            final long t0 = System.nanoTime();
            for (int i = 0; i < n; i++)
            {
                sockets.add(Bus.open(options));
            }
            final String prefix = "inproc://spbus-demo-" + ProcessHandle.current().pid() + "-" + System.nanoTime() + "-m";
            for (int i = 0; i < n; i++)
            {
                urls[i] = sockets.get(i).listen(transport.equals("tcp") ? "tcp://127.0.0.1:0" : prefix + i).url();
            }
            for (int i = 0; i < n; i++)
            {
                for (int j = 0; j < i; j++)
                {
                    sockets.get(i).dial(urls[j]);
                }
            }
            if (!awaitPipes(sockets, n - 1, Math.min(deadline, System.nanoTime() + TimeUnit.SECONDS.toNanos(10))))
            {
                out.println("spbus demo failed: the mesh did not come up; pipes per member: " + pipes(sockets));
                return 1;
            }
            final long setupNanos = System.nanoTime() - t0;

            // 2. Broadcast from every member while every member receives.
            final CountDownLatch go = new CountDownLatch(1);
            final List<Thread> receivers = new ArrayList<>();
            final List<Thread> senders = new ArrayList<>();
            for (int i = 0; i < n; i++)
            {
                final int me = i;
                receivers.add(thread("spbus-demo-recv-m" + i, () -> receive(sockets.get(me), me, tally)));
                senders.add(thread("spbus-demo-send-m" + i, () -> send(sockets.get(me), me, tally, window, go)));
            }
            receivers.forEach(Thread::start);
            senders.forEach(Thread::start);
            final long tStart = System.nanoTime();
            go.countDown();
            awaitDelivery(tally, deadline);
            final long tEnd = System.nanoTime();
            tally.stop = true;
            joinAll(senders);
            joinAll(receivers);
            for (int i = 0; i < n; i++)
            {
                drainLeftovers(sockets.get(i), i, tally);
            }
            final SocketStats[] stats = new SocketStats[n];
            for (int i = 0; i < n; i++)
            {
                stats[i] = sockets.get(i).stats();
            }
            return report(urls, tally, stats, window, setupNanos, tEnd - tStart);
        }
        finally
        {
            for (final BusSocket s : sockets)
            {
                s.close();
            }
        }
    }

    private static Thread thread(final String name, final Runnable r)
    {
        final Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    private static boolean awaitPipes(final List<BusSocket> sockets, final int want, final long deadline)
    {
        while (true)
        {
            boolean all = true;
            for (final BusSocket s : sockets)
            {
                if (s.stats().get(Counter.PIPES_CURRENT) != want)
                {
                    all = false;
                    break;
                }
            }
            if (all)
            {
                return true;
            }
            if (System.nanoTime() - deadline > 0)
            {
                return false;
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
        }
    }

    private static String pipes(final List<BusSocket> sockets)
    {
        final StringBuilder sb = new StringBuilder();
        for (final BusSocket s : sockets)
        {
            sb.append(sb.length() == 0 ? "" : ", ").append(s.stats().get(Counter.PIPES_CURRENT));
        }
        return sb.toString();
    }

    /** Sender {@code me}: broadcasts the messages, paced by the window (see the class comment). */
    private void send(final BusSocket s, final int me, final Tally tally, final int window, final CountDownLatch go)
    {
        try
        {
            go.await();
            final byte[] body = new byte[size];
            for (int k = HEADER; k < size; k++)
            {
                body[k] = (byte)('a' + (k % 26));
            }
            final ByteBuffer header = ByteBuffer.wrap(body);
            boolean paced = true;
            for (int seq = 0; seq < messages && !tally.stop; seq++)
            {
                if (paced && !tally.awaitWindow(me, seq, window))
                {
                    paced = false; // something was lost after all; the report will show it
                }
                header.putInt(0, me).putInt(4, seq);
                s.send(body);
            }
        }
        catch (final InterruptedException e)
        {
            Thread.currentThread().interrupt();
        }
        catch (final BusClosedException e)
        {
            // closed at the end of a failed run
        }
        finally
        {
            tally.senderDone();
        }
    }

    /** Receiver {@code me}: counts what arrives from whom until it has everything or is stopped. */
    private static void receive(final BusSocket s, final int me, final Tally tally)
    {
        final Duration poll = Duration.ofMillis(20);
        try
        {
            while (!tally.stop && !tally.complete(me))
            {
                final Message m;
                try
                {
                    m = s.recvMessage(poll);
                }
                catch (final BusTimeoutException e)
                {
                    continue;
                }
                tally.record(me, m.body());
            }
        }
        catch (final BusClosedException e)
        {
            // closed at the end of a failed run
        }
    }

    private static void drainLeftovers(final BusSocket s, final int me, final Tally tally)
    {
        Message m;
        while ((m = s.tryRecvMessage()) != null)
        {
            tally.record(me, m.body());
        }
    }

    /** Waits until every receiver has all it expects, or nothing more can come, or the deadline. */
    private static void awaitDelivery(final Tally tally, final long deadline)
    {
        long lastTotal = -1;
        long lastChange = System.nanoTime();
        while (!tally.allComplete())
        {
            final long now = System.nanoTime();
            if (now - deadline > 0)
            {
                return;
            }
            final long total = tally.total();
            if (total != lastTotal)
            {
                lastTotal = total;
                lastChange = now;
            }
            else if (tally.sendersDone() && now - lastChange > QUIET_NANOS)
            {
                return;
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(2));
        }
    }

    private static void joinAll(final List<Thread> threads)
    {
        for (final Thread t : threads)
        {
            try
            {
                t.join(TimeUnit.SECONDS.toMillis(5));
            }
            catch (final InterruptedException e)
            {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private int report(final String[] urls, final Tally tally, final SocketStats[] stats, final int window,
        final long setupNanos, final long runNanos)
    {
        final int n = members;
        final int urlWidth = Math.max(7, maxLength(urls));
        final int colWidth = Math.max(7, Integer.toString(messages).length() + 1);
        final int connections = n * (n - 1) / 2;
        out.printf(Locale.ROOT, "spbus demo: full mesh of %d BUS sockets over %s, %d connection%s;"
            + " each member broadcasts %d messages of %d bytes%n%n", n, transport, connections,
            connections == 1 ? "" : "s", messages, size);
        final StringBuilder head = new StringBuilder(String.format(Locale.ROOT, "%-6s  %-" + urlWidth + "s", "member",
            "address"));
        for (int j = 0; j < n; j++)
        {
            head.append(String.format(Locale.ROOT, "  %" + colWidth + "s", "from m" + j));
        }
        head.append(String.format(Locale.ROOT, "  %9s  %9s  %6s  %-8s", "received", "expected", "drops", "in order"));
        out.println(head.toString().stripTrailing());
        long missing = 0;
        long extra = 0;
        long disorder = 0;
        long drops = 0;
        final long expected = (long)(n - 1) * messages;
        for (int i = 0; i < n; i++)
        {
            final StringBuilder row = new StringBuilder(String.format(Locale.ROOT, "%-6s  %-" + urlWidth + "s",
                "m" + i, urls[i]));
            long received = 0;
            for (int j = 0; j < n; j++)
            {
                final int c = tally.count(i, j);
                row.append(String.format(Locale.ROOT, "  %" + colWidth + "d", c));
                received += c;
                if (j == i)
                {
                    extra += c;
                }
                else
                {
                    missing += Math.max(0, messages - c);
                    extra += Math.max(0, c - messages);
                }
            }
            extra += tally.bogus(i);
            final long d = drops(stats[i]);
            drops += d;
            disorder += tally.disorder(i);
            row.append(String.format(Locale.ROOT, "  %9d  %9d  %6d  %-8s", received + tally.bogus(i), expected, d,
                tally.disorder(i) == 0 ? "yes" : "NO (" + tally.disorder(i) + ")"));
            out.println(row.toString().stripTrailing());
        }
        final long deliveries = (long)n * (n - 1) * messages - missing;
        final double seconds = Math.max(runNanos, 1) / 1e9;
        out.println();
        out.printf(Locale.ROOT, "%-22s %10.1f ms   (%d listeners, %d blocking dial%s, every pipe attached)%n",
            "mesh setup", setupNanos / 1e6, n, n * (n - 1) / 2, n == 2 ? "" : "s");
        out.printf(Locale.ROOT, "%-22s %10.1f ms   (window of %d messages per sender and receiver)%n",
            "broadcast + delivery", runNanos / 1e6, window);
        out.printf(Locale.ROOT, "%-22s %10.0f msgs/s   (%d deliveries, %.2f MB/s)%n", "throughput",
            deliveries / seconds, deliveries, deliveries * (double)size / seconds / 1e6);
        if (drops > 0)
        {
            out.println();
            out.println("drops by counter (all members):");
            for (final Counter c : new Counter[] {Counter.DROPPED_NO_PEERS, Counter.DROPPED_SEND_QUEUE_FULL,
                Counter.DROPPED_PIPE_CLOSED, Counter.DROPPED_RECV_QUEUE_FULL})
            {
                long sum = 0;
                for (final SocketStats s : stats)
                {
                    sum += s.get(c);
                }
                out.printf(Locale.ROOT, "  %-24s %d%n", c.label(), sum);
            }
        }
        out.println();
        final int rc;
        if (missing == 0 && extra == 0 && disorder == 0)
        {
            out.printf(Locale.ROOT, "result: OK - every member received %d messages from each of the %d others,"
                + " in order, and none of its own%n", messages, n - 1);
            rc = 0;
        }
        else if (extra == 0 && disorder == 0 && missing == drops)
        {
            out.printf(Locale.ROOT, "result: OK with drops - %d messages missing, every one counted as a drop%n",
                missing);
            rc = 0;
        }
        else
        {
            out.printf(Locale.ROOT, "result: FAILED - %d missing (%d counted drops), %d unexpected"
                + " (own, duplicate or unknown), %d out of order%n", missing, drops, extra, disorder);
            rc = 1;
        }
        out.flush();
        return rc;
    }

    private static long drops(final SocketStats s)
    {
        return s.get(Counter.DROPPED_NO_PEERS) + s.get(Counter.DROPPED_SEND_QUEUE_FULL)
            + s.get(Counter.DROPPED_PIPE_CLOSED) + s.get(Counter.DROPPED_RECV_QUEUE_FULL);
    }

    private static int maxLength(final String[] s)
    {
        int m = 0;
        for (final String x : s)
        {
            m = Math.max(m, x.length());
        }
        return m;
    }

    /**
     * What every receiver got, shared by the demo's threads. Row {@code i} of the counts is
     * written only by receiver {@code i}; senders read the columns for their window.
     * Thread-safe.
     */
    static final class Tally
    {
        private final int n;
        private final int messages;
        /** counts[i * n + j]: messages member i received from member j. */
        private final AtomicIntegerArray counts;
        /** Next expected sequence number, per receiver and sender (touched only by that receiver, or after it ended). */
        private final int[] nextSeq;
        private final AtomicIntegerArray disorder;
        private final AtomicIntegerArray bogus;
        private final AtomicIntegerArray sendersRunning = new AtomicIntegerArray(1);
        /** Set by the main thread to end senders and receivers. */
        volatile boolean stop;

        /**
         * Creates an empty tally.
         *
         * @param n        members
         * @param messages messages each member sends
         */
        Tally(final int n, final int messages)
        {
            this.n = n;
            this.messages = messages;
            this.counts = new AtomicIntegerArray(n * n);
            this.nextSeq = new int[n * n];
            this.disorder = new AtomicIntegerArray(n);
            this.bogus = new AtomicIntegerArray(n);
            this.sendersRunning.set(0, n);
        }

        /**
         * Records that receiver {@code me} got {@code body}. Called only by that receiver's
         * thread (or by the main thread after it has ended).
         *
         * @param me   the receiver
         * @param body the message
         */
        void record(final int me, final byte[] body)
        {
            if (body.length < HEADER)
            {
                bogus.incrementAndGet(me);
                return;
            }
            final ByteBuffer b = ByteBuffer.wrap(body);
            final int from = b.getInt(0);
            final int seq = b.getInt(4);
            if (from < 0 || from >= n)
            {
                bogus.incrementAndGet(me);
                return;
            }
            final int k = me * n + from;
            if (seq < nextSeq[k])
            {
                disorder.incrementAndGet(me); // a duplicate or a reordering; a gap (seq > next) is a loss
            }
            nextSeq[k] = Math.max(nextSeq[k], seq + 1);
            counts.incrementAndGet(k);
        }

        /**
         * Says whether receiver {@code me} has as many messages from the others as expected.
         *
         * @param me the receiver
         * @return {@code true} once it has them all
         */
        boolean complete(final int me)
        {
            long got = 0;
            for (int j = 0; j < n; j++)
            {
                if (j != me)
                {
                    got += counts.get(me * n + j);
                }
            }
            return got >= (long)(n - 1) * messages;
        }

        /**
         * Says whether every receiver is {@link #complete(int)}.
         *
         * @return {@code true} once all are
         */
        boolean allComplete()
        {
            for (int i = 0; i < n; i++)
            {
                if (!complete(i))
                {
                    return false;
                }
            }
            return true;
        }

        /**
         * Returns the number of messages received by all members, from anyone.
         *
         * @return the sum of all counts
         */
        long total()
        {
            long t = 0;
            for (int i = 0; i < n * n; i++)
            {
                t += counts.get(i);
            }
            return t;
        }

        /**
         * Waits until every other member has received message {@code seq - window} from
         * {@code me}, so that at most {@code window} of its messages are in flight to anyone.
         *
         * @param me     the sender
         * @param seq    the sequence number it is about to send
         * @param window messages allowed in flight
         * @return {@code false} if that did not happen within two seconds
         * @throws InterruptedException if the thread is interrupted
         */
        boolean awaitWindow(final int me, final int seq, final int window) throws InterruptedException
        {
            final int need = seq - window + 1;
            if (need <= 0)
            {
                return true;
            }
            final long until = System.nanoTime() + WINDOW_WAIT_NANOS;
            while (true)
            {
                boolean ok = true;
                for (int j = 0; j < n; j++)
                {
                    if (j != me && counts.get(j * n + me) < need)
                    {
                        ok = false;
                        break;
                    }
                }
                if (ok)
                {
                    return true;
                }
                if (stop || System.nanoTime() - until > 0)
                {
                    return false;
                }
                if (Thread.interrupted())
                {
                    throw new InterruptedException();
                }
                LockSupport.parkNanos(20_000);
            }
        }

        /** Notes that one sender has sent everything. */
        void senderDone()
        {
            sendersRunning.decrementAndGet(0);
        }

        /**
         * Says whether every sender has finished.
         *
         * @return {@code true} once all have
         */
        boolean sendersDone()
        {
            return sendersRunning.get(0) == 0;
        }

        /**
         * Returns how many messages a receiver got from a sender.
         *
         * @param receiver the receiving member
         * @param sender   the sending member
         * @return the count
         */
        int count(final int receiver, final int sender)
        {
            return counts.get(receiver * n + sender);
        }

        /**
         * Returns how many messages a receiver got out of order or twice.
         *
         * @param receiver the receiving member
         * @return the count
         */
        int disorder(final int receiver)
        {
            return disorder.get(receiver);
        }

        /**
         * Returns how many messages a receiver got that no member of the demo sent.
         *
         * @param receiver the receiving member
         * @return the count
         */
        int bogus(final int receiver)
        {
            return bogus.get(receiver);
        }
    }
}
