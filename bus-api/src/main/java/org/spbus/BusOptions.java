package org.spbus;

import java.time.Duration;
import java.util.Objects;

/**
 * The options of a BUS socket, fixed when the socket is opened. Immutable and thread-safe;
 * build one with {@link #builder()}.
 *
 * <p>Defaults follow the seed requirements where they speak (send queue 16 per pipe, receive
 * queue 128) and NNG elsewhere (reconnect 1000 ms with no maximum, handshake timeout
 * 10 000 ms, TCP_NODELAY on). The receive maximum size defaults to 1 MiB, the default of
 * nanomsg and mangos (NNG 1.5.2 has no limit); see {@code sp-wire-protocol.md} section 3.5.
 *
 * <table>
 *   <caption>Options, units and defaults</caption>
 *   <tr><th>option</th><th>unit</th><th>default</th><th>NNG name</th></tr>
 *   <tr><td>{@link #sendQueueSize()}</td><td>messages per pipe</td><td>16</td><td>send-buffer (NNG &ge; 1.6)</td></tr>
 *   <tr><td>{@link #recvQueueSize()}</td><td>messages per socket</td><td>128</td><td>recv-buffer</td></tr>
 *   <tr><td>{@link #recvTimeout()}</td><td>duration, {@code null} = wait forever</td><td>forever</td><td>recv-timeout</td></tr>
 *   <tr><td>{@link #recvMaxSize()}</td><td>bytes, 0 = no limit</td><td>1 048 576</td><td>recv-size-max</td></tr>
 *   <tr><td>{@link #reconnectMin()}</td><td>duration</td><td>1000 ms</td><td>reconnect-time-min</td></tr>
 *   <tr><td>{@link #reconnectMax()}</td><td>duration, 0 = no growth</td><td>0</td><td>reconnect-time-max</td></tr>
 *   <tr><td>{@link #handshakeTimeout()}</td><td>duration</td><td>10 000 ms</td><td>(fixed in NNG)</td></tr>
 *   <tr><td>{@link #tcpNoDelay()}</td><td>boolean</td><td>true</td><td>tcp-nodelay</td></tr>
 *   <tr><td>{@link #raw()}</td><td>boolean</td><td>false</td><td>raw (nng_bus0_open_raw)</td></tr>
 * </table>
 */
public final class BusOptions
{
    /** The default per-pipe send queue depth, in messages (seed: SendQueueSize 16). */
    public static final int DEFAULT_SEND_QUEUE_SIZE = 16;
    /** The default receive queue depth, in messages (seed: RecvQueueSize 128). */
    public static final int DEFAULT_RECV_QUEUE_SIZE = 128;
    /** The default receive maximum size, in bytes (1 MiB, as nanomsg and mangos). */
    public static final long DEFAULT_RECV_MAX_SIZE = 1024 * 1024;
    /** The largest message a Java array can hold, in bytes; larger lengths are always refused. */
    public static final long MAX_MESSAGE_SIZE = Integer.MAX_VALUE - 8;
    /** The largest queue depth accepted, in messages (NNG's range ends at 8192). */
    public static final int MAX_QUEUE_SIZE = 1 << 16;

    private static final BusOptions DEFAULTS = new Builder().build();

    private final int sendQueueSize;
    private final int recvQueueSize;
    private final Duration recvTimeout;
    private final long recvMaxSize;
    private final Duration reconnectMin;
    private final Duration reconnectMax;
    private final Duration handshakeTimeout;
    private final boolean tcpNoDelay;
    private final boolean raw;
    private final java.util.Map<String, String> transportProperties;

    private BusOptions(final Builder b)
    {
        this.sendQueueSize = b.sendQueueSize;
        this.recvQueueSize = b.recvQueueSize;
        this.recvTimeout = b.recvTimeout;
        this.recvMaxSize = b.recvMaxSize;
        this.reconnectMin = b.reconnectMin;
        this.reconnectMax = b.reconnectMax;
        this.handshakeTimeout = b.handshakeTimeout;
        this.tcpNoDelay = b.tcpNoDelay;
        this.raw = b.raw;
        this.transportProperties = java.util.Map.copyOf(b.transportProperties);
    }

