package org.spbus.tck.selftest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.support.descriptor.MethodSource;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.spbus.tck.Await;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

/**
 * The TCK's self-test: the suites must pass a correct transport and fail a broken one on the
 * rule it breaks, with a failure message that names that rule. Runs the suites over
 * {@link StubTransport}'s faults through the JUnit Platform launcher.
 */
class TckSelfTest
{
    private static String savedTimeout;

    @BeforeAll
    static void shortDeadlines()
    {
        // Broken transports make tests wait for their deadlines; keep them short.
        savedTimeout = System.setProperty(Await.TIMEOUT_PROPERTY, "1000");
    }

    @AfterAll
    static void restoreDeadlines()
    {
        if (savedTimeout == null)
        {
            System.clearProperty(Await.TIMEOUT_PROPERTY);
        }
        else
        {
            System.setProperty(Await.TIMEOUT_PROPERTY, savedTimeout);
        }
    }

    /** Outcome of one test method (the worst of its invocations) and the first failure message. */
    record Outcome(TestExecutionResult.Status status, String message)
    {
    }

    private static Map<String, Outcome> run(final Class<?>... suites)
    {
        final Map<String, Outcome> outcomes = new ConcurrentHashMap<>();
        final LauncherDiscoveryRequest request = LauncherDiscoveryRequestBuilder.request()
            .selectors(Arrays.stream(suites).map(c -> selectClass(c)).toList())
            .build();
        final Launcher launcher = LauncherFactory.create();
        launcher.execute(request, new TestExecutionListener()
        {
            @Override
            public void executionFinished(final TestIdentifier id, final TestExecutionResult result)
            {
                if (!id.isTest() || !(id.getSource().orElse(null) instanceof MethodSource))
                {
                    return;
                }
                final String method = ((MethodSource)id.getSource().get()).getMethodName();
                final String msg = result.getThrowable().map(String::valueOf).orElse("");
                outcomes.merge(method, new Outcome(result.getStatus(), msg),
                    (a, b) -> a.status() == TestExecutionResult.Status.FAILED ? a : b);
            }

            @Override
            public void executionSkipped(final TestIdentifier id, final String reason)
            {
                if (id.getSource().orElse(null) instanceof MethodSource)
                {
                    outcomes.putIfAbsent(((MethodSource)id.getSource().get()).getMethodName(),
                        new Outcome(null, "skipped: " + reason));
                }
            }
        });
        return new TreeMap<>(outcomes);
    }

    private static void assertFailsNamingRule(final Map<String, Outcome> outcomes, final String test, final String rule)
    {
        final Outcome o = outcomes.get(test);
        assertTrue(o != null, "TCK self-test: " + test + " did not run; ran " + outcomes.keySet());
        assertEquals(TestExecutionResult.Status.FAILED, o.status(),
            "TCK self-test: " + test + " must FAIL against a transport that breaks " + rule + ", but: " + o);
        assertTrue(o.message().contains(rule),
            "TCK self-test: the failure of " + test + " must name the rule " + rule + ": " + o.message());
    }

    @Test
    void correctStub_passesEverySuite()
    {
        final Map<String, Outcome> o = run(StubSuites.Correct.Contract.class, StubSuites.Correct.Semantics.class,
            StubSuites.Correct.Close.class, StubSuites.Correct.Topology.class, StubSuites.Correct.Concurrency.class,
            StubSuites.Correct.Messages.class, StubSuites.Correct.Endpoints.class);
        o.forEach((test, outcome) -> assertTrue(outcome.status() != TestExecutionResult.Status.FAILED,
            "TCK self-test: a correct transport failed " + test + ": " + outcome.message()));
        assertTrue(o.size() >= 40, "TCK self-test: too few tests ran: " + o.keySet());
        assertTrue(o.get("required_dialerCloseWhileAttemptPending_failsItWithBusClosed").message().contains("lacks WIRE"),
            "a test needing a missing capability must be skipped with a reason naming it: "
                + o.get("required_dialerCloseWhileAttemptPending_failsItWithBusClosed"));
    }

    @Test
    void duplicatingTransport_failsTheExactlyOnceRules()
    {
        final Map<String, Outcome> o = run(StubSuites.Dup.Semantics.class, StubSuites.Dup.Messages.class);
        assertFailsNamingRule(o, "required_BU2_sendReachesEveryPeer_exactlyOnce", "BU-2");
        assertFailsNamingRule(o, "required_perPipeFifo_10000MessagesEachWay_inOrder", "per-pipe FIFO");
    }

    @Test
    void echoingTransport_failsNoLoopback()
    {
        final Map<String, Outcome> o = run(StubSuites.Echo.Semantics.class, StubSuites.Echo.Topology.class);
        assertFailsNamingRule(o, "required_BU3_senderNeverReceivesItsOwnMessage", "BU-3");
        assertFailsNamingRule(o, "required_BU2_BU3_fullMeshOfThree_everyBroadcastReachesBothOthersOnly", "BU-3");
    }

    @Test
    void lossyTransport_failsOrderAndAccounting()
    {
        final Map<String, Outcome> o = run(StubSuites.Lossy.Contract.class, StubSuites.Lossy.Semantics.class,
            StubSuites.Lossy.Messages.class);
        assertFailsNamingRule(o, "required_messagesPassWholeAndInOrder_bothWays_releasedAndReported", "SPI pipe");
        assertFailsNamingRule(o, "required_perPipeFifo_10000MessagesEachWay_inOrder", "per-pipe FIFO");
        assertFailsNamingRule(o, "required_BU5_slowPeerDropsAndCountsIt_fastPeerLosesNothing", "BU-5");
    }

    @Test
    void transportThatNeverTellsThePeer_failsCloseRules()
    {
        final Map<String, Outcome> o = run(StubSuites.NoClose.Contract.class, StubSuites.NoClose.Close.class);
        assertFailsNamingRule(o, "required_pipeClose_fromEitherSide_exactlyOneOnClosedEachSide", "pipe close");
        assertFailsNamingRule(o, "required_close_closesPipes_peersSeeThemGo", "close");
        assertFailsNamingRule(o, "required_dialerClose_closesItsPipesBeforeReturning", "dialer close");
    }

    @Test
    void reorderingTransport_failsPerPipeFifo()
    {
        final Map<String, Outcome> o = run(StubSuites.Reorder.Messages.class);
        assertFailsNamingRule(o, "required_perPipeFifo_10000MessagesEachWay_inOrder", "per-pipe FIFO");
    }

    @Test
    void truncatingTransport_failsWholeMessages()
    {
        final Map<String, Outcome> o = run(StubSuites.Truncate.Messages.class);
        assertFailsNamingRule(o, "required_sendForms_sendExactlyTheirBytes_andCopyTheBody", "wrong bytes");
        assertEquals(TestExecutionResult.Status.FAILED,
            o.get("required_messagesOfEverySizeUpToRecvMaxSize_arriveWholeAndUnchanged").status(),
            "TCK self-test: messages of every size must fail against a truncating transport");
    }

    @Test
    void forwardingTransport_failsNoForwarding()
    {
        final Map<String, Outcome> o = run(StubSuites.Forward.Topology.class);
        assertFailsNamingRule(o, "required_BU6_chainABC_noForwardingBeyondDirectPeers", "BU-6");
    }

    @Test
    void threadLeakingTransport_failsCleanShutdown()
    {
        final Map<String, Outcome> o = run(StubSuites.Leak.Close.class);
        assertFailsNamingRule(o, "required_NF5_noSpbusThreadLeftAfterAllSocketsClosed", "NF-5");
    }
}
