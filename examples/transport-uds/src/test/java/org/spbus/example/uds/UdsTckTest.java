package org.spbus.example.uds;

import org.junit.jupiter.api.Nested;
import org.spbus.tck.BusSemanticsTck;
import org.spbus.tck.ConcurrencyTck;
import org.spbus.tck.EndpointTck;
import org.spbus.tck.MessageTck;
import org.spbus.tck.SocketCloseTck;
import org.spbus.tck.TopologyTck;
import org.spbus.tck.TransportContractTck;

/** Runs the whole compatibility kit over the example {@code uds://} transport. */
class UdsTckTest
{
    @Nested
    class Contract extends TransportContractTck
    {
        Contract()
        {
            super(UdsFixture.INSTANCE);
        }
    }

    @Nested
    class Semantics extends BusSemanticsTck
    {
        Semantics()
        {
            super(UdsFixture.INSTANCE);
        }
    }

    @Nested
    class Close extends SocketCloseTck
    {
        Close()
        {
            super(UdsFixture.INSTANCE);
        }
    }

    @Nested
    class Topology extends TopologyTck
    {
        Topology()
        {
            super(UdsFixture.INSTANCE);
        }
    }

    @Nested
    class Concurrency extends ConcurrencyTck
    {
        Concurrency()
        {
            super(UdsFixture.INSTANCE);
        }
    }

    @Nested
    class Messages extends MessageTck
    {
        Messages()
        {
            super(UdsFixture.INSTANCE);
        }
    }

    @Nested
    class Endpoints extends EndpointTck
    {
        Endpoints()
        {
            super(UdsFixture.INSTANCE);
        }
    }
}
