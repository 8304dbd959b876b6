package org.spbus.transport.unix;

import org.junit.jupiter.api.Nested;
import org.spbus.tck.BusSemanticsTck;
import org.spbus.tck.ConcurrencyTck;
import org.spbus.tck.EndpointTck;
import org.spbus.tck.MessageTck;
import org.spbus.tck.SocketCloseTck;
import org.spbus.tck.TopologyTck;
import org.spbus.tck.TransportContractTck;

/**
 * Runs the whole compatibility kit over the Unix transport's {@code abstract://} URLs.
 */
class AbstractTckTest
{
    @Nested
    class Contract extends TransportContractTck
    {
        Contract()
        {
            super(UnixFixture.ABSTRACT);
        }
    }

    @Nested
    class Semantics extends BusSemanticsTck
    {
        Semantics()
        {
            super(UnixFixture.ABSTRACT);
        }
    }

    @Nested
    class Close extends SocketCloseTck
    {
        Close()
        {
            super(UnixFixture.ABSTRACT);
        }
    }

    @Nested
    class Topology extends TopologyTck
    {
        Topology()
        {
            super(UnixFixture.ABSTRACT);
        }
    }

    @Nested
    class Concurrency extends ConcurrencyTck
    {
        Concurrency()
        {
            super(UnixFixture.ABSTRACT);
        }
    }

    @Nested
    class Messages extends MessageTck
    {
        Messages()
        {
            super(UnixFixture.ABSTRACT);
        }
    }

    @Nested
    class Endpoints extends EndpointTck
    {
        Endpoints()
        {
            super(UnixFixture.ABSTRACT);
        }
    }
}