    /**
     * Returns the default options.
     *
     * @return the shared default instance
     */
    public static BusOptions defaults()
    {
        return DEFAULTS;
    }

    /**
     * Returns a builder that starts from the defaults.
     *
     * @return a new builder; not thread-safe
     */
    public static Builder builder()
    {
        return new Builder();
    }

    /**
     * Returns a builder that starts from these options.
     *
     * @return a new builder; not thread-safe
     */
    public Builder toBuilder()
    {
        final Builder b = new Builder();
        b.sendQueueSize = sendQueueSize;
        b.recvQueueSize = recvQueueSize;
        b.recvTimeout = recvTimeout;
        b.recvMaxSize = recvMaxSize;
        b.reconnectMin = reconnectMin;
        b.reconnectMax = reconnectMax;
        b.handshakeTimeout = handshakeTimeout;
        b.tcpNoDelay = tcpNoDelay;
        b.raw = raw;
        b.transportProperties.putAll(transportProperties);
        return b;
    }

    /**
     * Returns the depth of each pipe's send queue: a pipe whose queue holds this many
     * messages drops the next message sent to it, and counts the drop.
     *
     * @return messages, 1 to {@link #MAX_QUEUE_SIZE}
     */
    public int sendQueueSize()
    {
        return sendQueueSize;
    }

    /**
     * Returns the depth of the socket's receive queue, shared by all pipes. While the queue is
     * full, the pipes that feed it stop reading (back-pressure: the peers' kernel buffers fill
     * and their senders drop, and count, what their pipe queues cannot hold, as with NNG 1.5.2,
     * nanomsg and mangos); they resume when receivers have taken the queue down to half.
     *
     * @return messages, 1 to {@link #MAX_QUEUE_SIZE}
     */
    public int recvQueueSize()
    {
        return recvQueueSize;
    }

    /**
     * Returns the timeout {@link BusSocket#recv()} applies.
     *
     * @return the timeout, or {@code null} to wait until a message arrives or the socket closes
     */
    public Duration recvTimeout()
    {
        return recvTimeout;
    }

    /**
     * Returns the largest message a pipe accepts. A peer that announces a longer message is
     * disconnected before the payload is read (SP TCP and IPC mappings; NNG and nanomsg close
     * the pipe the same way). 0 means no limit other than {@link #MAX_MESSAGE_SIZE}.
     * Note that nanomsg reads 0 differently (only empty messages).
     *
     * @return bytes; 0 = unlimited
     */
    public long recvMaxSize()
    {
        return recvMaxSize;
    }

    /**
     * Returns the first reconnect window: a dialer waits a uniformly random time in
     * {@code [0, window)} before each redial (NNG {@code reconnect-time-min}).
     *
     * @return a positive duration
     */
    public Duration reconnectMin()
    {
        return reconnectMin;
    }

    /**
     * Returns the largest reconnect window. The window doubles after each failed attempt up
     * to this value, and is reset when a pipe is attached. {@link Duration#ZERO} means the
     * window never grows (NNG {@code reconnect-time-max}).
     *
     * @return a duration, zero or at least {@link #reconnectMin()}
     */
    public Duration reconnectMax()
    {
        return reconnectMax;
    }

    /**
     * Returns how long a new connection may take to complete the SP header exchange,
     * counted once from the moment the connection is established (not per read, so a peer
     * that trickles bytes cannot hold it longer). On expiry the connection is closed and
     * counted as a handshake failure.
     *
     * @return a positive duration
     */
    public Duration handshakeTimeout()
    {
        return handshakeTimeout;
    }

