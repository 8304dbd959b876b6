/**
 * The spbus compatibility kit: abstract JUnit 5 suites that a transport runs against itself,
 * in the manner of the reactive-streams TCK and Netty's testsuite.
 *
 * <h2>Layers</h2>
 * <ul>
 *   <li><b>Layer 1, the SPI contract</b> ({@link org.spbus.tck.TransportContractTck}): the
 *       {@link org.spbus.spi.Transport} driven directly, with
 *       {@link org.spbus.tck.RecordingListenerHandler}, {@link org.spbus.tck.RecordingDialCallback}
 *       and {@link org.spbus.tck.RecordingPipeHandler} playing the engine.</li>
 *   <li><b>Layer 2, BUS semantics over the transport</b>: real sockets from
 *       {@link org.spbus.Bus#open()} connected over the transport under test.
 *       <table>
 *         <caption>Seed test rows and where they are checked</caption>
 *         <tr><th>seed row</th><th>suite</th></tr>
 *         <tr><td>TestBusSendNoPeers, TestBusBroadcast, TestBusNoLoopback, TestBusSymmetric,
 *             TestBusBestEffort, TestBusRecv, TestBusRecvTimeout</td>
 *             <td>{@link org.spbus.tck.BusSemanticsTck}</td></tr>
 *         <tr><td>TestSocketClose</td><td>{@link org.spbus.tck.SocketCloseTck}</td></tr>
 *         <tr><td>TestBusFullMesh, TestBusPartialMesh, TestBusHubSpoke</td>
 *             <td>{@link org.spbus.tck.TopologyTck}</td></tr>
 *         <tr><td>TestBusConcurrent</td><td>{@link org.spbus.tck.ConcurrencyTck}</td></tr>
 *         <tr><td>TestBusUnixTransport, TestBusIPTransport (the transport itself)</td>
 *             <td>{@link org.spbus.tck.EndpointTck}, {@link org.spbus.tck.MessageTck}, and every
 *             Layer 2 suite run with that transport's fixture</td></tr>
 *       </table></li>
 * </ul>
 *
 * <h2>Running the TCK for a transport</h2>
 * <ol>
 *   <li>Add test-scoped dependencies on {@code bus-tck}, {@code bus-engine} and
 *       {@code junit-jupiter} (the engine opens the sockets of the Layer 2 suites; the
 *       transport must be installed for {@link java.util.ServiceLoader}).</li>
 *   <li>Write a {@link org.spbus.tck.TransportFixture}: the transport, a fresh listen URL, a
 *       URL nobody listens on, and the {@link org.spbus.tck.Capability capabilities} it has.</li>
 *   <li>Subclass each suite once, passing the fixture. Subclass names should end in
 *       {@code Test} so Surefire runs them; the suites themselves end in {@code Tck} and are
 *       abstract, so they never run alone. With JUnit 5, {@code @Nested} inner classes keep a
 *       transport's whole TCK in one file:
 * <pre>{@code
 * class InprocTckTest {
 *     static final TransportFixture FIXTURE = new InprocFixture();
 *     @Nested class Contract extends TransportContractTck { Contract() { super(FIXTURE); } }
 *     @Nested class Semantics extends BusSemanticsTck { Semantics() { super(FIXTURE); } }
 *     @Nested class Close extends SocketCloseTck { Close() { super(FIXTURE); } }
 *     @Nested class Topology extends TopologyTck { Topology() { super(FIXTURE); } }
 *     @Nested class Concurrency extends ConcurrencyTck { Concurrency() { super(FIXTURE); } }
 *     @Nested class Messages extends MessageTck { Messages() { super(FIXTURE); } }
 *     @Nested class Endpoints extends EndpointTck { Endpoints() { super(FIXTURE); } }
 * }
 * }</pre></li>
 * </ol>
 *
 * <h2>Reading the results</h2>
 * <p>Test names say how strict they are and what rule they check, reactive-streams style:
 * {@code required_...} must pass for every transport; {@code optional_...} runs only for
 * transports that declare the capability; {@code stochastic_...} may pass by luck but never
 * fails by luck. A test whose capability is missing is <em>skipped</em> with a message naming
 * it, never passed. Failure messages start with the rule broken, for example
 * {@code "BU-3 no loopback: the sender received its own message"}; BU-n and NF-n are the seed's
 * requirement ids.
 *
 * <p>No test sleeps to synchronise: every wait is {@link org.spbus.tck.Await#until} with a
 * deadline ({@value org.spbus.tck.Await#TIMEOUT_PROPERTY} system property), and every test has
 * a 30 s JUnit timeout.
 */
package org.spbus.tck;
