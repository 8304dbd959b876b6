package org.spbus.engine;

import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Pipe ids as NNG makes them: 31-bit, non-zero, taken in sequence from a random start per
 * process (sp-wire-protocol.md section 6.5), so they are unique within the JVM and hard to guess.
 */
final class PipeIds
{
    private static final AtomicInteger NEXT = new AtomicInteger(ThreadLocalRandom.current().nextInt());

    private PipeIds()
    {
    }

    static int next()
    {
        while (true)
        {
            final int id = NEXT.incrementAndGet() & 0x7FFF_FFFF;
            if (id != 0)
            {
                return id;
            }
        }
    }
}
