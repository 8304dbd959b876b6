package org.spbus.transport.tcp.faults;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Assumptions;
import org.spbus.BusSocket;
import org.spbus.Counter;
import org.spbus.SocketStats;
import org.spbus.tck.Await;

/**
 * Helpers of the fault tests: external tools and child JVMs as bounded subprocesses, free
 * ports, sequenced message bodies and the send-side accounting identity. Waits use
 * {@link Await} (deadline-bounded polling); nothing here sleeps to synchronise.
 */
final class Faults
{
    /** How long any single wait may take. */
    static final Duration WAIT = Duration.ofSeconds(10);

    private Faults()
    {
    }

    // ---------------------------------------------------------------- bodies

    /** A body: sender id, sequence number, then {@code padding} bytes that depend on both. */
    static byte[] body(final int sender, final int seq, final int padding)
    {
        final byte[] b = new byte[8 + padding];
        ByteBuffer.wrap(b).putInt(sender).putInt(seq);
        for (int i = 0; i < padding; i++)
        {
            b[8 + i] = (byte)(seq * 31 + sender + i);
        }
        return b;
    }

    static int senderOf(final byte[] b)
    {
        return ByteBuffer.wrap(b).getInt(0);
    }

    static int seqOf(final byte[] b)
    {
        return ByteBuffer.wrap(b).getInt(4);
    }

    /** Whether a body made by {@link #body} arrived whole and unchanged. */
    static boolean intact(final byte[] b, final int padding)
    {
        return b.length == 8 + padding && Arrays.equals(b, body(senderOf(b), seqOf(b), padding));
    }

    static byte[] utf8(final String s)
    {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    // ---------------------------------------------------------------- accounting

    /**
     * Waits until the send side of {@code s} is settled and accounted for: every copy queued on
     * a pipe was written, dropped with its pipe, or is still pending on an open pipe
     * (Counter's identity: {@code PIPE_MESSAGES_QUEUED = MESSAGES_WRITTEN + DROPPED_PIPE_CLOSED
     * + PIPE_MESSAGES_PENDING}).
     */
    static void awaitSendSideAccounted(final BusSocket s, final String who)
    {
        Await.until(() ->
        {
            final SocketStats st = s.stats();
            return st.get(Counter.PIPE_MESSAGES_QUEUED) == st.get(Counter.MESSAGES_WRITTEN)
                + st.get(Counter.DROPPED_PIPE_CLOSED) + st.get(Counter.PIPE_MESSAGES_PENDING);
        }, WAIT, () -> "accounting (" + who + "): PIPE_MESSAGES_QUEUED != MESSAGES_WRITTEN + DROPPED_PIPE_CLOSED"
            + " + PIPE_MESSAGES_PENDING: " + s.stats());
    }

    // ---------------------------------------------------------------- ports

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

    static int portOf(final String url)
    {
        return Integer.parseInt(url.substring(url.lastIndexOf(':') + 1));
    }

    // ---------------------------------------------------------------- tools and child JVMs

    /**
     * The command that runs {@code mainClass} in a new JVM with this JVM's classes: the module
     * path, the class path and the test classes, all on the new JVM's class path (where the
     * engine and transports are found through {@code META-INF/services}).
     */
    static List<String> javaCommand(final Class<?> mainClass, final String... args)
    {
        final Set<String> cp = new LinkedHashSet<>();
        for (final String prop : new String[] {"jdk.module.path", "java.class.path"})
        {
            final String v = System.getProperty(prop);
            if (v != null && !v.isEmpty())
            {
                cp.addAll(Arrays.asList(v.split(File.pathSeparator)));
            }
        }
        try
        {
            cp.add(Paths.get(mainClass.getProtectionDomain().getCodeSource().getLocation().toURI()).toString());
        }
        catch (final java.net.URISyntaxException e)
        {
            throw new IllegalStateException(e);
        }
        final List<String> cmd = new ArrayList<>();
        cmd.add(Paths.get(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-Xmx64m");
        cmd.add("-XX:TieredStopAtLevel=1");
        cmd.add("-cp");
        cmd.add(String.join(File.pathSeparator, cp));
        cmd.add(mainClass.getName());
        cmd.addAll(Arrays.asList(args));
        return cmd;
    }
}
