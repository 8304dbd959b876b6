package org.spbus.tck.selftest;

import org.spbus.tck.BusSemanticsTck;
import org.spbus.tck.ConcurrencyTck;
import org.spbus.tck.EndpointTck;
import org.spbus.tck.MessageTck;
import org.spbus.tck.SocketCloseTck;
import org.spbus.tck.TopologyTck;
import org.spbus.tck.TransportContractTck;

/**
 * The TCK suites bound to each fault of {@link StubTransport}. Not run by Surefire directly (the
 * class name does not end in Test); {@link TckSelfTest} runs them through the JUnit Platform
 * launcher and checks which tests fail.
 */
final class StubSuites
{
    private StubSuites()
    {
    }

    /** Suites over {@code stub://}. */
    static final class Correct
    {
        static final StubFixture FIXTURE = new StubFixture("stub");

        private Correct()
        {
        }

        static final class Contract extends TransportContractTck
        {
            Contract()
            {
                super(FIXTURE);
            }
        }

        static final class Semantics extends BusSemanticsTck
        {
            Semantics()
            {
                super(FIXTURE);
            }
        }

        static final class Close extends SocketCloseTck
        {
            Close()
            {
                super(FIXTURE);
            }
        }

        static final class Topology extends TopologyTck
        {
            Topology()
            {
                super(FIXTURE);
            }
        }

        static final class Concurrency extends ConcurrencyTck
        {
            Concurrency()
            {
                super(FIXTURE);
            }
        }

        static final class Messages extends MessageTck
        {
            Messages()
            {
                super(FIXTURE);
            }
        }

        static final class Endpoints extends EndpointTck
        {
            Endpoints()
            {
                super(FIXTURE);
            }
        }
    }

    /** Suites over {@code stub-dup://}. */
    static final class Dup
    {
        static final StubFixture FIXTURE = new StubFixture("stub-dup");

        private Dup()
        {
        }

        static final class Semantics extends BusSemanticsTck
        {
            Semantics()
            {
                super(FIXTURE);
            }
        }

        static final class Messages extends MessageTck
        {
            Messages()
            {
                super(FIXTURE);
            }
        }
    }

    /** Suites over {@code stub-echo://}. */
    static final class Echo
    {
        static final StubFixture FIXTURE = new StubFixture("stub-echo");

        private Echo()
        {
        }

        static final class Semantics extends BusSemanticsTck
        {
            Semantics()
            {
                super(FIXTURE);
            }
        }

        static final class Topology extends TopologyTck
        {
            Topology()
            {
                super(FIXTURE);
            }
        }
    }

    /** Suites over {@code stub-lossy://}. */
    static final class Lossy
    {
        static final StubFixture FIXTURE = new StubFixture("stub-lossy");

        private Lossy()
        {
        }

        static final class Contract extends TransportContractTck
        {
            Contract()
            {
                super(FIXTURE);
            }
        }

        static final class Semantics extends BusSemanticsTck
        {
            Semantics()
            {
                super(FIXTURE);
            }
        }

        static final class Messages extends MessageTck
        {
            Messages()
            {
                super(FIXTURE);
            }
        }
    }

    /** Suites over {@code stub-noclose://}. */
    static final class NoClose
    {
        static final StubFixture FIXTURE = new StubFixture("stub-noclose");

        private NoClose()
        {
        }

        static final class Contract extends TransportContractTck
        {
            Contract()
            {
                super(FIXTURE);
            }
        }

        static final class Close extends SocketCloseTck
        {
            Close()
            {
                super(FIXTURE);
            }
        }
    }

    /** Suites over {@code stub-reorder://}. */
    static final class Reorder
    {
        static final StubFixture FIXTURE = new StubFixture("stub-reorder");

        private Reorder()
        {
        }

        static final class Messages extends MessageTck
        {
            Messages()
            {
                super(FIXTURE);
            }
        }
    }

    /** Suites over {@code stub-truncate://}. */
    static final class Truncate
    {
        static final StubFixture FIXTURE = new StubFixture("stub-truncate");

        private Truncate()
        {
        }

        static final class Messages extends MessageTck
        {
            Messages()
            {
                super(FIXTURE);
            }
        }
    }

    /** Suites over {@code stub-forward://}. */
    static final class Forward
    {
        static final StubFixture FIXTURE = new StubFixture("stub-forward");

        private Forward()
        {
        }

        static final class Topology extends TopologyTck
        {
            Topology()
            {
                super(FIXTURE);
            }
        }
    }

    /** Suites over {@code stub-leak://}. */
    static final class Leak
    {
        static final StubFixture FIXTURE = new StubFixture("stub-leak");

        private Leak()
        {
        }

        static final class Close extends SocketCloseTck
        {
            Close()
            {
                super(FIXTURE);
            }
        }
    }
}
