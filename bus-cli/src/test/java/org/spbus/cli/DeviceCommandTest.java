package org.spbus.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.spbus.Bus;
import org.spbus.BusOptions;
import org.spbus.BusSocket;
import org.spbus.BusTimeoutException;
import org.spbus.DialMode;
import org.spbus.Dialer;

/** {@code spbus device}: a reflector joins peers that only dial it; bad usage is an error. */
@Timeout(20)
class DeviceCommandTest
{
    private static final Duration WAIT = Duration.ofSeconds(10);

    @Test
    void peersDialingTheDeviceHearEachOtherButNotThemselves() throws Exception
    {
        final String url = "inproc://spbus-device-test";
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        final ByteArrayOutputStream err = new ByteArrayOutputStream();
        final AtomicInteger rc = new AtomicInteger(-1);
        final Thread device = new Thread(() -> rc.set(Main.run(new String[] {"device", "--listen", url, "--duration", "3",
            "--stats", "-v"}, System.in, out, new PrintStream(err))));
        device.start();
        final BusOptions fast = BusOptions.builder().reconnectMin(Duration.ofMillis(20)).build();
        try (BusSocket a = Bus.open(fast); BusSocket b = Bus.open(fast))
        {
            final Dialer da = a.dial(url, DialMode.NON_BLOCKING);
            final Dialer db = b.dial(url, DialMode.NON_BLOCKING);
            final long deadline = System.nanoTime() + WAIT.toNanos();
            while (!(da.isConnected() && db.isConnected()) && System.nanoTime() < deadline)
            {
                Thread.onSpinWait();
            }
            assertTrue(da.isConnected() && db.isConnected(), "both peers connected to the device");
            a.send("from-a".getBytes(StandardCharsets.UTF_8));
            assertArrayEquals("from-a".getBytes(StandardCharsets.UTF_8), b.recv(WAIT));
            assertThrows(BusTimeoutException.class, () -> a.recv(Duration.ofMillis(200)), "no echo to the sender");
        }
        device.join(WAIT.toMillis());
        assertEquals(0, rc.get());
        final String text = out.toString(StandardCharsets.UTF_8);
        assertTrue(text.contains("Listening at: " + url), text);
        assertTrue(text.contains("Relayed: 1 messages"), text);
        final String stats = err.toString(StandardCharsets.UTF_8);
        assertTrue(stats.contains("messages_received 1 messages"), "--stats goes to stderr: " + stats);
    }

    @Test
    void noUrlIsAUsageError()
    {
        final ByteArrayOutputStream err = new ByteArrayOutputStream();
        final int rc = Main.run(new String[] {"device"}, System.in, new ByteArrayOutputStream(), new PrintStream(err));
        assertEquals(2, rc);
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("--listen or --dial"), err.toString(StandardCharsets.UTF_8));
    }
}
