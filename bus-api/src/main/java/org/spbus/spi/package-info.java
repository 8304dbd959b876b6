/**
 * The transport SPI: what a transport implements ({@link org.spbus.spi.Transport},
 * {@link org.spbus.spi.TransportListener}, {@link org.spbus.spi.TransportDialer},
 * {@link org.spbus.spi.TransportPipe}) and what the engine gives it
 * ({@link org.spbus.spi.EndpointConfig}, {@link org.spbus.spi.ListenerHandler},
 * {@link org.spbus.spi.DialCallback}, {@link org.spbus.spi.PipeHandler}).
 *
 * <p>Data flows one way: the engine offers outbound messages to a pipe's queue and wakes the
 * pipe; the transport polls and writes them. Inbound, the transport decodes whole messages
 * and hands them to the engine. A transport knows nothing of BUS; the engine knows nothing of
 * sockets. Stream transports reuse {@link org.spbus.spi.stream}.
 */
package org.spbus.spi;
