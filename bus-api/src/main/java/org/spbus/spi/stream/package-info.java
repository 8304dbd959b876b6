/**
 * Shared machinery for stream transports (TCP, IPC, a user's TLS): the SP header exchange
 * ({@link org.spbus.spi.stream.SpHeader}), the two framings
 * ({@link org.spbus.spi.stream.Framing}), and a listener and dialer
 * ({@link org.spbus.spi.stream.StreamListener}, {@link org.spbus.spi.stream.StreamDialer})
 * that run pipes over non-blocking {@link java.nio.channels.SocketChannel}s on a small,
 * shared set of selector threads ({@code spbus.io.threads}, default min(2, cores)).
 *
 * <p>A stream transport only parses its URLs, binds or opens channels, and describes itself
 * with a {@link org.spbus.spi.stream.StreamSupport}.
 */
package org.spbus.spi.stream;
