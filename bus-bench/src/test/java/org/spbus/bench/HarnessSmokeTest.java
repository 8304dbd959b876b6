package org.spbus.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Runs every harness scenario once in this JVM with tiny counts over inproc, tcp and ipc, and
 * checks that the output has exactly {@code bench.c}'s line format and metric names (so that
 * nng-bench's summarize.py reads it) and that the values are sane. Not a benchmark: nothing
 * here judges speed.
 */
@Timeout(60)
class HarnessSmokeTest
{
    /** The exact line of bench.c's emit(): the keys in order, %.3f values. */
    private static final Pattern LINE = Pattern.compile("lib=spbus scenario=(\\w+) transport=(\\w+) peers=(\\d+) size=(\\d+) "
        + "bufs=(default|large) sendbuf=(-?\\d+) recvbuf=(-?\\d+) metric=(\\w+) value=(-?\\d+\\.\\d{3})");

    private static final List<String> FANOUT_METRICS = List.of("samples", "lost_broadcasts", "lat_min_us", "lat_p50_us",
        "lat_p90_us", "lat_p99_us", "lat_max_us", "lat_mean_us", "lat_p50_per_peer_us", "send_call_p50_ns",
        "send_call_p99_ns", "broadcasts_per_s", "setup_ms");
    private static final List<String> TP_METRICS = List.of("duration_s", "sent_msgs", "delivered_msgs", "tx_msgs_per_s",
        "rx_msgs_per_s", "rx_MB_per_s", "drop_frac", "drain_ms");
    private static final int COUNT = 20;
    private static final int WARMUP = 5;
    private static final double DURATION = 0.05;

    static Stream<Arguments> runs()
    {
        final List<Arguments> a = new ArrayList<>();
        for (final String t : new String[] {"inproc", "tcp", "ipc"})
        {
            a.add(Arguments.of("fanout", t, 3, 64));
            a.add(Arguments.of("rx", t, 2, 64));
            a.add(Arguments.of("bcast", t, 3, 64));
        }
        a.add(Arguments.of("rx", "tcp", 1, 65536)); // a payload-sweep size
        return a.stream();
    }

    @ParameterizedTest(name = "{0} over {1}, {2} peers, {3} B")
    @MethodSource("runs")
    void scenarioPrintsParseableSaneLines(final String scenario, final String transport, final int peers, final int size)
    {
        final HarnessConfig cfg = new HarnessConfig(scenario, transport, peers, size, false, COUNT, WARMUP, DURATION, false);
        final Map<String, Double> m = run(cfg, 16, 128);
        switch (scenario)
        {
            case "fanout":
                checkFanout(m, peers);
                break;
            case "rx":
                assertEquals(TP_METRICS, List.copyOf(m.keySet()));
                checkThroughput(m, 1, size);
                break;
            default:
                final List<String> bc = new ArrayList<>(TP_METRICS);
                bc.add("per_peer_min_frac");
                bc.add("per_peer_max_frac");
                assertEquals(bc, List.copyOf(m.keySet()));
                checkThroughput(m, peers, size);
                assertTrue(0 <= m.get("per_peer_min_frac"), "per_peer_min_frac >= 0");
                assertTrue(m.get("per_peer_min_frac") <= m.get("per_peer_max_frac"), "min <= max share");
                assertTrue(m.get("per_peer_max_frac") <= 1.0, "no peer gets more than was sent");
                break;
        }
    }

    @Test
    void largeBuffersAreReadBackFromTheHub()
    {
        final HarnessConfig cfg = new HarnessConfig("fanout", "inproc", 2, 64, true, COUNT, WARMUP, DURATION, false);
        checkFanout(run(cfg, 1024, 1024), 2);
    }

    @Test
    void callbackReceiversAreRefusedAsFatal()
    {
        final HarnessConfig cfg = HarnessConfig.parse("--scenario", "fanout", "--rxmode", "aio", "--transport", "inproc",
            "--peers", "1");
        assertEquals("fanout_aio", cfg.reportedScenario());
        assertThrows(HarnessException.class, () -> Harness.run(cfg, new PrintStream(new ByteArrayOutputStream(), true,
            StandardCharsets.UTF_8)));
    }

    @Test
    void flagsParseAsInBenchC()
    {
        final HarnessConfig c = HarnessConfig.parse("--scenario", "rx", "--transport", "tcp", "--peers", "4", "--size",
            "1024", "--bufs", "large", "--duration=0.4", "--count", "300", "--warmup", "50");
        assertEquals(new HarnessConfig("rx", "tcp", 4, 1024, true, 300, 50, 0.4, false), c);
        assertEquals(HarnessConfig.defaults(), HarnessConfig.parse());
        assertThrows(IllegalArgumentException.class, () -> HarnessConfig.parse("--size", "8"));
        assertThrows(IllegalArgumentException.class, () -> HarnessConfig.parse("--peers", "513"));
        assertThrows(IllegalArgumentException.class, () -> HarnessConfig.parse("--bufs", "huge"));
        assertThrows(IllegalArgumentException.class, () -> HarnessConfig.parse("--transport", "udp"));
        assertThrows(IllegalArgumentException.class, () -> HarnessConfig.parse("--bogus", "1"));
    }