    /**
     * Returns whether TCP pipes disable Nagle's algorithm ({@code TCP_NODELAY}), as NNG does
     * by default.
     *
     * @return {@code true} to send each batch at once
     */
    public boolean tcpNoDelay()
    {
        return tcpNoDelay;
    }

    /**
     * Returns whether the socket is opened in raw mode (NNG {@code nng_bus0_open_raw}): each
     * received {@link Message} keeps the id of the pipe it came from, and
     * {@link BusSocket#send(Message)} sends a message to every pipe except the one its
     * {@link Message#pipeId()} names. Raw sockets are what a {@link Device} relays between.
     * Raw or cooked never shows on the wire.
     *
     * @return {@code true} for raw mode; {@code false} (the default) for cooked
     */
    public boolean raw()
    {
        return raw;
    }

    /**
     * Returns the transport-specific settings passed to every listener and dialer, such as
     * {@code ipc.permissions} or {@code ipc.allowedUids} for the Unix transport; each transport
     * documents the keys it reads and ignores the others.
     *
     * @return an unmodifiable map of setting names to values
     */
    public java.util.Map<String, String> transportProperties()
    {
        return transportProperties;
    }

    @Override
    public String toString()
    {
        return "BusOptions[sendQueueSize=" + sendQueueSize + ", recvQueueSize=" + recvQueueSize
            + ", recvTimeout=" + (recvTimeout == null ? "forever" : recvTimeout) + ", recvMaxSize=" + recvMaxSize
            + ", reconnectMin=" + reconnectMin + ", reconnectMax=" + reconnectMax
            + ", handshakeTimeout=" + handshakeTimeout + ", tcpNoDelay=" + tcpNoDelay + (raw ? ", raw" : "")
            + (transportProperties.isEmpty() ? "" : ", transportProperties=" + transportProperties) + "]";
    }

    /**
     * Builds {@link BusOptions}. Each setter checks its argument at once. Not thread-safe.
     */
    public static final class Builder
    {
        private int sendQueueSize = DEFAULT_SEND_QUEUE_SIZE;
        private int recvQueueSize = DEFAULT_RECV_QUEUE_SIZE;
        private Duration recvTimeout;
        private long recvMaxSize = DEFAULT_RECV_MAX_SIZE;
        private Duration reconnectMin = Duration.ofMillis(1000);
        private Duration reconnectMax = Duration.ZERO;
        private Duration handshakeTimeout = Duration.ofMillis(10_000);
        private boolean tcpNoDelay = true;
        private boolean raw;
        private final java.util.Map<String, String> transportProperties = new java.util.TreeMap<>();

        private Builder()
        {
        }

        /**
         * Sets the per-pipe send queue depth.
         *
         * @param messages 1 to {@link #MAX_QUEUE_SIZE}
         * @return this builder
         * @throws IllegalArgumentException if out of range
         */
        public Builder sendQueueSize(final int messages)
        {
            this.sendQueueSize = checkQueue("sendQueueSize", messages);
            return this;
        }

        /**
         * Sets the receive queue depth.
         *
         * @param messages 1 to {@link #MAX_QUEUE_SIZE}
         * @return this builder
         * @throws IllegalArgumentException if out of range
         */
        public Builder recvQueueSize(final int messages)
        {
            this.recvQueueSize = checkQueue("recvQueueSize", messages);
            return this;
        }

        /**
         * Sets the default receive timeout.
         *
         * @param timeout a non-negative duration, or {@code null} to wait forever
         * @return this builder
         * @throws IllegalArgumentException if negative
         */
        public Builder recvTimeout(final Duration timeout)
        {
            if (timeout != null && timeout.isNegative())
            {
                throw new IllegalArgumentException("recvTimeout must not be negative: " + timeout);
            }
            this.recvTimeout = timeout;
            return this;
        }

