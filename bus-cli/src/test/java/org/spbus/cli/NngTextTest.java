package org.spbus.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.ConnectException;
import java.net.UnknownHostException;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.spbus.AddressInUseException;
import org.spbus.BusClosedException;
import org.spbus.ConnectionRefusedException;
import org.spbus.InvalidAddressException;
import org.spbus.ProtocolException;
import org.spbus.TransportException;
import org.spbus.UnknownSchemeException;

/** URL normalisation for the -v lines and the mapping of spbus exceptions to nng_strerror texts. */
class NngTextTest
{
    @Test
    void normalizeAsNng()
    {
        // each pair checked against nngcat 1.5.2 -v output
        assertEquals("tcp://:45021", NngText.normalize("tcp://*:45021"));
        assertEquals("tcp://:45021", NngText.normalize("tcp://:45021"));
        assertEquals("tcp://localhost:45322", NngText.normalize("TCP://LocalHost:45322"));
        assertEquals("tcp://127.0.0.1:45323/", NngText.normalize("tcp://127.0.0.1:45323/"));
        assertEquals("inproc://Foo", NngText.normalize("inproc://Foo"));
        assertEquals("ipc:////tmp/nt/sock1", NngText.normalize("ipc:////tmp/nt/sock1"));
        assertEquals("tcp://[::1]:5", NngText.normalize("tcp://[::1]:5"));
    }

    @Test
    void listenerUrlFillsInAnEphemeralPortOnly()
    {
        assertEquals("tcp://127.0.0.1:46837", NngText.listenerUrl("tcp://127.0.0.1:0", "tcp://127.0.0.1:46837"));
        assertEquals("tcp://[::1]:34363", NngText.listenerUrl("tcp://[::1]:0", "tcp://[::1]:34363"));
        assertEquals("tcp4://127.0.0.1:46867", NngText.listenerUrl("tcp4://127.0.0.1:0", "tcp4://127.0.0.1:46867"));
        assertEquals("tcp://0.0.0.0:45215", NngText.listenerUrl("tcp://0.0.0.0:0", "tcp://0.0.0.0:45215"));
        assertEquals("tcp://:40000", NngText.listenerUrl("tcp://*:0", "tcp://0.0.0.0:40000"));
        assertEquals("tcp://:45021", NngText.listenerUrl("tcp://*:45021", "tcp://0.0.0.0:45021"));
        assertEquals("tcp://localhost:5", NngText.listenerUrl("tcp://LOCALHOST:5", "tcp://localhost:5"));
        assertEquals("inproc://x", NngText.listenerUrl("inproc://x", "inproc://x"));
    }

    @Test
    void urlShape()
    {
        assertTrue(NngText.looksLikeUrl("tcp://h:1"));
        assertTrue(NngText.looksLikeUrl("foo://bar"));
        assertFalse(NngText.looksLikeUrl("notaurl"));
        assertFalse(NngText.looksLikeUrl("://x"));
        assertFalse(NngText.looksLikeUrl("tcp:/x"));
    }

    @Test
    void strerrorTexts()
    {
        assertEquals("Not supported", NngText.strerror(new UnknownSchemeException("foo://bar", Set.of("tcp"))));
        assertEquals("Address invalid", NngText.strerror(new InvalidAddressException("x")));
        assertEquals("Connection refused", NngText.strerror(new ConnectionRefusedException("x",
            new ConnectException("Connection refused"))));
        assertEquals("Address in use", NngText.strerror(new AddressInUseException("x", null)));
        assertEquals("Protocol error", NngText.strerror(new ProtocolException("x")));
        assertEquals("Object closed", NngText.strerror(new BusClosedException("x")));
        assertEquals("Address invalid", NngText.strerror(new TransportException("x",
            new UnknownHostException("nosuchhost.invalid"))));
        assertEquals("Address invalid", NngText.strerror(new TransportException("cannot listen",
            new java.net.BindException("Cannot assign requested address"))));
        assertEquals("Permission denied", NngText.strerror(new TransportException("cannot listen",
            new java.net.BindException("Permission denied"))));
        assertEquals("Destination unreachable", NngText.strerror(new TransportException("x",
            new java.net.NoRouteToHostException("No route to host"))));
        assertEquals("something odd", NngText.strerror(new TransportException("something odd", null)));
    }

    @Test
    void createVersusStartErrors()
    {
        assertTrue(NngText.isCreateError(new InvalidAddressException("x"), false));
        assertTrue(NngText.isCreateError(new UnknownSchemeException("a://b", Set.of()), true));
        // a TCP listener resolves its host when created, a dialer when it connects
        final TransportException unresolved = new TransportException("x", new UnknownHostException("h"));
        assertTrue(NngText.isCreateError(unresolved, true));
        assertFalse(NngText.isCreateError(unresolved, false));
        assertFalse(NngText.isCreateError(new ConnectionRefusedException("x", null), false));
        assertFalse(NngText.isCreateError(new AddressInUseException("x", null), true));
    }
}