    @Test
    void percentilesAreNearestRankAsInBenchC()
    {
        final long[] v = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10};
        assertEquals(5, Harness.percentile(v, 10, 0.50));
        assertEquals(9, Harness.percentile(v, 10, 0.90));
        assertEquals(10, Harness.percentile(v, 10, 0.99));
        assertEquals(1, Harness.percentile(v, 10, 0.0));
        assertEquals(7, Harness.percentile(new long[] {7}, 1, 0.99));
        assertEquals(0, Harness.percentile(v, 0, 0.5));
    }

    // ------------------------------------------------------------------ helpers

    /** Runs in-process and returns metric -> value in output order, checking every line's format. */
    private static Map<String, Double> run(final HarnessConfig cfg, final int sendbuf, final int recvbuf)
    {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        Harness.run(cfg, new PrintStream(bytes, true, StandardCharsets.UTF_8));
        final String text = bytes.toString(StandardCharsets.UTF_8);
        final Map<String, Double> metrics = new LinkedHashMap<>();
        boolean header = false;
        for (final String line : text.split("\n"))
        {
            if (line.startsWith("# lib=spbus version="))
            {
                header = true;
                continue;
            }
            if (line.startsWith("#") || line.isEmpty())
            {
                continue;
            }
            final Matcher mt = LINE.matcher(line);
            assertTrue(mt.matches(), () -> "not a bench.c line: " + line);
            assertEquals(cfg.reportedScenario(), mt.group(1), line);
            assertEquals(cfg.transport(), mt.group(2), line);
            assertEquals(cfg.peers(), Integer.parseInt(mt.group(3)), line);
            assertEquals(cfg.size(), Integer.parseInt(mt.group(4)), line);
            assertEquals(cfg.large() ? "large" : "default", mt.group(5), line);
            assertEquals(sendbuf, Integer.parseInt(mt.group(6)), line);
            assertEquals(recvbuf, Integer.parseInt(mt.group(7)), line);
            final Double old = metrics.put(mt.group(8), Double.parseDouble(mt.group(9)));
            assertEquals(null, old, () -> "metric printed twice: " + line);
        }
        assertTrue(header, "the '# lib=spbus version=...' header comes first");
        return metrics;
    }

    private static void checkFanout(final Map<String, Double> m, final int peers)
    {
        assertEquals(FANOUT_METRICS, List.copyOf(m.keySet()));
        final double samples = m.get("samples");
        final double lost = m.get("lost_broadcasts");
        assertTrue(samples >= 1 && samples <= COUNT, "1 <= samples <= count: " + samples);
        assertTrue(lost >= 0 && samples + lost >= COUNT && lost <= COUNT + WARMUP, "samples + lost accounts for every broadcast");
        final double min = m.get("lat_min_us");
        final double p50 = m.get("lat_p50_us");
        assertTrue(min > 0, "latency > 0: " + min);
        assertTrue(min <= p50 && p50 <= m.get("lat_p90_us") && m.get("lat_p90_us") <= m.get("lat_p99_us")
            && m.get("lat_p99_us") <= m.get("lat_max_us"), "min <= p50 <= p90 <= p99 <= max: " + m);
        assertTrue(min <= m.get("lat_mean_us") && m.get("lat_mean_us") <= m.get("lat_max_us"), "mean within [min, max]");
        assertEquals(p50 / peers, m.get("lat_p50_per_peer_us"), 0.001 + p50 * 1e-6, "p50 per peer = p50 / N");
        assertTrue(m.get("send_call_p50_ns") > 0 && m.get("send_call_p50_ns") <= m.get("send_call_p99_ns"),
            "0 < send p50 <= send p99");
        assertTrue(m.get("broadcasts_per_s") > 0, "broadcasts/s > 0");
        assertTrue(m.get("setup_ms") >= 0, "setup_ms >= 0");
    }

    private static void checkThroughput(final Map<String, Double> m, final int fanout, final int size)
    {
        final double sent = m.get("sent_msgs");
        final double delivered = m.get("delivered_msgs");
        final double sendS = m.get("duration_s");
        assertTrue(sendS >= DURATION - 0.001, "sent for at least the duration: " + sendS);
        assertTrue(sent >= 1, "sent >= 1");
        assertTrue(delivered >= 1, "something was delivered");
        assertTrue(delivered <= sent * fanout, "received <= sent x fan-out: " + delivered + " > " + sent + " x " + fanout);
        final double drop = m.get("drop_frac");
        assertTrue(drop >= 0 && drop < 1, "0 <= drop_frac < 1: " + drop);
        assertEquals(1 - delivered / (sent * fanout), drop, 0.0011, "drop_frac = 1 - delivered / expected");
        assertEquals(sent / sendS, m.get("tx_msgs_per_s"), sent / sendS * 0.03 + 0.01, "tx rate = sent / duration");
        assertTrue(m.get("rx_msgs_per_s") > 0, "rx rate > 0");
        assertEquals(m.get("rx_msgs_per_s") * size / 1e6, m.get("rx_MB_per_s"), m.get("rx_MB_per_s") * 0.01 + 0.001,
            "MB/s = msg/s x size");
        assertTrue(m.get("drain_ms") >= 0, "drain_ms >= 0");
    }
}
