/**
 * The spbus engine: the BUS socket behind {@link org.spbus.Bus#open()}. Exports nothing;
 * it provides {@link org.spbus.spi.SocketProvider} and finds transports with
 * {@link java.util.ServiceLoader}.
 */
module org.spbus.engine {
    requires org.spbus.api;
    requires org.agrona.core;
    requires jdk.jfr;

    uses org.spbus.spi.Transport;
    provides org.spbus.spi.SocketProvider with org.spbus.engine.EngineSocketProvider;
}
