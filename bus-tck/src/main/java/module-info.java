/**
 * The spbus compatibility kit (TCK): abstract JUnit 5 suites that check a transport, ours or a
 * user's, against the transport SPI contract and the BUS semantics of the seed requirements.
 *
 * <p>A transport module depends on {@code bus-tck} (and {@code bus-engine}, which the BUS suites
 * open sockets through) with test scope, writes one {@link org.spbus.tck.TransportFixture} and
 * one few-line subclass per suite. See the package documentation of {@code org.spbus.tck}.
 */
module org.spbus.tck {
    requires transitive org.spbus.api;
    requires transitive org.junit.jupiter.api;
    requires transitive org.junit.jupiter.params;

    exports org.spbus.tck;
    // JUnit reflects on the suites' test methods, some of which are not public.
    opens org.spbus.tck to org.junit.platform.commons;
}
