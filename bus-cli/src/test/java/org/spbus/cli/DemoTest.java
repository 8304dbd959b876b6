package org.spbus.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@code spbus demo}: exit code and the table. */
@Timeout(20)
class DemoTest
{
    private static final Duration WAIT = Duration.ofSeconds(18);

    /** One table row: member index, then the per-sender counts, received, expected, drops, in order. */
    private static List<long[]> rows(final String out, final int members)
    {
        final StringBuilder re = new StringBuilder("(?m)^m(\\d+)\\s+\\S+");
        for (int j = 0; j < members; j++)
        {
            re.append("\\s+(\\d+)");
        }
        re.append("\\s+(\\d+)\\s+(\\d+)\\s+(\\d+)\\s+yes$");
        final Matcher m = Pattern.compile(re.toString()).matcher(out);
        final List<long[]> rows = new ArrayList<>();
        while (m.find())
        {
            final long[] r = new long[m.groupCount()];
            for (int g = 1; g <= m.groupCount(); g++)
            {
                r[g - 1] = Long.parseLong(m.group(g));
            }
            rows.add(r);
        }
        return rows;
    }

    private static void assertFullDelivery(final String out, final int members, final int messages, final String url)
    {
        final List<long[]> rows = rows(out, members);
        assertEquals(members, rows.size(), out);
        for (int i = 0; i < members; i++)
        {
            final long[] r = rows.get(i);
            assertEquals(i, r[0], out);
            for (int j = 0; j < members; j++)
            {
                assertEquals(i == j ? 0 : messages, r[1 + j], "member m" + i + " from m" + j + "\n" + out);
            }
            assertEquals((long)(members - 1) * messages, r[1 + members], "received\n" + out);
            assertEquals((long)(members - 1) * messages, r[2 + members], "expected\n" + out);
            assertEquals(0, r[3 + members], "drops\n" + out);
        }
        assertTrue(Pattern.compile("(?m)^m0\\s+" + url).matcher(out).find(), out);
        assertTrue(out.contains("result: OK - every member received " + messages + " messages from each of the "
            + (members - 1) + " others, in order, and none of its own"), out);
        assertTrue(Pattern.compile("(?m)^mesh setup\\s+\\d+\\.\\d ms").matcher(out).find(), out);
        assertTrue(Pattern.compile("(?m)^broadcast \\+ delivery\\s+\\d+\\.\\d ms").matcher(out).find(), out);
        assertTrue(Pattern.compile("(?m)^throughput\\s+\\d+ msgs/s").matcher(out).find(), out);
    }

    @Test
    void defaultDemoDeliversEverythingOverTcp()
    {
        final Object[] r = TestSupport.runCli(WAIT, "demo");
        assertEquals(0, r[0], r[1] + "\n" + r[2]);
        final String out = (String)r[1];
        assertTrue(out.startsWith("spbus demo: full mesh of 4 BUS sockets over tcp, 6 connections; each member"
            + " broadcasts 1000 messages of 64 bytes\n"), out);
        assertTrue(Pattern.compile("(?m)^member\\s+address\\s+from m0\\s+from m1\\s+from m2\\s+from m3\\s+received"
            + "\\s+expected\\s+drops\\s+in order$").matcher(out).find(), out);
        assertFullDelivery(out, 4, 1000, "tcp://127\\.0\\.0\\.1:\\d+");
        assertEquals("", r[2]);
    }

    @Test
    void inprocMeshWithOtherSizes()
    {
        final Object[] r = TestSupport.runCli(WAIT, "demo", "--transport", "inproc", "--members", "5", "--messages",
            "300", "--size", "1000");
        assertEquals(0, r[0], r[1] + "\n" + r[2]);
        assertFullDelivery((String)r[1], 5, 300, "inproc://spbus-demo-\\S+");
        assertTrue(((String)r[1]).contains("5 BUS sockets over inproc, 10 connections"), (String)r[1]);
    }

    @Test
    void twoMembersAndZeroMessages()
    {
        final Object[] r = TestSupport.runCli(WAIT, "demo", "--members", "2", "--messages", "0");
        assertEquals(0, r[0], r[1] + "\n" + r[2]);
        assertFullDelivery((String)r[1], 2, 0, "tcp://\\S+");
    }

    @Test
    void usageErrorsExitTwo()
    {
        Object[] r = TestSupport.runCli(WAIT, "demo", "--members", "1");
        assertEquals(2, r[0]);
        assertTrue(((String)r[2]).contains("--members must be 2 to 64: 1"), (String)r[2]);
        r = TestSupport.runCli(WAIT, "demo", "--transport", "udp");
        assertEquals(2, r[0]);
        assertTrue(((String)r[2]).contains("--transport must be tcp or inproc: udp"), (String)r[2]);
        r = TestSupport.runCli(WAIT, "demo", "--size", "4");
        assertEquals(2, r[0]);
        r = TestSupport.runCli(WAIT, "demo", "--bogus");
        assertEquals(2, r[0]);
        assertTrue(((String)r[2]).contains("Unknown option: '--bogus'"), (String)r[2]);
    }

    @Test
    void helpListsTheOptions()
    {
        final Object[] r = TestSupport.runCli(WAIT, "demo", "--help");
        assertEquals(0, r[0]);
        final String out = (String)r[1];
        for (final String opt : new String[] {"--members", "--messages", "--size", "--transport", "--timeout"})
        {
            assertTrue(out.contains(opt), opt + " in " + out);
        }
    }
}
