package org.spbus.engine;

import org.agrona.concurrent.ManyToManyConcurrentArrayQueue;

/**
 * Receive bodies given back by {@code recv(byte[])}, handed to the socket's pipe readers for
 * the next messages of the same length. Only bodies between {@link #MIN} and {@link #MAX}
 * bytes are kept, at most {@link #CAPACITY} of them (so at most 4 MiB per socket): small
 * arrays are cheap to allocate, and a body of another length is simply allocated.
 * Thread-safe and lock-free; an array is owned by exactly one party at a time.
 */
final class BodyPool
{
    /** Smallest body kept, in bytes. */
    static final int MIN = 1024;
    /** Largest body kept, in bytes. */
    static final int MAX = 256 * 1024;
    /** Bodies kept at most. */
    static final int CAPACITY = 16;

    private final ManyToManyConcurrentArrayQueue<byte[]> free = new ManyToManyConcurrentArrayQueue<>(CAPACITY);

    /** Returns an array of exactly {@code length} bytes, recycled if one of that length is free. */
    byte[] take(final int length)
    {
        if (length >= MIN && length <= MAX)
        {
            final byte[] b = free.poll();
            if (b != null && b.length == length)
            {
                return b;
            }
        }
        return new byte[length];
    }

    /** Gives back a body nobody references any more; dropped if the pool is full or it does not fit. */
    void give(final byte[] body)
    {
        if (body.length >= MIN && body.length <= MAX)
        {
            free.offer(body);
        }
    }
}
