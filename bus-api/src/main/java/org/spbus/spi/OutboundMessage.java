package org.spbus.spi;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * One sent message, encoded once and shared by every pipe it goes to: the body bytes and a
 * count of the pipes still holding it. Each pipe calls {@link #release()} once when it has
 * written or discarded the message. The body must not be changed by anyone.
 *
 * <p>Thread-safe.
 */
public final class OutboundMessage
{
    private static final VarHandle REFS;

    static
    {
        try
        {
            REFS = MethodHandles.lookup().findVarHandle(OutboundMessage.class, "refs", int.class);
        }
        catch (final ReflectiveOperationException e)
        {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final byte[] body;
    private final int length;
    @SuppressWarnings("unused") // accessed through REFS
    private volatile int refs;

    /**
     * Wraps a body.
     *
     * @param body   the bytes, {@code body[0 .. length)}; not copied, never changed afterwards
     * @param length the body length in bytes
     * @param refs   how many pipes will release it, 1 or more
     * @throws IllegalArgumentException if {@code length} exceeds the array or {@code refs} &lt; 1
     */
    public OutboundMessage(final byte[] body, final int length, final int refs)
    {
        if (length < 0 || length > body.length || refs < 1)
        {
            throw new IllegalArgumentException("length " + length + " of " + body.length + ", refs " + refs);
        }
        this.body = body;
        this.length = length;
        REFS.setRelease(this, refs);
    }

    /**
     * Returns the array holding the body, {@code [0, length())}. Read only.
     *
     * @return the array
     */
    public byte[] array()
    {
        return body;
    }

    /**
     * Returns the body length.
     *
     * @return bytes
     */
    public int length()
    {
        return length;
    }

    /**
     * Returns whether exactly one pipe holds the message, so that an in-process transport may
     * hand the array over instead of copying it.
     *
     * @return {@code true} if this is the only reference
     */
    public boolean isExclusive()
    {
        return (int)REFS.getAcquire(this) == 1 && length == body.length;
    }

    /**
     * Returns the body as a new array of exactly {@link #length()} bytes, or the array itself
     * when this is the only reference and it has that length.
     *
     * @return bytes the caller may keep
     */
    public byte[] takeBody()
    {
        return isExclusive() ? body : java.util.Arrays.copyOf(body, length);
    }

    /**
     * Drops one reference. Call once per pipe.
     */
    public void release()
    {
        REFS.getAndAdd(this, -1);
    }
}
