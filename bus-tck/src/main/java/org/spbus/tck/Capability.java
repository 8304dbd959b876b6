package org.spbus.tck;

/**
 * What a transport under test can do beyond the minimum every transport must. A suite test
 * that needs a capability the {@link TransportFixture} does not declare is <em>skipped</em>,
 * with a message naming the capability, never silently passed.
 *
 * <p>Declare only what is true: a capability declared but not really supported makes the
 * matching tests fail, which is the point.
 */
public enum Capability
{
    /**
     * The transport moves a real byte stream that a plain {@code java.nio} channel can reach:
     * the fixture implements {@link TransportFixture#openRawListener()},
     * {@link TransportFixture#urlOf(java.net.SocketAddress)} and
     * {@link TransportFixture#addressOf(String)}, so tests can stand in for a peer that never
     * answers, or inject hostile bytes. TCP and IPC have it; inproc does not.
     */
    WIRE,

    /**
     * A listen URL may ask for a wildcard port (for example {@code tcp://127.0.0.1:0}) that the
     * listener resolves to a real one, reported by {@code Listener.url()}.
     */
    PORT_ZERO,

    /**
     * Listen URLs name filesystem objects (for example {@code ipc:///tmp/x.sock}) that the
     * listener creates and removes when closed; the fixture hands out paths in a temporary
     * directory and cleans it up in {@link TransportFixture#cleanup()}.
     */
    FILESYSTEM,

    /**
     * The transport enforces {@code BusOptions.recvMaxSize()}: a peer that announces a longer
     * message loses its pipe (NNG's TCP and IPC behaviour). NNG's inproc does not enforce it, and
     * neither does ours.
     */
    RECV_MAX_SIZE,

    /**
     * A connection attempt can stay pending (connect or header exchange not finished) long
     * enough for a test to close the dialer meanwhile. Transports whose
     * {@code TransportDialer.connect} completes before returning (inproc) lack it.
     */
    ASYNC_CONNECT
}
