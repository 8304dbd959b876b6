/**
 * The spbus engine: the BUS socket behind {@link org.spbus.Bus#open()}. Exports nothing;
 * it provides {@link org.spbus.spi.SocketProvider} and finds transports with
 * {@link java.util.ServiceLoader}.
 */
module org.spbus.engine {
    requires org.spbus.api;
    requires org.agrona.core;
    requires jdk.jfr;
    // Agrona 1.x, an automatic module, uses sun.misc.Unsafe: make sure jdk.unsupported is resolved.
    requires jdk.unsupported;

    uses org.spbus.spi.Transport;
    provides org.spbus.spi.SocketProvider with org.spbus.engine.EngineSocketProvider;
}
