package org.spbus.cli;

import java.util.ArrayList;
import java.util.List;

/**
 * The settings of one {@code spbus} (nngcat-compatible) run, as {@link CatParser} leaves them
 * after parsing and validating the command line. Durations are in milliseconds with nngcat's
 * convention: -1 means "not set" (infinite for timeouts).
 *
 * <p>Written only by the parser, then read by {@link CatSession}; not thread-safe while being
 * filled, safe to share once the parser has returned it.
 */
final class CatOptions
{
    /** Whether a listener or a dialer is started for an {@link Address}. */
    enum Mode
    {
        /** {@code --listen}, {@code --bind}, {@code -L}, {@code -X}. */
        LISTEN,
        /** {@code --dial}, {@code --connect}, {@code -l}, {@code -x}. */
        DIAL
    }

    /**
     * One address from the command line, in command-line order.
     *
     * @param mode listen or dial
     * @param url  the URL, as given or as built by {@code -L/-l/-X/-x}
     */
    record Address(Mode mode, String url)
    {
    }

    /** {@code true} once {@code --bus0} (or a prefix of it) was given. */
    boolean bus0;
    /** The addresses, in order. */
    final List<Address> addresses = new ArrayList<>();
    /** The output format; {@code null} until one is given (then printing nothing). */
    OutputFormat format;
    /** {@code true} if the last of {@code -v}/{@code -q} was {@code -v}. */
    boolean verbose;
    /** {@code --delay} in ms; 0 = none. */
    long delayMs;
    /** {@code --interval} in ms; -1 = not set. */
    long intervalMs = -1;
    /** {@code --send-timeout} in ms; -1 = not set. Accepted, no effect: a BUS send never blocks. */
    long sendTimeoutMs = -1;
    /** {@code --recv-timeout} in ms; -1 = not set; 0 means "not set" too, except in interval mode. */
    long recvTimeoutMs = -1;
    /** {@code --count}; 0 = unlimited. */
    int count;
    /** {@code --recv-maxsz} in bytes; -1 = not given (no limit, as NNG 1.5.2); 0 given is stored as 2147483647. */
    long recvMaxSize = -1;
    /** {@code --compat}. */
    boolean compat;
    /** {@code --async} (or implied by {@code --compat}): dial without waiting for the connection. */
    boolean async;
    /** The message from {@code --data} or {@code --file}, or {@code null}. */
    byte[] data;
    /** Number of {@code --subscribe} options seen (an error for bus0). */
    int subscriptions;
    /** {@code --stats}: print the socket's counters on stderr at exit (spbus extra). */
    boolean stats;
    /** Whether {@code --cacert}, {@code --key}, {@code --cert} were given (each only once). */
    boolean cacert;
    /** See {@link #cacert}. */
    boolean keyfile;
    /** See {@link #cacert}. */
    boolean certfile;

    /**
     * Returns the output format in effect.
     *
     * @return the format, {@link OutputFormat#NONE} if none was given
     */
    OutputFormat effectiveFormat()
    {
        return format == null ? OutputFormat.NONE : format;
    }
}
