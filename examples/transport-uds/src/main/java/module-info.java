/**
 * An example transport for the spbus SPI: {@code uds://PATH} over the JDK's own Unix domain
 * socket channels, with the SP IPC framing. Written to show how little a stream transport needs.
 */
module org.spbus.example.uds {
    requires org.spbus.api;

    provides org.spbus.spi.Transport with org.spbus.example.uds.UdsTransport;
}
