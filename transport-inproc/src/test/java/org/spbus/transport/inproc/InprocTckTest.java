package org.spbus.transport.inproc;

import org.junit.jupiter.api.Nested;
import org.spbus.tck.BusSemanticsTck;
import org.spbus.tck.ConcurrencyTck;
import org.spbus.tck.EndpointTck;
import org.spbus.tck.MessageTck;
import org.spbus.tck.SocketCloseTck;
import org.spbus.tck.TopologyTck;
import org.spbus.tck.TransportContractTck;

/**
 * Runs the whole compatibility kit over {@code inproc://}, the reference transport: every
 * rule must pass here first.
 */
class InprocTckTest
{
    @Nested
    class Contract extends TransportContractTck
    {
        Contract()
        {
            super(InprocFixture.INSTANCE);
        }
    }

    @Nested
    class Semantics extends BusSemanticsTck
    {
        Semantics()
        {
            super(InprocFixture.INSTANCE);
        }
    }

    @Nested
    class Close extends SocketCloseTck
    {
        Close()
        {
            super(InprocFixture.INSTANCE);
        }
    }

    @Nested
    class Topology extends TopologyTck
    {
        Topology()
        {
            super(InprocFixture.INSTANCE);
        }
    }

    @Nested
    class Concurrency extends ConcurrencyTck
    {
        Concurrency()
        {
            super(InprocFixture.INSTANCE);
        }
    }

    @Nested
    class Messages extends MessageTck
    {
        Messages()
        {
            super(InprocFixture.INSTANCE);
        }
    }

    @Nested
    class Endpoints extends EndpointTck
    {
        Endpoints()
        {
            super(InprocFixture.INSTANCE);
        }
    }
}
