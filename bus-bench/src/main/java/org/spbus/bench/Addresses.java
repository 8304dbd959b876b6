package org.spbus.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Listen addresses for the benchmarks, one fresh address per hub:
 * {@code ipc:///tmp/spbusbench-PID-N.ipc} (as the C harness's {@code /tmp/nngbench-PID.ipc}),
 * {@code tcp://127.0.0.1:0} (an ephemeral loopback port, read back from the listener; the C
 * harness derives a port from its pid instead, which needs retries) and
 * {@code inproc://spbusbench-PID-N}.
 */
final class Addresses
{
    private static final AtomicInteger SEQ = new AtomicInteger();

    private Addresses()
    {
    }

    /** The transports the harness and the benchmarks accept. */
    static final String[] TRANSPORTS = {"ipc", "tcp", "inproc"};

    /**
     * Returns a fresh URL to listen on; for ipc, removes a stale socket file first.
     *
     * @param transport {@code ipc}, {@code tcp} or {@code inproc}
     * @return the URL
     * @throws IllegalArgumentException for any other transport
     */
    static String listenUrl(final String transport)
    {
        final long pid = ProcessHandle.current().pid();
        final int n = SEQ.incrementAndGet();
        switch (transport.toLowerCase(Locale.ROOT))
        {
            case "ipc":
                final Path p = ipcPath(pid, n);
                try
                {
                    Files.deleteIfExists(p);
                }
                catch (final IOException e)
                {
                    throw new UncheckedIOException("cannot remove stale " + p, e);
                }
                return "ipc://" + p;
            case "tcp":
                return "tcp://127.0.0.1:0";
            case "inproc":
                return "inproc://spbusbench-" + pid + "-" + n;
            default:
                throw new IllegalArgumentException("transport must be ipc, tcp or inproc, not '" + transport + "'");
        }
    }

    /** Removes the socket file behind an {@code ipc://} URL, if any; ignores other URLs. */
    static void cleanup(final String url)
    {
        if (url != null && url.startsWith("ipc://"))
        {
            try
            {
                Files.deleteIfExists(Path.of(url.substring("ipc://".length())));
            }
            catch (final IOException | RuntimeException e)
            {
                // best effort, as the C harness's unlink at exit
            }
        }
    }

    private static Path ipcPath(final long pid, final int n)
    {
        return Path.of("/tmp", "spbusbench-" + pid + "-" + n + ".ipc");
    }
}
