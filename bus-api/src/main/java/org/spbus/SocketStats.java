package org.spbus;

import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;

/**
 * A snapshot of a socket's {@link Counter}s. Immutable and thread-safe. Each counter is read
 * once when the snapshot is taken; counters that other threads update at that moment may be
 * a few messages apart from one another.
 */
public final class SocketStats
{
    private final long[] values;

    /**
     * Creates a snapshot.
     *
     * @param values one value per {@link Counter}, indexed by {@link Counter#ordinal()}; copied
     * @throws IllegalArgumentException if the array length differs from the number of counters
     */
    public SocketStats(final long[] values)
    {
        Objects.requireNonNull(values, "values");
        if (values.length != Counter.values().length)
        {
            throw new IllegalArgumentException("expected " + Counter.values().length + " values, got " + values.length);
        }
        this.values = values.clone();
    }

    /**
     * Returns one counter's value.
     *
     * @param counter the counter
     * @return its value, in the counter's {@link Counter#unit()}
     */
    public long get(final Counter counter)
    {
        return values[counter.ordinal()];
    }

    /**
     * Returns all counters in declaration order.
     *
     * @return an unmodifiable map from counter to value
     */
    public Map<Counter, Long> asMap()
    {
        final EnumMap<Counter, Long> map = new EnumMap<>(Counter.class);
        for (final Counter c : Counter.values())
        {
            map.put(c, values[c.ordinal()]);
        }
        return Collections.unmodifiableMap(map);
    }

    /**
     * Formats the snapshot one counter per line: {@code name value unit}.
     *
     * @return the text, ending with a line separator
     */
    public String format()
    {
        final StringBuilder sb = new StringBuilder();
        for (final Counter c : Counter.values())
        {
            sb.append(c.label()).append(' ').append(values[c.ordinal()]).append(' ').append(c.unit()).append('\n');
        }
        return sb.toString();
    }

    @Override
    public String toString()
    {
        return "SocketStats" + asMap();
    }
}