        /**
         * Sets the receive maximum size.
         *
         * @param bytes 0 (no limit) to {@link #MAX_MESSAGE_SIZE}
         * @return this builder
         * @throws IllegalArgumentException if out of range
         */
        public Builder recvMaxSize(final long bytes)
        {
            if (bytes < 0 || bytes > MAX_MESSAGE_SIZE)
            {
                throw new IllegalArgumentException("recvMaxSize must be 0 (unlimited) to " + MAX_MESSAGE_SIZE
                    + " bytes: " + bytes);
            }
            this.recvMaxSize = bytes;
            return this;
        }

        /**
         * Sets the first reconnect window.
         *
         * @param window a positive duration
         * @return this builder
         * @throws IllegalArgumentException if zero or negative
         * @throws NullPointerException if {@code null}
         */
        public Builder reconnectMin(final Duration window)
        {
            Objects.requireNonNull(window, "reconnectMin");
            if (window.isZero() || window.isNegative())
            {
                throw new IllegalArgumentException("reconnectMin must be positive: " + window);
            }
            this.reconnectMin = window;
            return this;
        }

        /**
         * Sets the largest reconnect window.
         *
         * @param window zero (no growth) or a positive duration
         * @return this builder
         * @throws IllegalArgumentException if negative
         * @throws NullPointerException if {@code null}
         */
        public Builder reconnectMax(final Duration window)
        {
            Objects.requireNonNull(window, "reconnectMax");
            if (window.isNegative())
            {
                throw new IllegalArgumentException("reconnectMax must not be negative: " + window);
            }
            this.reconnectMax = window;
            return this;
        }

        /**
         * Sets the handshake timeout.
         *
         * @param timeout a positive duration
         * @return this builder
         * @throws IllegalArgumentException if zero or negative
         * @throws NullPointerException if {@code null}
         */
        public Builder handshakeTimeout(final Duration timeout)
        {
            Objects.requireNonNull(timeout, "handshakeTimeout");
            if (timeout.isZero() || timeout.isNegative())
            {
                throw new IllegalArgumentException("handshakeTimeout must be positive: " + timeout);
            }
            this.handshakeTimeout = timeout;
            return this;
        }

        /**
         * Sets whether TCP pipes use {@code TCP_NODELAY}.
         *
         * @param on {@code true} to disable Nagle's algorithm
         * @return this builder
         */
        public Builder tcpNoDelay(final boolean on)
        {
            this.tcpNoDelay = on;
            return this;
        }

        /**
         * Sets raw mode (see {@link BusOptions#raw()}).
         *
         * @param on {@code true} for a raw socket
         * @return this builder
         */
        public Builder raw(final boolean on)
        {
            this.raw = on;
            return this;
        }

        /**
         * Sets a transport-specific setting (see {@link BusOptions#transportProperties()}).
         *
         * @param key   the setting's name, for example {@code ipc.permissions}
         * @param value its value, for example {@code 0600}; {@code null} removes the setting
         * @return this builder
         * @throws NullPointerException if {@code key} is {@code null}
         */
        public Builder transportProperty(final String key, final String value)
        {
            Objects.requireNonNull(key, "key");
            if (value == null)
            {
                transportProperties.remove(key);
            }
            else
            {
                transportProperties.put(key, value);
            }
            return this;
        }

        /**
         * Builds the options.
         *
         * @return immutable options
         * @throws IllegalArgumentException if {@code reconnectMax} is positive but below {@code reconnectMin}
         */
        public BusOptions build()
        {
            if (!reconnectMax.isZero() && reconnectMax.compareTo(reconnectMin) < 0)
            {
                throw new IllegalArgumentException("reconnectMax " + reconnectMax + " is below reconnectMin "
                    + reconnectMin + " (use 0 for no growth)");
            }
            return new BusOptions(this);
        }

        private static int checkQueue(final String name, final int messages)
        {
            if (messages < 1 || messages > MAX_QUEUE_SIZE)
            {
                throw new IllegalArgumentException(name + " must be 1 to " + MAX_QUEUE_SIZE + " messages: " + messages);
            }
            return messages;
        }
    }
}
