package org.spbus.transport.tcp.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.spbus.transport.tcp.interop.Tools.recvText;
import static org.spbus.transport.tcp.interop.Tools.utf8;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.spbus.Bus;
import org.spbus.BusOptions;
import org.spbus.BusSocket;
import org.spbus.Counter;
import org.spbus.transport.tcp.interop.Tools.ListeningTool;
import org.spbus.tck.ExternalTool;

/**
 * Interop with a real nanomsg peer ({@code nanocat --bus}, nanomsg 1.1.5 here) over TCP on
 * 127.0.0.1 (nanomsg is IPv4-only by default), both directions. nanocat has no
 * {@code --count}; the process is always killed at the end. Its {@code --connect} is
 * asynchronous, so its first message may be lost; it sends every second.
 */
@Timeout(30)
class NanocatInteropTest
{
    private static final BusOptions FAST_REDIAL = BusOptions.builder().reconnectMin(Duration.ofMillis(50)).build();

    private String nanocat;

    @BeforeEach
    void findNanocat()
    {
        nanocat = Tools.require("nanocat", "nanomsg-utils");
    }

    @Test
    void nanocatConnectsToSpbusListener() throws Exception
    {
        try (BusSocket s = Bus.open())
        {
            final String url = s.listen("tcp://127.0.0.1:0").url();
            try (ExternalTool p = ExternalTool.start(nanocat, "--bus", "--connect", url, "--data", "hello",
                "--interval", "1", "--quoted"))
            {
                assertEquals("hello", recvText(s, p::describe));
                p.repeatUntilLine("\"from-spbus\"", () -> s.send(utf8("from-spbus")));
                assertEquals(0, s.stats().get(Counter.HANDSHAKE_FAILURES), () -> "stats " + s.stats());
            }
        }
    }

    @Test
    void spbusDialsNanocatListener() throws Exception
    {
        try (BusSocket s = Bus.open(FAST_REDIAL);
            ListeningTool t = Tools.startListening(s, port -> List.of(nanocat, "--bus", "--bind",
                "tcp://127.0.0.1:" + port, "--data", "from-nanocat", "--interval", "1", "--quoted")))
        {
            assertEquals("from-nanocat", recvText(s, t.process::describe));
            t.process.repeatUntilLine("\"from-spbus\"", () -> s.send(utf8("from-spbus")));
            assertTrue(t.dialer.isConnected());
        }
    }
}
