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
 * Runs the whole compatibility kit over the Unix transport's {@code ipc://} URLs.
 */
class IpcTckTest
{
    @Nested
    class Contract extends TransportContractTck
    {
        Contract()
        {
            super(UnixFixture.IPC);
        }
    }

    @Nested
    class Semantics extends BusSemanticsTck
    {
        Semantics()
        {
            super(UnixFixture.IPC);
        }
    }

    @Nested
    class Close extends SocketCloseTck
    {
        Close()
        {
            super(UnixFixture.IPC);
        }
    }

    @Nested
    class Topology extends TopologyTck
    {
        Topology()
        {
            super(UnixFixture.IPC);
        }
    }

    @Nested
    class Concurrency extends ConcurrencyTck
    {
        Concurrency()
        {
            super(UnixFixture.IPC);
        }
    }

    @Nested
    class Messages extends MessageTck
    {
        Messages()
        {
            super(UnixFixture.IPC);
        }
    }

    @Nested
    class Endpoints extends EndpointTck
    {
        Endpoints()
        {
            super(UnixFixture.IPC);
        }
    }

    @Nested
    class Hostile extends org.spbus.tck.HostileWireTck
    {
        Hostile()
        {
            super(UnixFixture.IPC);
        }
    }
}
