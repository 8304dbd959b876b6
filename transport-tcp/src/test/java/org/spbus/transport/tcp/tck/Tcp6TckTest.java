package org.spbus.transport.tcp.tck;

import org.junit.jupiter.api.Nested;
import org.spbus.tck.BusSemanticsTck;
import org.spbus.tck.ConcurrencyTck;
import org.spbus.tck.EndpointTck;
import org.spbus.tck.MessageTck;
import org.spbus.tck.SocketCloseTck;
import org.spbus.tck.TopologyTck;
import org.spbus.tck.TransportContractTck;

/**
 * Runs the whole compatibility kit over {@code tcp://} on IPv6 loopback ({@code [::1]}, port 0);
 * skipped with the reason where this machine cannot bind {@code ::1}.
 */
class Tcp6TckTest
{
    @Nested
    class Contract extends TransportContractTck
    {
        Contract()
        {
            super(TcpFixture.IPV6);
        }
    }

    @Nested
    class Semantics extends BusSemanticsTck
    {
        Semantics()
        {
            super(TcpFixture.IPV6);
        }
    }

    @Nested
    class Close extends SocketCloseTck
    {
        Close()
        {
            super(TcpFixture.IPV6);
        }
    }

    @Nested
    class Topology extends TopologyTck
    {
        Topology()
        {
            super(TcpFixture.IPV6);
        }
    }

    @Nested
    class Concurrency extends ConcurrencyTck
    {
        Concurrency()
        {
            super(TcpFixture.IPV6);
        }
    }

    @Nested
    class Messages extends MessageTck
    {
        Messages()
        {
            super(TcpFixture.IPV6);
        }
    }

    @Nested
    class Endpoints extends EndpointTck
    {
        Endpoints()
        {
            super(TcpFixture.IPV6);
        }
    }

    @Nested
    class Hostile extends org.spbus.tck.HostileWireTck
    {
        Hostile()
        {
            super(TcpFixture.IPV6);
        }
    }
}
