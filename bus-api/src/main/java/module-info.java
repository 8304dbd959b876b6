/**
 * The spbus user API ({@code org.spbus}) and the transport SPI ({@code org.spbus.spi},
 * {@code org.spbus.spi.stream}).
 *
 * <p>Applications use {@link org.spbus.Bus#open()} and {@link org.spbus.BusSocket}. The
 * socket implementation is found with {@link java.util.ServiceLoader} as a
 * {@link org.spbus.spi.SocketProvider} (module {@code org.spbus.engine}); transports are
 * found the same way as {@link org.spbus.spi.Transport}s.
 */
module org.spbus.api {
    exports org.spbus;
    exports org.spbus.spi;
    exports org.spbus.spi.stream;

    uses org.spbus.spi.SocketProvider;
}
