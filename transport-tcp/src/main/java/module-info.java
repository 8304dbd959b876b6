/**
 * The {@code tcp://HOST:PORT} transport (also {@code tcp4://} and {@code tcp6://}): the SP
 * TCP mapping, byte-compatible with NNG, nanomsg and mangos.
 */
module org.spbus.transport.tcp {
    requires org.spbus.api;

    provides org.spbus.spi.Transport with org.spbus.transport.tcp.TcpTransport;
}
