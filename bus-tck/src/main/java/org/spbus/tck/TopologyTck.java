package org.spbus.tck;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import org.junit.jupiter.api.Test;
import org.spbus.BusSocket;
import org.spbus.Counter;

/**
 * The seed's integration table, topologies: {@code TestBusFullMesh} (three members, each
 * listening, higher members dialing lower ones), {@code TestBusPartialMesh} (a chain A-B-C:
 * no forwarding, BU-6) and {@code TestBusHubSpoke} (a hub and four spokes), all over the
 * transport under test.
 *
 * <p>Absence of forwarding is proven without waiting for nothing: after the middle member
 * receives a message it sends its own, and the far member's first message must be that one
 * (a forwarded copy would have been queued on the same pipe before it).
 */
public abstract class TopologyTck extends AbstractBusTck
{
    /**
     * Creates the suite for one transport.
     *
     * @param fixture describes the transport under test
     */
    protected TopologyTck(final TransportFixture fixture)
    {
        super(fixture);
    }

    /**
     * TestBusFullMesh. Three members in a full mesh (each listens; each dials every lower
     * member): each member's broadcast reaches both others exactly once (BU-2), never itself
     * (BU-3).
     */
    @Test
    public void required_BU2_BU3_fullMeshOfThree_everyBroadcastReachesBothOthersOnly()
    {
        final int n = 3;
        final List<BusSocket> members = new ArrayList<>();
        try
        {
            final List<String> urls = new ArrayList<>();
            for (int i = 0; i < n; i++)
            {
                final BusSocket m = open();
                members.add(m);
                urls.add(listen(m).url());
                for (int j = 0; j < i; j++)
                {
                    dial(m, urls.get(j), members.get(j));
                }
            }
            for (final BusSocket m : members)
            {
                awaitPipes(m, n - 1, "full mesh: a member lacks a pipe");
            }
            for (int i = 0; i < n; i++)
            {
                members.get(i).send(bytes("from-" + i));
            }
            for (int i = 0; i < n; i++)
            {
                final Set<String> got = new TreeSet<>();
                for (int k = 0; k < n - 1; k++)
                {
                    got.add(text(members.get(i).recv(Await.timeout())));
                }
                final Set<String> expected = new TreeSet<>();
                for (int j = 0; j < n; j++)
                {
                    if (j != i)
                    {
                        expected.add("from-" + j);
                    }
                }
                assertEquals(expected, got, "BU-2/BU-3 full mesh: member " + i
                    + " must receive each other member's broadcast once, and never its own");
                assertNull(members.get(i).tryRecv(), "BU-2 full mesh: member " + i + " received a message twice");
            }
        }
        finally
        {
            members.forEach(BusSocket::close);
        }
    }

    /**
     * TestBusPartialMesh. A chain A-B-C (A and C not connected): A's message reaches B and not
     * C, C's reaches B and not A (BU-6 no forwarding); B's reaches both.
     */
    @Test
    public void required_BU6_chainABC_noForwardingBeyondDirectPeers()
    {
        try (BusSocket a = open(); BusSocket b = open(); BusSocket c = open())
        {
            connect(b, a);
            connect(b, c);
            awaitPipes(b, 2, "test setup");
            a.send(bytes("from-a"));
            assertEquals("from-a", text(b.recv(Await.timeout())), "BU-2: B did not receive A's message");
            c.send(bytes("from-c"));
            assertEquals("from-c", text(b.recv(Await.timeout())), "BU-2: B did not receive C's message");
            b.send(bytes("from-b"));
            assertEquals("from-b", text(c.recv(Await.timeout())),
                "BU-6 no forwarding: C received A's message through B");
            assertEquals("from-b", text(a.recv(Await.timeout())),
                "BU-6 no forwarding: A received C's message through B");
            assertNull(a.tryRecv(), "BU-6 no forwarding: A received more than B's own message");
            assertNull(c.tryRecv(), "BU-6 no forwarding: C received more than B's own message");
            assertNull(b.tryRecv(), "BU-3 no loopback: B received its own message");
            assertStat(b, Counter.MESSAGES_RECEIVED, 2, "BU-2: B received A's and C's messages");
            assertStat(a, Counter.MESSAGES_RECEIVED, 1, "BU-6 no forwarding: A received a forwarded message");
            assertStat(c, Counter.MESSAGES_RECEIVED, 1, "BU-6 no forwarding: C received a forwarded message");
        }
    }

    /**
     * TestBusHubSpoke. A hub that listens and four spokes that dial it: the hub's broadcast
     * reaches every spoke (BU-2); a spoke's message reaches the hub only, not the other spokes
     * (BU-6).
     */
    @Test
    public void required_BU2_BU6_hubAndSpokes_hubReachesAll_spokeReachesHubOnly()
    {
        final int spokes = 4;
        final List<BusSocket> ss = new ArrayList<>();
        try (BusSocket hub = open())
        {
            final String url = listen(hub).url();
            for (int i = 0; i < spokes; i++)
            {
                final BusSocket s = open();
                ss.add(s);
                dial(s, url, hub);
            }
            hub.send(bytes("hub-1"));
            for (int i = 0; i < spokes; i++)
            {
                assertEquals("hub-1", text(ss.get(i).recv(Await.timeout())), "BU-2 hub-spoke: spoke " + i + " missed the hub's broadcast");
            }
            ss.get(0).send(bytes("spoke-0"));
            assertEquals("spoke-0", text(hub.recv(Await.timeout())), "BU-2 hub-spoke: the hub missed a spoke's message");
            hub.send(bytes("hub-2"));
            for (int i = 0; i < spokes; i++)
            {
                assertEquals("hub-2", text(ss.get(i).recv(Await.timeout())),
                    i == 0 ? "BU-3 no loopback: spoke 0 received its own message"
                        : "BU-6 no forwarding: spoke " + i + " received spoke 0's message through the hub");
                assertNull(ss.get(i).tryRecv(), "BU-6 hub-spoke: spoke " + i + " received more than the hub sent");
            }
            assertNull(hub.tryRecv(), "BU-3 no loopback: the hub received its own message");
        }
        finally
        {
            ss.forEach(BusSocket::close);
        }
    }
}
