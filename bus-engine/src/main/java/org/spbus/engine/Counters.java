package org.spbus.engine;

import java.util.concurrent.atomic.LongAdder;

import org.spbus.Counter;

/** The socket's counters: one striped adder each, so that concurrent senders do not contend. */
final class Counters
{
    private final LongAdder[] adders = new LongAdder[Counter.values().length];

    Counters()
    {
        for (int i = 0; i < adders.length; i++)
        {
            adders[i] = new LongAdder();
        }
    }

    void add(final Counter c, final long n)
    {
        adders[c.ordinal()].add(n);
    }

    void increment(final Counter c)
    {
        adders[c.ordinal()].increment();
    }

    long get(final Counter c)
    {
        return adders[c.ordinal()].sum();
    }

    long[] snapshot()
    {
        final long[] v = new long[adders.length];
        for (int i = 0; i < v.length; i++)
        {
            v[i] = adders[i].sum();
        }
        return v;
    }
}
