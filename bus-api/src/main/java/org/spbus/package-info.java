/**
 * The spbus user API: {@link org.spbus.Bus} opens a {@link org.spbus.BusSocket}, which listens
 * and dials ({@link org.spbus.Listener}, {@link org.spbus.Dialer}), broadcasts with
 * {@code send} and receives with {@code recv}. Options are in {@link org.spbus.BusOptions},
 * counters in {@link org.spbus.SocketStats}; every exception extends
 * {@link org.spbus.BusException}.
 *
 * <p>The behaviour follows NNG's {@code bus0} and the SP wire protocol (see the project's
 * {@code sp-wire-protocol.md}): best-effort broadcast to direct peers, no loopback, no
 * forwarding, FIFO per pipe.
 */
package org.spbus;
