/**
 * The {@code inproc://NAME} transport: pipes between sockets of one JVM, handing message
 * objects over with no framing and no copy where one receiver is the only holder.
 */
module org.spbus.transport.inproc {
    requires org.spbus.api;

    provides org.spbus.spi.Transport with org.spbus.transport.inproc.InprocTransport;
}
